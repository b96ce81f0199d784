namespace PkiCmdlets.Core.Orders
{
    /// <summary>The parameters of Complete-CertificateOrder.</summary>
    public sealed class CompleteCertificateOrderRequest
    {
        public const int DefaultTimeoutSeconds = 300;
        public const int MaxTimeoutSeconds = 86400;

        public int OrderId { get; set; }

        /// <summary>Wait until the order is valid (certificate stored) or invalid.</summary>
        public bool Wait { get; set; }

        /// <summary>With <see cref="Wait"/>: the longest wait in all, 1 to 86400 seconds; default 300.</summary>
        public int? TimeoutSeconds { get; set; }
    }
}
