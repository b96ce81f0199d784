namespace PkiCmdlets.Core.Renewals
{
    /// <summary>What a renewal run did with one certificate.</summary>
    public enum RenewalStatus
    {
        /// <summary>A new certificate replaces it (NewCertificate).</summary>
        Renewed,

        /// <summary>Not yet: RenewAt says when.</summary>
        NotDue,

        /// <summary>Left alone, for the Reason given (revoked, renewed already, another session renewing it, no order to renew).</summary>
        Skipped,

        /// <summary>The renewal failed: Reason and ErrorId say why; the certificate stays as it was.</summary>
        Failed,
    }
}
