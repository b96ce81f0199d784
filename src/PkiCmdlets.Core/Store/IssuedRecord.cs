using System;
using System.Collections.Generic;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// One certificate's record in its issuer's journal (see <see cref="IssuedJournal"/>): enough to filter and to
    /// build CRLs without opening any certificate file.
    /// </summary>
    internal sealed class IssuedRecord
    {
        public string Identifier { get; set; } = string.Empty;
        public string SerialNumber { get; set; } = string.Empty;
        public string Subject { get; set; } = string.Empty;
        public string CommonName { get; set; } = string.Empty;
        public List<string> DnsNames { get; set; } = new List<string>();
        public List<string> IpAddresses { get; set; } = new List<string>();
        /// <summary>A client certificate's e-mail addresses, user principal names and URIs; null (left out of the line) when none.</summary>
        public List<string>? EmailAddresses { get; set; }
        public List<string>? UserPrincipalNames { get; set; }
        public List<string>? Uris { get; set; }
        public string Algorithm { get; set; } = string.Empty;
        public DateTimeOffset NotBefore { get; set; }
        public DateTimeOffset NotAfter { get; set; }
        public string Thumbprint { get; set; } = string.Empty;
        public int? CsrId { get; set; }
        public DateTimeOffset IssuedAt { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
        public RevocationReason? RevocationReason { get; set; }
        /// <summary>The issuer's common name, for certificates from outside CAs (a store CA's records leave it out: their journal is the CA's).</summary>
        public string? IssuerName { get; set; }
        /// <summary>The chain an outside CA sent (base64 DER, issuer first); none for a store CA's certificates.</summary>
        public List<string>? Chain { get; set; }
        /// <summary>
        /// The name of the certificate profile that made it (see Authority's CertificateProfiles). Records written before
        /// it was recorded have none: they were all made by the server profile.
        /// </summary>
        public string? Profile { get; set; }
    }
}
