using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Builds and writes a CA's CRL from its journal's revocations, with a CRL number that only grows; or keeps one a CA signed
    /// outside the store (Import-Crl).
    /// </summary>
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
                    OutputFile.Write(path, request.AsPem ? PkiStore.Utf8(text) : der, OutputFile.PublicMode);
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
        /// Keeps a CRL a CA signed outside the store (an offline root's, signed where its key is) as that CA's latest CRL, as
        /// Publish-Crl keeps its own: the file (PEM or DER) must be a CRL whose signature a CA of the store made
        /// (CrlIssuerNotFound otherwise; with <paramref name="issuer"/>, that CA), with a CRL number above the last one kept
        /// for it (CrlNotNewer), so numbers only grow. Its copy in the store is what Export-CA -CrlPath writes.
        /// </summary>
        public PublishedCrl Import(string path, CaIdentity? issuer = null, CancellationToken cancellation = default)
        {
            byte[] bytes;
            try
            {
                bytes = System.IO.File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.CrlUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.CrlUnreadable.Format(path, e.Message), e);
            }
            Org.BouncyCastle.Asn1.X509.CertificateList crl;
            byte[] der;
            long number;
            try
            {
                der = bytes.Length > 0 && bytes[0] == 0x30 ? bytes : Pem.Decode(PkiStore.FromUtf8(bytes), Pem.CrlLabel);
                crl = Org.BouncyCastle.Asn1.X509.CertificateList.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(der));
                var extension = crl.TbsCertList.Extensions?.GetExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.CrlNumber)
                    ?? throw new ArgumentException(Messages.ReasonCrlNumberMissing);
                var value = Org.BouncyCastle.Asn1.DerInteger.GetInstance(extension.GetParsedValue()).Value;
                if (value.SignValue < 0 || value.BitLength > 62) throw new ArgumentException(Messages.ReasonCrlNumberRange);
                number = value.LongValue;
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.InvalidPem })
            {
                throw new PkiException(ErrorIds.CrlUnreadable, PkiErrorKind.InvalidData, path,
                    Messages.CrlUnreadable.Format(path, e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonDerDamaged)), e);
            }

            var candidates = issuer != null ? new List<StoredCa> { _cas.Load(issuer) }
                : _cas.Repository.LoadAll(null).Select(_cas.Repository.Load).Where(c => c.Certificate.Subject.Equivalent(crl.Issuer)).ToList();
            var signer = candidates.FirstOrDefault(c => c.Certificate.Subject.Equivalent(crl.Issuer)
                && PublicKeyInfo.FromSubjectPublicKeyInfo(c.SubjectPublicKeyInfo, c.Record.Name).Verify(crl.SignatureAlgorithm.GetDerEncoded(), crl.TbsCertList.GetDerEncoded(), crl.Signature.GetOctets()));
            if (signer == null)
            {
                throw new PkiException(ErrorIds.CrlIssuerNotFound, PkiErrorKind.ObjectNotFound, path,
                    Messages.CrlIssuerNotFound.Format(path, crl.Issuer.ToString(), issuer?.Value ?? Messages.CrlIssuerAnyCa));
            }
            var text = Pem.Encode(Pem.CrlLabel, der);
            var id = signer.Record.Id;
            _store.EnsureCreated(StoreLayout.CrlFolder);
            using (_store.Lock(cancellation))
            {
                var last = _store.Exists(StoreLayout.CrlNumber(id)) ? _store.ReadJson<CrlState>(StoreLayout.CrlNumber(id)).LastCrlNumber : 0;
                if (number <= last)
                {
                    throw new PkiException(ErrorIds.CrlNotNewer, PkiErrorKind.InvalidData, path, Messages.CrlNotNewer.Format(path, number, signer.Record.Name, last));
                }
                _store.WriteText(StoreLayout.Crl(id), text);
                _store.WriteJson(StoreLayout.CrlNumber(id), new CrlState { LastCrlNumber = number });
            }
            return new PublishedCrl
            {
                IssuerName = signer.Record.Name,
                IssuerId = id,
                CrlNumber = number,
                ThisUpdate = new DateTimeOffset(crl.ThisUpdate.ToDateTime().ToUniversalTime(), TimeSpan.Zero),
                NextUpdate = crl.NextUpdate == null ? default : new DateTimeOffset(crl.NextUpdate.ToDateTime().ToUniversalTime(), TimeSpan.Zero),
                RevokedCount = crl.GetRevokedCertificates().Length,
                CrlUrl = signer.Record.CrlUrl,
                StoreFile = _store.FullPath(StoreLayout.Crl(id)),
                Path = path,
                Pem = text,
                Der = der,
            };
        }

        /// <summary>The latest CRL the store keeps for a CA (published or imported), as PEM; null when it has none.</summary>
        internal string? Latest(string caId) => _store.Exists(StoreLayout.Crl(caId)) ? _store.ReadText(StoreLayout.Crl(caId)) : null;

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
