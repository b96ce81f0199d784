using System;

namespace PkiCmdlets.Core.Revocation
{
    /// <summary>A CRL Publish-Crl wrote.</summary>
    public sealed class PublishedCrl
    {
        public string IssuerName { get; set; } = string.Empty;
        public string IssuerId { get; set; } = string.Empty;
        /// <summary>The cRLNumber extension: grows by one with every CRL of this issuer.</summary>
        public long CrlNumber { get; set; }
        public DateTimeOffset ThisUpdate { get; set; }
        public DateTimeOffset NextUpdate { get; set; }
        public int RevokedCount { get; set; }
        /// <summary>The CRL URL certificates of this issuer point to, when it has one.</summary>
        public string? CrlUrl { get; set; }
        /// <summary>Where the store keeps the latest CRL (PEM).</summary>
        public string StoreFile { get; set; } = string.Empty;
        /// <summary>The file -Path wrote, when given.</summary>
        public string? Path { get; set; }
        public string Pem { get; set; } = string.Empty;
        public byte[] Der { get; set; } = new byte[0];
    }
}
