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
    /// must be in the store or come with it, its chain in the same PEM or PFX file (each CA of the chain comes in without
    /// its key). Without a key file, the CA comes in without its key: an offline root as a trust anchor, say.
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
            var keyless = request.PfxPath == null && request.KeyPath == null;
            if (!keyless) CaKeyPassword.Require(request.KeyPassword, request.NoPassword);
            var name = RecordNames.Optional(request.Name);
            var crlUrl = CaFactory.ValidateCrlUrl(request.CrlUrl);

            var (der, readKey, source, chainDer) = request.PfxPath != null ? ReadPfx(request) : ReadPem(request);
            // The certificate is checked before the key is read: a key we cannot sign with is refused by what it is.
            var (certificate, publicKey) = ParseCertificate(der, source);
            KeyPolicy.CaImport.Require(publicKey, source);
            var chain = chainDer.Select(d => ParseChainCertificate(d, source)).ToList();
            using var key = readKey?.Invoke();
            if (key != null && !publicKey.Matches(key))
            {
                throw new PkiException(ErrorIds.CaImportKeyMismatch, PkiErrorKind.InvalidData, request.KeyPath ?? request.PfxPath,
                    Messages.CaImportKeyMismatch.Format(request.KeyPath ?? request.PfxPath));
            }

            // A damaged record or certificate of another CA is Get-CA's to report; it stands in the way of no import.
            var existing = _cas.Repository.LoadAll(new List<PkiException>());
            var already = existing.FirstOrDefault(r => _cas.Repository.HasCertificate(r, der));
            if (already != null)
            {
                throw new PkiException(ErrorIds.CaAlreadyInStore, PkiErrorKind.ResourceExists, source, Messages.CaAlreadyInStore.Format(already.Name, already.Id));
            }
            var stored = _cas.Repository.LoadReadable();
            CaChainLinks.Plan plan;
            try
            {
                plan = CaChainLinks.Link(certificate, chain, stored, source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
            }
            if (name != null) CaRepository.EnsureNameFree(existing, name);
            var keyPem = key == null ? null : Pkcs8Pem.Encode(key, request.KeyPassword);

            var created = NewRecord(publicKey.Description, crlUrl, keyless);
            created.KeyProtected = !keyless && request.KeyPassword != null;
            // The chain that came with it goes in first, top down, each a CA without its key.
            var above = plan.Above.Reverse()
                .Select(c => (Record: NewRecord(PublicKeyInfo.FromSubjectPublicKeyInfo(c.SubjectPublicKeyInfo, source).Description, null, keyless: true), Certificate: c))
                .ToList();
            // Every CA to be written is read as Get-CA will read it before the first file is: nothing is left half imported.
            foreach (var (record, content) in above) _cas.Preview(record, content, e => Unreadable(source, e, Messages.ReasonCertificateDamaged));
            _cas.Preview(created, certificate, e => Unreadable(source, e, Messages.ReasonCertificateDamaged));
            _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.KeyFolder);
            using (_store.Lock(cancellation))
            {
                var current = _cas.Repository.LoadAll(new List<PkiException>());
                if (name != null) CaRepository.EnsureNameFree(current, name);
                var names = current.Select(r => r.Name).ToList();
                var authorities = new List<(CaRecord Record, byte[] CertificateDer, string? KeyPem)>();
                var issuerId = plan.StoreIssuerId;
                foreach (var (record, content) in above)
                {
                    record.IssuerId = issuerId;
                    record.IsRoot = issuerId == null;
                    record.Name = RecordNames.UniqueFrom(content.SubjectAttribute(X509Name.CN) ?? Messages.ImportedCaName, names);
                    names.Add(record.Name);
                    authorities.Add((record, content.Der, null));
                    issuerId = record.Id;
                }
                created.IssuerId = issuerId;
                created.IsRoot = issuerId == null;
                var commonName = certificate.SubjectAttribute(X509Name.CN) ?? Messages.ImportedCaName;
                created.Name = name ?? RecordNames.UniqueFrom(commonName, names);
                authorities.Add((created, der, keyPem));
                _cas.Repository.WriteNewChain(authorities);
            }
            return _cas.ToOutput(_cas.Repository.Load(created));
        }

        private CaRecord NewRecord(string algorithm, string? crlUrl, bool keyless) => new CaRecord
        {
            Id = Hex.Lower(SerialNumber.Generate()),
            Algorithm = algorithm,
            CrlUrl = crlUrl,
            Imported = true,
            Keyless = keyless,
            CreatedAt = _cas.Now,
        };

        /// <summary>A certificate of the chain that came with the CA: a CA that can sign (<see cref="ImportedCaRules"/>), of a key we take.</summary>
        private static CertificateContent ParseChainCertificate(byte[] der, string source)
        {
            var (content, publicKey) = ParseCertificate(der, source);
            KeyPolicy.CaImport.Require(publicKey, source);
            return content;
        }

        /// <summary>
        /// The certificate (the file's first), how to read its key once the certificate has been checked (none without a
        /// key file), and the certificates after it in the file: its chain.
        /// </summary>
        private static (byte[] Der, Func<PrivateKey>? Key, string Source, IReadOnlyList<byte[]> Chain) ReadPem(ImportCaRequest request)
        {
            var certificatePath = request.CertificatePath ?? throw new ArgumentException("CertificatePath or PfxPath is required", nameof(request));
            var keyPath = request.KeyPath;
            var bytes = ReadFile(certificatePath);
            var all = InputFile.IsDer(bytes) ? new[] { bytes } : Pem.DecodeAll(InputFile.Text(bytes), Pem.CertificateLabel);
            if (all.Count == 0) all = new[] { CertificateContent.FirstCertificate(bytes) };
            Func<PrivateKey>? key = keyPath == null ? null : () => KeyFile.Read(InputFile.Text(ReadFile(keyPath)), request.KeyFilePassword, keyPath);
            return (all[0], key, certificatePath, all.Skip(1).ToList());
        }

        /// <summary>The PFX's key entry and its certificate, and the PFX's other certificates: its chain.</summary>
        private static (byte[] Der, Func<PrivateKey>? Key, string Source, IReadOnlyList<byte[]> Chain) ReadPfx(ImportCaRequest request)
        {
            var path = request.PfxPath!;
            var bytes = ReadFile(path);
            var password = request.KeyFilePassword == null ? new char[0] : KeyProtection.CopyChars(request.KeyFilePassword);
            byte[] pkcs8;
            byte[] certificate;
            IReadOnlyList<byte[]> others;
            try
            {
                (pkcs8, certificate, others) = Pkcs12Reader.Read(bytes, password, path,
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
            }, path, others);
        }

        /// <summary>
        /// The certificate, a CA that can sign (<see cref="ImportedCaRules"/>), and its public key; within the input limits,
        /// and ImportFileUnreadable when malformed.
        /// </summary>
        private static (CertificateContent Certificate, PublicKeyInfo PublicKey) ParseCertificate(byte[] der, string source)
        {
            DerInput.Check(der, source);
            try
            {
                var content = CertificateContent.FromDer(der, source, e => ImportedCaRules.ValidityUnreadable(der)
                    ? ImportedCaRules.Unusable(source, Messages.ReasonValidityUnreadable, e)
                    : Unreadable(source, e, Messages.ReasonCertificateDamaged));
                ImportedCaRules.Require(content, source);
                return (content, PublicKeyInfo.FromSubjectPublicKeyInfo(content.SubjectPublicKeyInfo, source));
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
