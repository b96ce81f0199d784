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
            var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name!.Trim();
            if (name != null) RecordNames.Validate(name);
            var crlUrl = CaFactory.ValidateCrlUrl(request.CrlUrl);

            var (der, readKey, source, chainDer) = request.PfxPath != null ? ReadPfx(request) : ReadPem(request);
            // The certificate is checked before the key is read: a key we cannot sign with is refused by what it is.
            var (certificate, isCa, publicKey) = ParseCertificate(der, source);
            if (!isCa)
            {
                throw new PkiException(ErrorIds.CaImportNotCa, PkiErrorKind.InvalidData, source, Messages.CaImportNotCa.Format(source));
            }
            KeyPolicy.CaImport.Require(publicKey, source);
            var chain = chainDer.Select(d => ParseChainCertificate(d, source)).ToList();
            using var key = readKey?.Invoke();
            if (key != null && !publicKey.Matches(key))
            {
                throw new PkiException(ErrorIds.CaImportKeyMismatch, PkiErrorKind.InvalidData, request.KeyPath ?? request.PfxPath,
                    Messages.CaImportKeyMismatch.Format(request.KeyPath ?? request.PfxPath));
            }

            var existing = _cas.Repository.LoadAll(null);
            var stored = existing.Select(_cas.Repository.Load).ToList();
            var already = stored.FirstOrDefault(c => c.Der.SequenceEqual(der));
            if (already != null)
            {
                throw new PkiException(ErrorIds.CaAlreadyInStore, PkiErrorKind.ResourceExists, source, Messages.CaAlreadyInStore.Format(already.Record.Name, already.Record.Id));
            }
            CaChainLinks.Plan plan;
            try
            {
                plan = CaChainLinks.Link(CertificateContent.FromDer(der, e => Unreadable(source, e, Messages.ReasonCertificateDamaged)), chain, stored, source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e, Messages.ReasonCertificateDamaged);
            }
            if (name != null) CaRepository.EnsureNameFree(existing, name);
            var keyPem = key == null ? null : Pkcs8Pem.Encode(key, request.KeyPassword);

            var created = NewRecord(publicKey.Description, crlUrl, keyless);
            created.KeyProtected = !keyless && request.KeyPassword != null;
            _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.KeyFolder);
            using (_store.Lock(cancellation))
            {
                var current = _cas.Repository.LoadAll(null);
                if (name != null) CaRepository.EnsureNameFree(current, name);
                var names = current.Select(r => r.Name).ToList();
                // The chain that came with it goes in first, top down, each a CA without its key.
                var authorities = new List<(CaRecord Record, byte[] CertificateDer, string? KeyPem)>();
                var issuerId = plan.StoreIssuerId;
                foreach (var above in plan.Above.Reverse())
                {
                    var record = NewRecord(PublicKeyInfo.FromSubjectPublicKeyInfo(above.SubjectPublicKeyInfo, source).Description, null, keyless: true);
                    record.IssuerId = issuerId;
                    record.IsRoot = issuerId == null;
                    record.Name = RecordNames.UniqueFrom(CertificateContent.Attribute(above.Structure.Subject, X509Name.CN) ?? Messages.ImportedCaName, names);
                    names.Add(record.Name);
                    authorities.Add((record, above.Der, null));
                    issuerId = record.Id;
                }
                created.IssuerId = issuerId;
                created.IsRoot = issuerId == null;
                var commonName = CertificateContent.Attribute(certificate.Subject, X509Name.CN) ?? Messages.ImportedCaName;
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

        /// <summary>A certificate of the chain that came with the CA: a CA's, of a key we read; ImportFileUnreadable otherwise.</summary>
        private static CertificateContent ParseChainCertificate(byte[] der, string source)
        {
            var (_, _, publicKey) = ParseCertificate(der, source);
            var content = CertificateContent.FromDer(der, e => Unreadable(source, e, Messages.ReasonCertificateDamaged));
            CaChainLinks.RequireCa(content, source);
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
            var all = bytes.Length > 0 && bytes[0] == 0x30 ? new[] { bytes } : Pem.DecodeAll(PkiStore.FromUtf8(bytes), Pem.CertificateLabel);
            if (all.Count == 0) all = new[] { CertificateContent.FirstCertificate(bytes) };
            Func<PrivateKey>? key = keyPath == null ? null : () => KeyFile.Read(PkiStore.FromUtf8(ReadFile(keyPath)), request.KeyFilePassword, keyPath);
            return (all[0], key, certificatePath, all.Skip(1).ToList());
        }

        /// <summary>The PFX's key entry and its certificate, and the PFX's other certificates: its chain.</summary>
        private static (byte[] Der, Func<PrivateKey>? Key, string Source, IReadOnlyList<byte[]> Chain) ReadPfx(ImportCaRequest request)
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
            var others = new List<byte[]>();
            try
            {
                alias = pfx.Aliases.Cast<string>().FirstOrDefault(pfx.IsKeyEntry);
                certificate = alias == null ? null : pfx.GetCertificate(alias)?.Certificate.GetEncoded();
                foreach (var entry in pfx.Aliases.Cast<string>())
                {
                    var certificates = pfx.IsKeyEntry(entry)
                        ? pfx.GetCertificateChain(entry)?.Select(c => c.Certificate) ?? Enumerable.Empty<Org.BouncyCastle.X509.X509Certificate>()
                        : new[] { pfx.GetCertificate(entry)?.Certificate }.Where(c => c != null).Select(c => c!);
                    foreach (var der in certificates.Select(c => c.GetEncoded()))
                    {
                        if (!others.Any(o => o.SequenceEqual(der))) others.Add(der);
                    }
                }
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
            }, path, others.Where(o => !o.SequenceEqual(certificate)).ToList());
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
