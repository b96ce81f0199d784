using System;
using System.Collections.Generic;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>Builds and writes a CA's CRL from its journal's revocations, with a CRL number that only grows.</summary>
    public sealed class CrlService
    {
        public const int DefaultNextUpdateHours = 168;
        public const int MaxNextUpdateHours = 24 * 366;

        private readonly CaService _cas;
        private readonly PkiStore _store;

        public CrlService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CrlService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// Signs a new CRL of every certificate the issuer revoked and keeps it in the store; with a
        /// <see cref="PublishCrlRequest.Path"/>, also writes a copy there. Everything is checked before anything is written.
        /// </summary>
        public PublishedCrl Publish(PublishCrlRequest request, CancellationToken cancellation = default)
        {
            var path = request.Path;
            if (path != null) OutputFile.RequireNewOrForced(path, request.Force);
            var hours = request.NextUpdateHours ?? DefaultNextUpdateHours;
            if (hours < 1 || hours > MaxNextUpdateHours)
            {
                throw new PkiException(ErrorIds.InvalidNextUpdate, PkiErrorKind.InvalidArgument, hours, Messages.InvalidNextUpdate.Format(hours, MaxNextUpdateHours));
            }
            var issuer = _cas.Load(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request)));
            issuer.RequireCurrent(_cas.Now);
            using var key = _cas.Keys.Open(issuer.Record, request.IssuerKeyPassword);
            var thisUpdate = _cas.Now;
            var nextUpdate = thisUpdate.AddHours(hours);
            if (nextUpdate > issuer.NotAfter) nextUpdate = issuer.NotAfter;

            _store.EnsureCreated(StoreLayout.CrlFolder);
            using (_store.Lock(cancellation))
            {
                var id = issuer.Record.Id;
                var state = _store.Exists(StoreLayout.CrlNumber(id)) ? _store.ReadJson<CrlState>(StoreLayout.CrlNumber(id)) : new CrlState();
                var number = state.LastCrlNumber + 1;
                var revoked = Revoked(id);
                var der = CrlBuilder.Build(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, key, number, thisUpdate, nextUpdate, revoked);
                var text = Pem.Encode(Pem.CrlLabel, der);
                if (path != null)
                {
                    OutputFile.Write(path, request.AsPem ? PkiStore.Utf8(text) : der);
                }
                // The CRL goes before the number that names it: a crash in between re-uses no number.
                _store.WriteText(StoreLayout.Crl(id), text);
                _store.WriteJson(StoreLayout.CrlNumber(id), new CrlState { LastCrlNumber = number });
                return new PublishedCrl
                {
                    IssuerName = issuer.Record.Name,
                    IssuerId = id,
                    CrlNumber = number,
                    ThisUpdate = thisUpdate,
                    NextUpdate = nextUpdate,
                    RevokedCount = revoked.Count,
                    CrlUrl = issuer.Record.CrlUrl,
                    StoreFile = _store.FullPath(StoreLayout.Crl(id)),
                    Path = path,
                    Pem = text,
                    Der = der,
                };
            }
        }

        /// <summary>
        /// The revoked certificates of one issuer. A damaged line might be a revocation, and a CRL that silently left
        /// one out would vouch for a revoked certificate, so damage is an error here, not a warning.
        /// </summary>
        private List<RevocationEntry> Revoked(string issuerId)
        {
            var problems = new List<PkiException>();
            var entries = new IssuedJournal(_store, issuerId).RevokedEntries(problems);
            if (problems.Count > 0) throw problems[0];
            return entries;
        }

        private sealed class CrlState
        {
            public long LastCrlNumber { get; set; }
        }
    }
}
