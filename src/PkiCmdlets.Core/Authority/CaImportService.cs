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
            var (certificate, publicKey) = ParseCertificate(der, source);
            KeyPolicy.CaImport.Require(publicKey, source);
            using (var key = readKey())
            {
                if (!publicKey.Matches(key))
                {
                    throw new PkiException(ErrorIds.CaImportKeyMismatch, PkiErrorKind.InvalidData, request.KeyPath ?? request.PfxPath,
                        Messages.CaImportKeyMismatch.Format(request.KeyPath ?? request.PfxPath));
                }

                var existing = _cas.Repository.LoadAll(null);
                foreach (var record in existing)
                {
                    if (_cas.Repository.Load(record).Der.SequenceEqual(der))
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
                _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.KeyFolder);
                using (_store.Lock(cancellation))
                {
                    var current = _cas.Repository.LoadAll(null);
                    if (name != null) CaRepository.EnsureNameFree(current, name);
                    var commonName = CertificateContent.Attribute(certificate.Subject, X509Name.CN) ?? "Imported CA";
                    created.Name = name ?? RecordNames.UniqueFrom(commonName, current.Select(r => r.Name));
                    _cas.Repository.WriteNew(created, der, keyPem);
                }
                return _cas.ToOutput(_cas.Repository.Load(created));
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
                var candidate = _cas.Repository.Load(record);
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
            return (der, () => KeyFile.Read(InputFile.Text(ReadFile(keyPath)), request.KeyFilePassword, keyPath), certificatePath);
        }

        /// <summary>The PFX's first key and its certificate.</summary>
        private static (byte[] Der, Func<PrivateKey> Key, string Source) ReadPfx(ImportCaRequest request)
        {
            var path = request.PfxPath!;
            var bytes = ReadFile(path);
            var password = request.KeyFilePassword == null ? new char[0] : KeyProtection.CopyChars(request.KeyFilePassword);
            byte[] pkcs8;
            byte[] certificate;
            try
            {
                (pkcs8, certificate) = Pkcs12Reader.Read(bytes, password, path,
                    (reason, e) => new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path,
                        Messages.ImportFileUnreadable.Format(path, e == null ? reason : Malformed.Reason(e, reason)), e));
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
            }
            return (certificate, () =>
            {
                try
                {
                    return PrivateKey.FromPkcs8(pkcs8, path);
                }
                finally
                {
                    Array.Clear(pkcs8, 0, pkcs8.Length);
                }
            }, path);
        }

        /// <summary>
        /// The certificate, a CA that can sign (<see cref="ImportedCaRules"/>), and its public key; within the input limits,
        /// and ImportFileUnreadable when malformed.
        /// </summary>
        private static (X509CertificateStructure Certificate, PublicKeyInfo PublicKey) ParseCertificate(byte[] der, string source)
        {
            DerInput.Check(der, source);
            try
            {
                var content = CertificateContent.FromDer(der, source, e => ImportedCaRules.ValidityUnreadable(der)
                    ? ImportedCaRules.Unusable(source, Messages.ReasonValidityUnreadable, e)
                    : Unreadable(source, e, Messages.ReasonCertificateDamaged));
                ImportedCaRules.Require(content, source);
                return (content.Structure, PublicKeyInfo.FromSubjectPublicKeyInfo(content.SubjectPublicKeyInfo, source));
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
            }
        }

        private static PkiException Unreadable(string path, Exception e, string reason) =>
            new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path,
                Messages.ImportFileUnreadable.Format(path, e is PkiException ? e.Message : Malformed.Reason(e, reason)), e);

        private static byte[] ReadFile(string path) =>
            InputFile.Read(path, e => new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.ImportFileUnreadable.Format(path, e.Message), e));
    }
}
