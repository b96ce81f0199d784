using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>An order's status at the certificate authority (RFC 8555 §7.1.6), as last seen.</summary>
    public enum OrderStatus
    {
        /// <summary>Waiting for the challenges to be answered and validated.</summary>
        Pending,

        /// <summary>Every domain is validated; the order waits to be finalized with the CSR.</summary>
        Ready,

        /// <summary>Finalized; the certificate authority is issuing the certificate.</summary>
        Processing,

        /// <summary>Issued. Once downloaded, CertificateIdentifier names it in the store.</summary>
        Valid,

        /// <summary>Failed for good (a challenge failed, or the order expired); Error says why.</summary>
        Invalid,
    }

    internal static class OrderStatuses
    {
        /// <summary>An ACME order status; anything RFC 8555 does not define for orders counts as invalid.</summary>
        public static OrderStatus FromAcme(string status) => status switch
        {
            AcmeStatus.Pending => OrderStatus.Pending,
            AcmeStatus.Ready => OrderStatus.Ready,
            AcmeStatus.Processing => OrderStatus.Processing,
            AcmeStatus.Valid => OrderStatus.Valid,
            _ => OrderStatus.Invalid,
        };
    }
}
