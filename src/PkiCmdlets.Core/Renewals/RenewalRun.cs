using System;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>One Invoke-CertificateRenewal run, as the store's run log keeps it (Get-RenewalJob shows the last ones).</summary>
    public sealed class RenewalRun
    {
        public DateTimeOffset StartedAt { get; set; }

        public DateTimeOffset FinishedAt { get; set; }

        /// <summary>Each certificate renewed: "old identifier -> new identifier".</summary>
        public string[] Renewed { get; set; } = new string[0];

        /// <summary>Each certificate whose renewal failed: "identifier: why".</summary>
        public string[] Failed { get; set; } = new string[0];

        public int NotDue { get; set; }

        public int Skipped { get; set; }

        public override string ToString() => StartedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
    }
}
