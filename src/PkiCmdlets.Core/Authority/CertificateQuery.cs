using System.Collections.Generic;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>Get-IssuedCertificate's filters; every one given must match.</summary>
    public sealed class CertificateQuery
    {
        public IList<string>? Identifiers { get; set; }
        public IList<string>? SerialNumbers { get; set; }
        public CaIdentity? Issuer { get; set; }
        /// <summary>Wildcard patterns matched against the DNS names, IP addresses and common name.</summary>
        public IList<string>? DnsNames { get; set; }
        /// <summary>Valid certificates whose NotAfter falls within this many days from now.</summary>
        public int? ExpiresWithinDays { get; set; }
        public CertificateStatus? Status { get; set; }
        /// <summary>The profiles that made them (Server, Client, ServerAndClient); CertificateProfileUnknown for a name not in the table.</summary>
        public IList<string>? Profiles { get; set; }
    }
}
