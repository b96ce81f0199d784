using System;
using System.Collections.Generic;
using System.Security;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>A certificate to issue from a CSR: the parameters of New-ServerCertificate (seed 002's CreateServerCertificateWithCsr).</summary>
    public sealed class NewCertificateRequest
    {
        /// <summary>PEM text of the request (or base64 DER).</summary>
        public string? Csr { get; set; }
        /// <summary>A request file made by openssl or keytool, PEM or DER; used when <see cref="Csr"/> is null.</summary>
        public string? CsrPath { get; set; }
        public CaIdentity? Issuer { get; set; }
        public SecureString? IssuerKeyPassword { get; set; }
        public IList<string>? Domains { get; set; }
        public string? CommonName { get; set; }
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        public string? Algorithm { get; set; }
        public int? Days { get; set; }
        public int? Months { get; set; }
        public int? Years { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        public DateTimeOffset? NotAfter { get; set; }
        public bool IncludeChain { get; set; }
        public bool EnableCrl { get; set; }
        /// <summary>The certificate profile that makes it, by name: Server (the default, also for null).</summary>
        public string? Profile { get; set; }
    }
}
