using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Brings a CA made elsewhere (openssl, easy-rsa, a Windows PFX) into the store, so its owner can
    /// switch: the certificate must be a CA's, the key must be its key, and an intermediate's issuer
    /// must already be in the store.
    /// </summary>
    public sealed class CaImportService
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;

        public CaImportService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CaImportService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        public CertificateAuthority Import(ImportCaRequest request, CancellationToken cancellation = default)
        {
            CaKeyPassword.Require(request.KeyPassword, request.NoPassword);
            var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name!.Trim();
            if (name != null) RecordNames.Validate(name);
            var crlUrl = CaFactory.ValidateCrlUrl(request.CrlUrl);

            var (der, readKey, source) = request.PfxPath != null ? ReadPfx(request) : ReadPem(request);
            // The certificate is checked before the key is read: a key we cannot sign with is refused by what it is.
            var (certificate, isCa, publicKey) = ParseCertificate(der, source);
            if (!isCa)
            {
                throw new PkiException(ErrorIds.CaImportNotCa, PkiErrorKind.InvalidData, source, Messages.CaImportNotCa.Format(source));
            }
            KeyPolicy.CaImport.Require(publicKey, source);
            using (var key = readKey())
            {
                if (!publicKey.Matches(key))
                {
                    throw new PkiException(ErrorIds.CaImportKeyMismatch, PkiErrorKind.InvalidData, request.KeyPath ?? request.PfxPath,
                        Messages.CaImportKeyMismatch.Format(request.KeyPath ?? request.PfxPath));
                }

                // A damaged record or certificate of another CA is Get-CA's to report; it stands in the way of no import.
                var existing = _cas.Repository.LoadAll(new List<PkiException>());
                foreach (var record in existing)
                {
                    if (_cas.Repository.HasCertificate(record, der))
                    {
                        throw new PkiException(ErrorIds.CaAlreadyInStore, PkiErrorKind.ResourceExists, source, Messages.CaAlreadyInStore.Format(record.Name, record.Id));
                    }
                }
                string? issuerId;
                try
                {
                    issuerId = FindIssuer(certificate, existing, source);
                }
                catch (Exception e) when (Malformed.Is(e))
                {
                    throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
                }
                if (name != null) CaRepository.EnsureNameFree(existing, name);
                var keyPem = Pkcs8Pem.Encode(key, request.KeyPassword);

                var created = new CaRecord
                {
                    Id = Hex.Lower(SerialNumber.Generate()),
                    IsRoot = issuerId == null,
                    IssuerId = issuerId,
                    Algorithm = publicKey.Description,
                    KeyProtected = request.KeyPassword != null,
                    CrlUrl = crlUrl,
                    Imported = true,
                    CreatedAt = _cas.Now,
                };
                var authority = Preview(created, certificate, der, source);
                _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.KeyFolder);
                using (_store.Lock(cancellation))
                {
                    var current = _cas.Repository.LoadAll(new List<PkiException>());
                    if (name != null) CaRepository.EnsureNameFree(current, name);
                    var commonName = CertificateContent.Attribute(certificate.Subject, X509Name.CN) ?? "Imported CA";
                    created.Name = name ?? RecordNames.UniqueFrom(commonName, current.Select(r => r.Name));
                    _cas.Repository.WriteNew(created, der, keyPem);
                }
                return _cas.ToOutput(authority);
            }
        }

        /// <summary>
        /// The CA as the store will hold it, read now as Get-CA will read it (constraints, dates, chain, output), so that a
        /// certificate any of that fails on is refused before a file is written (ImportFileUnreadable), not left behind half
        /// imported.
        /// </summary>
        private StoredCa Preview(CaRecord created, X509CertificateStructure certificate, byte[] der, string source)
        {
            try
            {
                var authority = new StoredCa(created, certificate, der);
                _cas.ToOutput(authority);
                return authority;
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt && Equals(e.Target, _store.FullPath(StoreLayout.CaCertificate(created.Id))))
            {
                throw Unreadable(source, e.InnerException ?? e, Messages.ReasonCertificateDamaged);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
            }
        }

        /// <summary>Null for a self-signed root; otherwise the Id of the store CA whose key signed it.</summary>
        private string? FindIssuer(X509CertificateStructure certificate, IEnumerable<CaRecord> existing, string source)
        {
            var tbs = certificate.TbsCertificate.GetDerEncoded();
            var algorithm = certificate.SignatureAlgorithm.GetDerEncoded();
            var signature = certificate.Signature.GetOctets();
            if (certificate.Issuer.Equivalent(certificate.Subject))
            {
                var own = PublicKeyInfo.FromSubjectPublicKeyInfo(certificate.SubjectPublicKeyInfo.GetDerEncoded(), source);
                if (own.Verify(algorithm, tbs, signature)) return null;
            }
            foreach (var record in existing)
            {
                StoredCa candidate;
                try
                {
                    candidate = _cas.Repository.Load(record);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    continue; // a CA that cannot be read signs nothing, and Get-CA reports it
                }
                if (!candidate.Certificate.Subject.Equivalent(certificate.Issuer)) continue;
                var issuerKey = PublicKeyInfo.FromSubjectPublicKeyInfo(candidate.SubjectPublicKeyInfo, record.Name);
                if (issuerKey.Verify(algorithm, tbs, signature)) return record.Id;
            }
            throw new PkiException(ErrorIds.CaImportIssuerMissing, PkiErrorKind.ObjectNotFound, source,
                Messages.CaImportIssuerMissing.Format(source, certificate.Issuer.ToString()));
        }

        /// <summary>The certificate, and how to read its key once the certificate has been checked.</summary>
        private static (byte[] Der, Func<PrivateKey> Key, string Source) ReadPem(ImportCaRequest request)
        {
            var certificatePath = request.CertificatePath ?? throw new ArgumentException("CertificatePath or PfxPath is required", nameof(request));
            var keyPath = request.KeyPath ?? throw new ArgumentException("KeyPath is required with CertificatePath", nameof(request));
            var bytes = ReadFile(certificatePath);
            var der = CertificateContent.FirstCertificate(bytes);
            return (der, () => KeyFile.Read(PkiStore.FromUtf8(ReadFile(keyPath)), request.KeyFilePassword, keyPath), certificatePath);
        }

        /// <summary>The PFX's key entry and its certificate.</summary>
        private static (byte[] Der, Func<PrivateKey> Key, string Source) ReadPfx(ImportCaRequest request)
        {
            var path = request.PfxPath!;
            var bytes = ReadFile(path);
            Pkcs12Store pfx;
            var password = request.KeyFilePassword == null ? new char[0] : KeyProtection.CopyChars(request.KeyFilePassword);
            try
            {
                pfx = new Pkcs12StoreBuilder().Build();
                pfx.Load(new MemoryStream(bytes), password);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                // A wrong password shows as a MAC failure; anything else is a file we cannot read.
                if (e.Message.IndexOf("MAC", StringComparison.OrdinalIgnoreCase) >= 0 || e.Message.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new PkiException(ErrorIds.KeyPasswordIncorrect, PkiErrorKind.SecurityError, path, Messages.KeyPasswordIncorrect.Format(path), e);
                }
                throw Unreadable(path, e, Messages.ReasonPfxDamaged);
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
            }
            string? alias;
            byte[]? certificate;
            try
            {
                alias = pfx.Aliases.Cast<string>().FirstOrDefault(pfx.IsKeyEntry);
                certificate = alias == null ? null : pfx.GetCertificate(alias)?.Certificate.GetEncoded();
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(path, e, Messages.ReasonPfxDamaged);
            }
            if (alias == null)
            {
                throw new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path, Messages.ImportFileUnreadable.Format(path, Messages.ReasonPfxNoKey));
            }
            if (certificate == null)
            {
                throw new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path, Messages.ImportFileUnreadable.Format(path, Messages.ReasonPfxKeyWithoutCertificate));
            }
            return (certificate, () =>
            {
                try
                {
                    return KeyFile.FromBouncyCastle(pfx.GetKey(alias).Key, path);
                }
                catch (Exception e) when (Malformed.Is(e))
                {
                    throw PrivateKey.Unreadable(path, e);
                }
            }, path);
        }

        /// <summary>The certificate, whether it is a CA's, and its public key; ImportFileUnreadable when any of them is malformed.</summary>
        private static (X509CertificateStructure Certificate, bool IsCa, PublicKeyInfo PublicKey) ParseCertificate(byte[] der, string source)
        {
            try
            {
                var content = CertificateContent.FromDer(der, e => Unreadable(source, e, Messages.ReasonCertificateDamaged));
                var basic = content.Structure.TbsCertificate.Extensions?.GetExtension(X509Extensions.BasicConstraints);
                var isCa = basic != null && BasicConstraints.GetInstance(basic.GetParsedValue()).IsCA();
                return (content.Structure, isCa, PublicKeyInfo.FromSubjectPublicKeyInfo(content.SubjectPublicKeyInfo, source));
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
            }
        }

        private static PkiException Unreadable(string path, Exception e, string reason) =>
            new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path,
                Messages.ImportFileUnreadable.Format(path, e is PkiException ? e.Message : Malformed.Reason(e, reason)), e);

        private static byte[] ReadFile(string path)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.ImportFileUnreadable.Format(path, e.Message), e);
            }
        }
    }
}
