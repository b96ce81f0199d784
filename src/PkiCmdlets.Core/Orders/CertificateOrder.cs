using System;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// An order for a public certificate over ACME, as Submit-, Get- and Complete-CertificateOrder return it
    /// (seed 003's order with DescribeCertificateState's details). OrderId binds by property name to the other
    /// order cmdlets; Identifier (the stored certificate's, once issued) to Get- and Export-IssuedCertificate.
    /// </summary>
    public sealed class CertificateOrder
    {
        /// <summary>The store's number for the order: 1, 2, 3, … never reused (the seed's OrderId).</summary>
        public int OrderId { get; internal set; }

        /// <summary>An OrderStatus name (a string, so that ConvertTo-Json writes the name).</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>The DNS names and IP addresses ordered: the CSR's common name and subjectAltNames.</summary>
        public string[] Domains { get; internal set; } = new string[0];

        /// <summary>Dns or Http (a ValidationMethod name).</summary>
        public string ValidationMethod { get; internal set; } = string.Empty;

        /// <summary>One entry per domain: the TXT record or file that proves control of it.</summary>
        public OrderChallenge[] Challenges { get; internal set; } = new OrderChallenge[0];

        /// <summary>When the certificate expires, once the order has brought one (its NotAfter); null before.</summary>
        public DateTimeOffset? NotAfter { get; internal set; }

        /// <summary>When the certificate authority drops the order if it is not finished (not when the certificate expires: that is NotAfter).</summary>
        public DateTimeOffset? Expires { get; internal set; }

        /// <summary>The ACME directory URL.</summary>
        public string Server { get; internal set; } = string.Empty;

        /// <summary>The ACME profile asked for (the seed's ProductCode), or null for the server's default.</summary>
        public string? Profile { get; internal set; }

        /// <summary>The stored certificate's identifier once issued and downloaded; see Get-IssuedCertificate.</summary>
        public string? CertificateIdentifier { get; internal set; }

        /// <summary>Same as <see cref="CertificateIdentifier"/>, so an order pipes into Get- and Export-IssuedCertificate.</summary>
        public string? Identifier => CertificateIdentifier;

        /// <summary>The certificate authority's problem when the order is invalid: detail, type, and each domain's failure.</summary>
        public string? Error { get; internal set; }

        public string? CommonName { get; internal set; }

        /// <summary>The CSR in the store whose key the order certifies, when the CSR was made with New-Csr.</summary>
        public int? CsrId { get; internal set; }

        /// <summary>The contact e-mail given with the order (ACME's account contact when it created the account).</summary>
        public string? Email { get; internal set; }

        /// <summary>Kept with the order only: ACME carries no contact name.</summary>
        public string? Username { get; internal set; }

        /// <summary>Kept with the order only: ACME carries only mailto: contacts.</summary>
        public string? Phone { get; internal set; }

        public string AccountUrl { get; internal set; } = string.Empty;
        public string OrderUrl { get; internal set; } = string.Empty;

        /// <summary>True when the order was submitted with -SkipCertificateCheck; later commands on it skip the check too.</summary>
        public bool SkipCertificateCheck { get; internal set; }

        /// <summary>The web root the http-01 files are written under, when given.</summary>
        public string? WebRoot { get; internal set; }

        /// <summary>The chain asked for where the CA offers several (Submit-CertificateOrder -PreferredChain), or null.</summary>
        public string? PreferredChain { get; internal set; }

        public DateTimeOffset CreatedAt { get; internal set; }

        /// <summary>When the status was last read from the certificate authority.</summary>
        public DateTimeOffset CheckedAt { get; internal set; }

        public string StorePath { get; internal set; } = string.Empty;

        /// <summary>For a renewal, the order whose certificate it renews (Invoke-CertificateRenewal).</summary>
        public int? ReplacesOrderId { get; internal set; }

        /// <summary>The order that renewed this order's certificate, once one has.</summary>
        public int? ReplacedByOrderId { get; internal set; }

        public override string ToString() => "Order " + OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
