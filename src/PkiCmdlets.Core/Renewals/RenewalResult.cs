using System;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>What Invoke-CertificateRenewal did with one certificate.</summary>
    public sealed class RenewalResult
    {
        /// <summary>Renewed, NotDue, Skipped or Failed (a RenewalStatus name, so that ConvertTo-Json writes the name).</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>The certificate looked at (for Renewed, the one now replaced).</summary>
        public string Identifier { get; internal set; } = string.Empty;

        public string CommonName { get; internal set; } = string.Empty;

        public string[] Names { get; internal set; } = new string[0];

        /// <summary>The store CA that issued it, or the ACME certificate authority's name.</summary>
        public string IssuerName { get; internal set; } = string.Empty;

        public DateTimeOffset NotAfter { get; internal set; }

        /// <summary>When it is due (for NotDue, when it will be).</summary>
        public DateTimeOffset? RenewAt { get; internal set; }

        /// <summary>What became of it: the new certificate, or why it was not due, skipped or failed.</summary>
        public string? Reason { get; internal set; }

        /// <summary>For Failed: the error's stable id, as in the error record.</summary>
        public string? ErrorId { get; internal set; }

        /// <summary>For Renewed: the identifier of the new certificate.</summary>
        public string? ReplacedBy { get; internal set; }

        /// <summary>For Renewed: the new certificate, as Get-IssuedCertificate shows it.</summary>
        public IssuedCertificate? NewCertificate { get; internal set; }

        /// <summary>For ACME certificates: the order that brought it, and the renewal's order.</summary>
        public int? OrderId { get; internal set; }

        public int? NewOrderId { get; internal set; }

        /// <summary>The certificate authority's page about its renewal window, when it gave one.</summary>
        public string? ExplanationUrl { get; internal set; }

        /// <summary>For Renewed: what a hook could not do (the new certificate is kept all the same).</summary>
        public string? HookError { get; internal set; }

        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => Status + " " + Identifier;
    }
}
