using System;
using System.Collections.Generic;
using System.Security;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>The parameters of New-RootCA and New-SubCA.</summary>
    public sealed class NewCaRequest
    {
        public string? Name { get; set; }
        public string? CommonName { get; set; }
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        public string? Algorithm { get; set; }
        public int? KeySize { get; set; }
        public int? Years { get; set; }
        public int? Days { get; set; }
        public DateTimeOffset? NotAfter { get; set; }
        public int? PathLength { get; set; }
        public string? CrlUrl { get; set; }
        public SecureString? KeyPassword { get; set; }
        public bool NoPassword { get; set; }

        /// <summary>
        /// New-SubCA for a key kept elsewhere: the intermediate's PKCS#10 request as text, or the file it is in (when the
        /// text is null). The subject is the request's; the store keeps the certificate without a key.
        /// </summary>
        public string? Csr { get; set; }
        public string? CsrPath { get; set; }

        /// <summary>New-SubCA only: the CA that signs the new one.</summary>
        public CaIdentity? Issuer { get; set; }
        public SecureString? IssuerKeyPassword { get; set; }
        public IList<string>? PermittedDnsDomains { get; set; }
        public IList<string>? ExcludedDnsDomains { get; set; }
        public IList<string>? PermittedIpRanges { get; set; }
    }
}
