using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    public enum ExportFormat
    {
        Pem,
        Der,
        Pfx,
    }

    /// <summary>The parameters of Export-IssuedCertificate.</summary>
    public sealed class ExportRequest
    {
        public string Identifier { get; set; } = string.Empty;
        public ExportFormat Format { get; set; }
        /// <summary>Full file-system path of the file to write.</summary>
        public string Path { get; set; } = string.Empty;
        /// <summary>The CAs above the certificate, after it in <see cref="Path"/> (PEM) or in the PFX; the root only with <see cref="IncludeRoot"/>.</summary>
        public bool IncludeChain { get; set; }
        /// <summary>The self-signed root at the top of the chain too, wherever a chain is written.</summary>
        public bool IncludeRoot { get; set; }
        public bool IncludePrivateKey { get; set; }
        /// <summary>A PEM file of the chain alone, without the certificate (Apache's SSLCertificateChainFile, certbot's chain.pem).</summary>
        public string? ChainPath { get; set; }
        /// <summary>A PEM file of the certificate and its chain (nginx's ssl_certificate, certbot's fullchain.pem).</summary>
        public string? FullChainPath { get; set; }
        /// <summary>A PEM file of the private key alone (PKCS#8, encrypted with <see cref="Password"/> when given; 0600).</summary>
        public string? KeyPath { get; set; }
        /// <summary>The PFX password, or for PEM the password that encrypts the exported key.</summary>
        public SecureString? Password { get; set; }
        /// <summary>The password of the key in the store, when New-Csr -KeyPassword encrypted it.</summary>
        public SecureString? KeyPassword { get; set; }
        public bool Force { get; set; }
        /// <summary>PFX with 3DES and a SHA-1 MAC, for Windows Server 2016 and older.</summary>
        public bool LegacyEncryption { get; set; }
    }

    /// <summary>
    /// Writes an issued certificate as PEM, DER or PFX, with its chain and its key from the store on request, and beside it
    /// the files web servers take (the chain alone, the full chain, the key alone). Files with a private key are 0600 on
    /// Linux and macOS, the others 0644 (see <see cref="OutputFile"/>).
    /// </summary>
    public sealed class CertificateExportService
    {
        private readonly PkiStore _store;
        private readonly CertificateService _certificates;

        public CertificateExportService(PkiStore store)
        {
            _store = store;
            _certificates = new CertificateService(store);
        }

        /// <summary>
        /// What makes an export fail whatever certificate it is given: the format and its options, the passwords, and the
        /// file to write. Export-IssuedCertificate checks it before the commands before it in the pipeline make anything.
        /// </summary>
        public static void Check(ExportRequest request)
        {
            if (request.Format == ExportFormat.Der && (request.IncludeChain || request.IncludePrivateKey))
            {
                var what = request.IncludeChain ? "-IncludeChain" : "-IncludePrivateKey";
                throw new PkiException(ErrorIds.ExportFormatConflict, PkiErrorKind.InvalidArgument, request.Format, Messages.ExportFormatConflict.Format("DER", what));
            }
            if (request.Format == ExportFormat.Pfx && request.Password == null)
            {
                throw new PkiException(ErrorIds.PfxPasswordRequired, PkiErrorKind.InvalidArgument, null, Messages.PfxPasswordRequired);
            }
            if (request.Password != null && request.Password.Length == 0)
            {
                throw new PkiException(ErrorIds.KeyPasswordEmpty, PkiErrorKind.InvalidArgument, null,
                    request.Format == ExportFormat.Pfx ? Messages.ExportPfxPasswordEmpty : Messages.ExportPemPasswordEmpty);
            }
            var paths = Paths(request);
            var repeated = paths.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated != null)
            {
                throw new PkiException(ErrorIds.ExportPathRepeated, PkiErrorKind.InvalidArgument, repeated.Key, Messages.ExportPathRepeated.Format(repeated.Key));
            }
            foreach (var path in paths) OutputFile.RequireNewOrForced(path, request.Force);
        }

        /// <summary>Every file the request writes, -Path first.</summary>
        private static List<string> Paths(ExportRequest request) =>
            new[] { request.Path, request.ChainPath, request.FullChainPath, request.KeyPath }.Where(p => p != null).Select(p => p!).ToList();

        /// <summary>Writes the files and returns their paths, -Path first; checks everything before writing anything.</summary>
        public IReadOnlyList<string> Export(ExportRequest request)
        {
            Check(request);
            var certificate = _certificates.Get(request.Identifier);
            var leaf = Pem.Decode(certificate.X509Certificate, Pem.CertificateLabel);
            var chain = Pem.DecodeAll(certificate.CertificateChain ?? string.Empty, Pem.CertificateLabel).ToList();
            if (!request.IncludeRoot && chain.Count > 0 && IsSelfSigned(chain[chain.Count - 1], certificate.Identifier)) chain.RemoveAt(chain.Count - 1);
            var certificates = new List<byte[]> { leaf };
            if (request.IncludeChain) certificates.AddRange(chain);
            var withKey = request.IncludePrivateKey || request.KeyPath != null;
            var pkcs8 = withKey ? ReadKey(certificate, request.KeyPassword) : null;
            try
            {
                var files = new List<(string Path, byte[] Content, int Mode)>();
                var pathKey = request.IncludePrivateKey ? pkcs8 : null;
                var content = request.Format switch
                {
                    ExportFormat.Der => leaf,
                    ExportFormat.Pfx => Pkcs12Writer.Write(certificates, pathKey, request.Password!,
                        request.LegacyEncryption ? PfxEncryption.TripleDesSha1 : PfxEncryption.Aes256Sha256, certificate.CommonName),
                    _ => PkiStore.Utf8(PemBundle(certificates, pathKey, request.Password)),
                };
                files.Add((request.Path, content, pathKey != null ? OutputFile.SecretMode : OutputFile.PublicMode));
                if (request.ChainPath != null) files.Add((request.ChainPath, PkiStore.Utf8(PemBundle(chain, null, null)), OutputFile.PublicMode));
                if (request.FullChainPath != null) files.Add((request.FullChainPath, PkiStore.Utf8(PemBundle(new[] { leaf }.Concat(chain), null, null)), OutputFile.PublicMode));
                if (request.KeyPath != null) files.Add((request.KeyPath, PkiStore.Utf8(Pkcs8Pem.Encode(pkcs8!, request.Password)), OutputFile.SecretMode));
                foreach (var file in files) OutputFile.Write(file.Path, file.Content, file.Mode);
                return files.Select(f => f.Path).ToList();
            }
            finally
            {
                if (pkcs8 != null) Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        /// <summary>Whether a certificate of the chain is a root: issued by its own subject, signed by its own key.</summary>
        private static bool IsSelfSigned(byte[] der, string identifier) =>
            CaChainLinks.IsSelfSigned(CertificateContent.FromDer(der, identifier, e => new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, identifier,
                Messages.CertificateUnreadable.Format(CertificateContent.Reason(e)), e)), identifier);

        private byte[] ReadKey(IssuedCertificate certificate, SecureString? keyPassword)
        {
            if (certificate.CsrId == null)
            {
                throw new PkiException(ErrorIds.PrivateKeyNotAvailable, PkiErrorKind.ObjectNotFound, certificate.Identifier,
                    Messages.PrivateKeyNotAvailable.Format(certificate.Identifier));
            }
            string keyPem;
            bool isProtected;
            try
            {
                keyPem = new CsrService(_store).ReadKeyPem(certificate.CsrId.Value, out isProtected);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.CsrNotFound)
            {
                throw new PkiException(ErrorIds.PrivateKeyNotAvailable, PkiErrorKind.ObjectNotFound, certificate.Identifier,
                    Messages.PrivateKeyNotAvailable.Format(certificate.Identifier), e);
            }
            var source = "CSR " + certificate.CsrId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (isProtected && keyPassword == null)
            {
                throw new PkiException(ErrorIds.CsrKeyPasswordRequired, PkiErrorKind.SecurityError, certificate.Identifier,
                    Messages.CsrKeyPasswordRequired.Format(certificate.Identifier));
            }
            var pkcs8 = Pkcs8Pem.Decode(keyPem, isProtected ? keyPassword : null, source);
            // The CSR record is found by public key at issuance; this guards against a store edited since.
            using var key = PrivateKey.FromPkcs8(pkcs8, source);
            var certificateKey = PublicKeyInfo.FromSubjectPublicKeyInfo(
                CertificateContent.FromDer(certificate.Der, certificate.Identifier, e => new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, certificate.Identifier,
                    Messages.CertificateUnreadable.Format(e.Message), e)).SubjectPublicKeyInfo,
                certificate.Identifier);
            if (!certificateKey.Matches(key))
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
                throw new PkiException(ErrorIds.PrivateKeyNotAvailable, PkiErrorKind.ObjectNotFound, certificate.Identifier,
                    Messages.PrivateKeyNotAvailable.Format(certificate.Identifier));
            }
            return pkcs8;
        }

        /// <summary>Leaf, chain, then the key (PKCS#8, encrypted when a password is given), as web servers expect.</summary>
        private static string PemBundle(IEnumerable<byte[]> certificates, byte[]? pkcs8, SecureString? password)
        {
            var text = string.Concat(certificates.Select(c => Pem.Encode(Pem.CertificateLabel, c)));
            if (pkcs8 == null) return text;
            return text + Pkcs8Pem.Encode(pkcs8, password);
        }
    }
}
