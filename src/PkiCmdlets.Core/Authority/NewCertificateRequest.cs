using System;
using System.Collections.Generic;
using System.Security;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A certificate to issue from a CSR: the parameters of New-ServerCertificate (seed 002's CreateServerCertificateWithCsr)
    /// and New-ClientCertificate.
    /// </summary>
    public sealed class NewCertificateRequest
    {
        /// <summary>PEM text of the request (or base64 DER).</summary>
        public string? Csr { get; set; }
        /// <summary>A request file made by openssl or keytool, PEM or DER; used when <see cref="Csr"/> is null.</summary>
        public string? CsrPath { get; set; }
        public CaIdentity? Issuer { get; set; }
        public SecureString? IssuerKeyPassword { get; set; }
        /// <summary>Extra DNS names and IP addresses (a client certificate: DNS names only), each entry one name or several separated by commas.</summary>
        public IList<string>? Domains { get; set; }
        /// <summary>A client certificate's e-mail addresses (rfc822Name).</summary>
        public IList<string>? EmailAddresses { get; set; }
        /// <summary>A client certificate's user principal names (Windows logon).</summary>
        public IList<string>? UserPrincipalNames { get; set; }
        /// <summary>A client certificate's URIs, such as SPIFFE IDs (ServerAndClient takes them too).</summary>
        public IList<string>? Uris { get; set; }
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
        /// <summary>The certificate profile that makes it, by name: Server (the default, also for null), Client or ServerAndClient.</summary>
        public string? Profile { get; set; }
    }
}
