using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Revocation
{
    /// <summary>Builds and writes a CA's CRL from its index, with a CRL number that only grows.</summary>
    public sealed class CrlService
    {
        public const int DefaultNextUpdateHours = 168;
        public const int MaxNextUpdateHours = 24 * 366;

        private readonly CaService _cas;
        private readonly ServerCertificateService _certificates;
        private readonly PkiStore _store;

        public CrlService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CrlService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
            _certificates = new ServerCertificateService(cas);
        }

        /// <summary>
        /// Signs a new CRL of every certificate the issuer revoked and keeps it in the store; when
        /// <c>path</c> is given (a full file-system path) also writes a copy there, PEM when <c>pem</c>,
        /// otherwise DER, the form RFC 5280 says a CRL URL serves. An existing file is replaced only with <c>force</c>.
        /// </summary>
        public PublishedCrl Publish(CaIdentity issuerIdentity, SecureString? issuerKeyPassword, int? nextUpdateHours, string? path, bool pem,
            bool force = false, CancellationToken cancellation = default)
        {
            if (path != null) OutputFile.RequireNewOrForced(path, force);
            var hours = nextUpdateHours ?? DefaultNextUpdateHours;
            if (hours < 1 || hours > MaxNextUpdateHours)
            {
                throw new PkiException(ErrorIds.InvalidNextUpdate, PkiErrorKind.InvalidArgument, hours, Messages.InvalidNextUpdate.Format(hours, MaxNextUpdateHours));
            }
            var issuer = _cas.Load(_cas.Resolve(issuerIdentity));
            CaService.RequireCurrent(issuer, _cas.Now);
            using var key = _cas.OpenKey(issuer.Record, issuerKeyPassword);
            var thisUpdate = _cas.Now;
            var nextUpdate = thisUpdate.AddHours(hours);
            if (nextUpdate > issuer.NotAfter) nextUpdate = issuer.NotAfter;

            _store.EnsureCreated(StoreLayout.CrlFolder);
            using (_store.Lock(cancellation))
            {
                var state = _store.Exists(StoreLayout.CrlNumber(issuer.Record.Id)) ? _store.ReadJson<CrlState>(StoreLayout.CrlNumber(issuer.Record.Id)) : new CrlState();
                var number = state.LastCrlNumber + 1;
                var revoked = _certificates.Revoked(issuer.Record.Id);
                var der = CrlBuilder.Build(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, key, number, thisUpdate, nextUpdate, revoked);
                var text = Pem.Encode(Pem.CrlLabel, der);
                if (path != null)
                {
                    OutputFile.Write(path, pem ? PkiStore.Utf8(text) : der);
                }
                // The CRL goes before the number that names it: a crash in between re-uses no number.
                _store.WriteText(StoreLayout.Crl(issuer.Record.Id), text);
                _store.WriteJson(StoreLayout.CrlNumber(issuer.Record.Id), new CrlState { LastCrlNumber = number });
                return new PublishedCrl
                {
                    IssuerName = issuer.Record.Name,
                    IssuerId = issuer.Record.Id,
                    CrlNumber = number,
                    ThisUpdate = thisUpdate,
                    NextUpdate = nextUpdate,
                    RevokedCount = revoked.Count,
                    CrlUrl = issuer.Record.CrlUrl,
                    StoreFile = _store.FullPath(StoreLayout.Crl(issuer.Record.Id)),
                    Path = path,
                    Pem = text,
                    Der = der,
                };
            }
        }

        private sealed class CrlState
        {
            public long LastCrlNumber { get; set; }
        }
    }
}
