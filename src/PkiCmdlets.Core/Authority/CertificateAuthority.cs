using System;
using System.Security.Cryptography.X509Certificates;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A root or intermediate CA in the store as the cmdlets show it (seed 002's DescribeCACertificate): every
    /// fact of its record and certificate, with the certificate itself. The output type; the core works with
    /// <see cref="StoredCa"/>, and a user names a CA with a <see cref="CaIdentity"/>.
    /// </summary>
    public sealed class CertificateAuthority
    {
        /// <summary>32 hex digits; the seed's Identifier and ParentIdentifier.</summary>
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Subject { get; set; } = string.Empty;
        public string CommonName { get; set; } = string.Empty;
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        /// <summary>Seed 002 form: RSA_2048, ECC_256, SM2_256, ….</summary>
        public string Algorithm { get; set; } = string.Empty;
        public int KeySize { get; set; }
        public DateTimeOffset NotBefore { get; set; }
        public DateTimeOffset NotAfter { get; set; }
        public string SerialNumber { get; set; } = string.Empty;
        public string Thumbprint { get; set; } = string.Empty;
        /// <summary>The store name of the CA that issued this one (its own name for a root).</summary>
        public string IssuerName { get; set; } = string.Empty;
        /// <summary>The issuer's distinguished name, as the certificate carries it.</summary>
        public string IssuerSubject { get; set; } = string.Empty;
        /// <summary>The issuing CA's Id; null for a root.</summary>
        public string? IssuerId { get; set; }
        public bool IsRoot { get; set; }
        /// <summary>Root or Intermediate, as the table shows it: <c>Get-CA | Where-Object Kind -eq Root</c>.</summary>
        public string Kind => IsRoot ? "Root" : "Intermediate";
        /// <summary>basicConstraints pathLenConstraint; null means unlimited.</summary>
        public int? PathLength { get; set; }
        /// <summary>Where this CA's CRL is published; certificates it issues with -EnableCrl point there.</summary>
        public string? CrlUrl { get; set; }
        public string[] PermittedDnsDomains { get; set; } = new string[0];
        public string[] ExcludedDnsDomains { get; set; } = new string[0];
        public string[] PermittedIpRanges { get; set; } = new string[0];
        public bool KeyProtected { get; set; }
        /// <summary>True while Unlock-CA keeps the key usable in this process.</summary>
        public bool Unlocked { get; set; }
        /// <summary>True when signing with this CA needs a password now: its key is encrypted and not unlocked in this process.</summary>
        public bool Locked => KeyProtected && !Unlocked;
        public bool Imported { get; set; }
        /// <summary>
        /// False for a CA in the store without its key (an offline root's certificate, an intermediate signed here for a key
        /// kept elsewhere): it completes chains and is exported, and signs nothing.
        /// </summary>
        public bool HasKey { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        internal X509Certificate2? Certificate { get; set; }

        /// <summary>
        /// The CA certificate for .NET's and PowerShell's certificate tooling. In PowerShell it is the Certificate property
        /// (PkiCmdlets.types.ps1xml), hidden so that ConvertTo-Json and Format-List * stay short.
        /// </summary>
        public X509Certificate2? GetCertificate() => Certificate;
        public string Pem { get; set; } = string.Empty;
        /// <summary>PEM of this CA and its issuers, up to the root.</summary>
        public string Chain { get; set; } = string.Empty;
        public string StorePath { get; set; } = string.Empty;
    }
}
