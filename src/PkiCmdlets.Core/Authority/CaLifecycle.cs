using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What happens to a CA after it is made: removal (Remove-CA), a new password for its key (Set-CAKeyPassword), and a new
    /// certificate for the same key (Update-CA). Every rule is checked before the store is touched.
    /// </summary>
    internal sealed class CaLifecycle
    {
        /// <summary>The shortest new key password Set-CAKeyPassword takes.</summary>
        public const int MinimumPasswordLength = 8;

        private readonly CaService _cas;
        private readonly PkiStore _store;

        public CaLifecycle(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// Removes a CA: its record, certificate, key, journal (and its head) and CRL. CaHasSubordinates while CAs it issued are in the store;
        /// CaHasIssuedCertificates while certificates it issued are unexpired (revoked or not: their CRL still matters),
        /// unless <paramref name="force"/>.
        /// </summary>
        public CertificateAuthority Remove(CaIdentity identity, bool force, CancellationToken cancellation)
        {
            var authority = _cas.Load(identity);
            var output = _cas.ToOutput(authority);
            var record = authority.Record;
            CheckRemovable(record, force);
            using (_store.Lock(cancellation))
            {
                CheckRemovable(_cas.Repository.Resolve(new CaIdentity(record.Id)), force);
                // The record first: once it is gone the CA is gone, whatever of its files a crash leaves.
                foreach (var file in new[]
                {
                    StoreLayout.CaRecord(record.Id), StoreLayout.CaCertificate(record.Id), StoreLayout.CaKey(record.Id),
                    StoreLayout.Crl(record.Id), StoreLayout.CrlNumber(record.Id), IssuedJournal.PathOf(record.Id), StoreLayout.JournalHead(record.Id),
                })
                {
                    if (_store.Exists(file)) _store.DeleteFile(file);
                }
                _store.DeleteFolderIfEmpty(StoreLayout.IssuerFolder(record.Id));
            }
            _cas.Keys.Lock(record);
            return output;
        }

        private void CheckRemovable(CaRecord record, bool force)
        {
            var subordinates = _cas.Repository.LoadAll(null).Where(r => r.IssuerId == record.Id).Select(r => r.Name).ToList();
            if (subordinates.Count > 0)
            {
                throw new PkiException(ErrorIds.CaHasSubordinates, PkiErrorKind.InvalidOperation, record.Name,
                    Messages.CaHasSubordinates.Format(record.Name, string.Join(", ", subordinates)));
            }
            if (force) return;
            var problems = new List<PkiException>();
            var now = _cas.Now;
            var unexpired = new IssuedJournal(_store, record.Id).Read(problems, r => r.NotAfter > now).Count();
            if (problems.Count > 0) throw problems[0];
            if (unexpired > 0)
            {
                throw new PkiException(ErrorIds.CaHasIssuedCertificates, PkiErrorKind.InvalidOperation, record.Name,
                    Messages.CaHasIssuedCertificates.Format(record.Name, unexpired));
            }
        }

        /// <summary>
        /// Encrypts the CA's key with <paramref name="newPassword"/>: a protected key opened with <paramref name="password"/>
        /// (or the copy Unlock-CA keeps), an unprotected one as it is, which is then protected. KeyPasswordTooWeak for a new
        /// password shorter than <see cref="MinimumPasswordLength"/>; KeyPasswordIncorrect for a wrong current one.
        /// </summary>
        public CertificateAuthority ChangeKeyPassword(CaIdentity identity, SecureString? password, SecureString newPassword, IProgress<string>? progress,
            CancellationToken cancellation)
        {
            KeyProtection.RequireNonEmpty(newPassword);
            if (newPassword.Length < MinimumPasswordLength)
            {
                throw new PkiException(ErrorIds.KeyPasswordTooWeak, PkiErrorKind.InvalidArgument, null, Messages.KeyPasswordTooWeak.Format(MinimumPasswordLength));
            }
            var authority = _cas.Load(identity);
            var record = authority.Record;
            using var key = _cas.Keys.Open(authority, password);
            // Open takes the cached copy when no password is given; a given one must be right even when the key is unlocked.
            var keyPem = Pkcs8Pem.Encode(key, newPassword, progress);
            cancellation.ThrowIfCancellationRequestedAsPki();
            record.KeyProtected = true;
            using (_store.Lock(cancellation))
            {
                _store.WriteText(StoreLayout.CaKey(record.Id), keyPem);
                _store.WriteJson(StoreLayout.CaRecord(record.Id), record);
            }
            return _cas.ToOutput(_cas.Repository.Load(record));
        }

        /// <summary>
        /// A new certificate for the CA: the same subject, key, key identifiers and extensions, a new serial number and a new
        /// validity (from now: -Years, -Days or -NotAfter; an intermediate's within its issuer's), signed by the CA's own key
        /// (a root) or its issuer's. Certificates the CA issued before chain to the new certificate as to the old one.
        /// </summary>
        public CertificateAuthority Renew(RenewCaRequest request, IProgress<string>? progress, CancellationToken cancellation)
        {
            var authority = _cas.Load(request.Authority ?? throw new ArgumentException("Authority is required", nameof(request)));
            var record = authority.Record;
            var now = _cas.Now;
            StoredCa signer;
            ValidityPeriod validity;
            SecureString? password;
            if (record.IsRoot)
            {
                signer = authority;
                validity = ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultRootYears, now);
                password = request.KeyPassword;
            }
            else
            {
                // Its own key must still be its certificate's (CaKeyMismatch otherwise): a new certificate for a key the store
                // does not hold would leave the CA unable to sign. One the store keeps without its key has none to check.
                if (!record.Keyless) _cas.Keys.Open(authority, request.KeyPassword).Dispose();
                signer = _cas.Load(new CaIdentity(record.IssuerId!));
                signer.RequireCurrent(now);
                validity = ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultSubCaYears, now, signer.NotBefore, signer.NotAfter);
                password = request.IssuerKeyPassword;
            }
            using var key = _cas.Keys.Open(signer, password);
            progress?.Report(Messages.ProgressSigning);
            var der = CertificateBuilder.Renewed(authority.Certificate, new CertificateBuilder.Issuer(signer.Certificate.Subject, signer.SubjectPublicKeyInfo, key),
                SerialNumber.Generate(), validity);
            cancellation.ThrowIfCancellationRequestedAsPki();
            using (_store.Lock(cancellation))
            {
                _store.WriteText(StoreLayout.CaCertificate(record.Id), Formats.Pem.Encode(Formats.Pem.CertificateLabel, der));
            }
            return _cas.ToOutput(_cas.Repository.Load(record));
        }
    }

    /// <summary>The parameters of Update-CA.</summary>
    public sealed class RenewCaRequest
    {
        public CaIdentity? Authority { get; set; }
        public int? Years { get; set; }
        public int? Days { get; set; }
        public DateTimeOffset? NotAfter { get; set; }
        /// <summary>The CA's own key password: a root signs its new certificate with it, an intermediate's is checked against its certificate.</summary>
        public SecureString? KeyPassword { get; set; }
        /// <summary>An intermediate's issuer's key password.</summary>
        public SecureString? IssuerKeyPassword { get; set; }
    }
}
