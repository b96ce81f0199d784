using System.Security;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>The parameters of Submit-CertificateOrder (seed 003's CreateCertificateWithCsrRequest).</summary>
    public sealed class SubmitCertificateOrderRequest
    {
        /// <summary>PEM text of the request (or base64 DER).</summary>
        public string? Csr { get; set; }

        /// <summary>A request file, PEM or DER; used when <see cref="Csr"/> is null.</summary>
        public string? CsrPath { get; set; }

        /// <summary>The contact address; required when the store has no account at the server yet.</summary>
        public string? Email { get; set; }

        public string? Username { get; set; }
        public string? Phone { get; set; }

        /// <summary>Dns, Http, or the seed's DNS and FILE (see <see cref="ValidationMethods.Parse"/>); default Dns, or Http with a web root.</summary>
        public string? ValidationMethod { get; set; }

        /// <summary>A short name (LetsEncrypt, LetsEncryptStaging) or a directory URL; default LetsEncrypt.</summary>
        public string? Server { get; set; }

        /// <summary>An ACME profile the server offers (the seed's ProductCode).</summary>
        public string? Profile { get; set; }

        /// <summary>External account binding: the CA's key identifier.</summary>
        public string? EabKeyId { get; set; }

        /// <summary>External account binding: the CA's HMAC key, base64url.</summary>
        public SecureString? EabHmacKey { get; set; }

        public bool AcceptTermsOfService { get; set; }

        /// <summary>Accept any TLS certificate from the server (test servers only); kept with the order.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>For Http: the folder served at http://&lt;domain&gt;/, where the challenge files are written.</summary>
        public string? WebRoot { get; set; }

        /// <summary>The common name of the root (or of a certificate) of the chain to keep, when the CA offers other chains.</summary>
        public string? PreferredChain { get; set; }
    }
}
