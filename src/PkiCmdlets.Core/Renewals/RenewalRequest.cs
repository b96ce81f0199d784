using System.Collections.Generic;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>The parameters of Invoke-CertificateRenewal.</summary>
    public sealed class RenewalRequest
    {
        /// <summary>Only these certificates (identifiers or serial numbers), whether set up or not; all that renew when null or empty.</summary>
        public IList<string>? Identifiers { get; set; }

        /// <summary>Renew now, due or not (revoked ones too).</summary>
        public bool Force { get; set; }

        /// <summary>The longest wait for each ACME order, 1 to 86400 seconds; default 300.</summary>
        public int? TimeoutSeconds { get; set; }

        /// <summary>Write nothing: renewal information read is not remembered and the run is not logged (-WhatIf).</summary>
        public bool WhatIf { get; set; }
    }

    /// <summary>The parameters of Set-CertificateRenewal.</summary>
    public sealed class SetRenewalRequest
    {
        public string Identifier { get; set; } = string.Empty;

        /// <summary>1 to 99: renew once this share of the lifetime has passed; 0 for the default, two thirds; null leaves it.</summary>
        public int? RenewAfterPercent { get; set; }

        /// <summary>A new key at each renewal (true), the same key (false), or as it was (null).</summary>
        public bool? NewKey { get; set; }
    }
}
