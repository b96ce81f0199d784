using System;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// A certificate as renewal sees it (Get-, Set- and Remove-CertificateRenewal): whether runs renew it, when it is
    /// due and by which rule, and what its last renewal did. Identifier binds by property name to the other renewal
    /// cmdlets and to Get- and Export-IssuedCertificate.
    /// </summary>
    public sealed class CertificateRenewal
    {
        public string Identifier { get; internal set; } = string.Empty;

        public string CommonName { get; internal set; } = string.Empty;

        public string[] Names { get; internal set; } = new string[0];

        public string IssuerName { get; internal set; } = string.Empty;

        /// <summary>The issuing CA's Id, or acme for a certificate ordered over ACME.</summary>
        public string IssuerId { get; internal set; } = string.Empty;

        public DateTimeOffset NotBefore { get; internal set; }

        public DateTimeOffset NotAfter { get; internal set; }

        /// <summary>Whether every Invoke-CertificateRenewal run renews it when due (ACME certificates by default, store-issued ones once set up).</summary>
        public bool Enabled { get; internal set; }

        /// <summary>The share of the lifetime after which it renews; null for two thirds.</summary>
        public int? RenewAfterPercent { get; internal set; }

        /// <summary>Whether each renewal makes a new key.</summary>
        public bool NewKey { get; internal set; }

        /// <summary>When it is due, as last known: by renewal information when its server gave some, else by its lifetime.</summary>
        public DateTimeOffset RenewAt { get; internal set; }

        /// <summary>RenewalInfo (the certificate authority's window) or Lifetime.</summary>
        public string RenewAtFrom { get; internal set; } = string.Empty;

        /// <summary>Whether RenewAt has passed.</summary>
        public bool Due { get; internal set; }

        /// <summary>For ACME certificates: the order that brought it, and its server.</summary>
        public int? OrderId { get; internal set; }

        public string? Server { get; internal set; }

        /// <summary>The certificate authority's suggested window and its page about it, when it gave them, and when it may be asked again.</summary>
        public DateTimeOffset? WindowStart { get; internal set; }

        public DateTimeOffset? WindowEnd { get; internal set; }

        public string? ExplanationUrl { get; internal set; }

        public DateTimeOffset? NextCheck { get; internal set; }

        public DateTimeOffset? LastAttempt { get; internal set; }

        /// <summary>Renewed or Failed, for the last attempt.</summary>
        public string? LastStatus { get; internal set; }

        public string? LastMessage { get; internal set; }

        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => "Renewal of " + Identifier;
    }
}
