using System;
using System.Collections.Generic;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>The JSON of one order in the store (acme/orders/&lt;id&gt;.json); the CSR sits beside it as &lt;id&gt;.csr.pem.</summary>
    internal sealed class OrderRecord
    {
        public int Id { get; set; }
        public string Server { get; set; } = string.Empty;
        public string AccountUrl { get; set; } = string.Empty;
        public string OrderUrl { get; set; } = string.Empty;

        /// <summary>The ACME status as the server gave it: pending, ready, processing, valid or invalid.</summary>
        public string Status { get; set; } = string.Empty;

        public List<string> Domains { get; set; } = new List<string>();

        /// <summary>dns-01 or http-01.</summary>
        public string ChallengeType { get; set; } = string.Empty;

        public string? Profile { get; set; }
        public DateTimeOffset? Expires { get; set; }
        public List<ChallengeRecord> Challenges { get; set; } = new List<ChallengeRecord>();
        public string? Error { get; set; }
        public string? CertificateUrl { get; set; }
        public string? CertificateIdentifier { get; set; }
        /// <summary>The certificate's NotAfter, kept with the order when the certificate is stored.</summary>
        public DateTimeOffset? CertificateNotAfter { get; set; }
        public string? CommonName { get; set; }
        public int? CsrId { get; set; }
        public string? Email { get; set; }
        public string? Username { get; set; }
        public string? Phone { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public string? WebRoot { get; set; }

        /// <summary>The chain to download when the CA offers several: the common name of its root or of one of its certificates.</summary>
        public string? PreferredChain { get; set; }

        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset CheckedAt { get; set; }

        /// <summary>A renewal's: the order it renews, and the identifier of that order's certificate, which its own replaces.</summary>
        public int? ReplacesOrderId { get; set; }
        public string? Replaces { get; set; }

        /// <summary>The order that renewed this one's certificate.</summary>
        public int? ReplacedByOrderId { get; set; }
    }

    /// <summary>One authorization of an order and the challenge of the order's type in it.</summary>
    internal sealed class ChallengeRecord
    {
        /// <summary>The domain as ordered: a wildcard keeps its "*.".</summary>
        public string Domain { get; set; } = string.Empty;

        /// <summary>dns or ip.</summary>
        public string IdentifierType { get; set; } = string.Empty;

        public string AuthorizationUrl { get; set; } = string.Empty;
        public string Type { get; set; } = string.Empty;
        public string? Url { get; set; }
        public string Status { get; set; } = string.Empty;
        public string? Token { get; set; }

        /// <summary>token.thumbprint: the http-01 file's content.</summary>
        public string? KeyAuthorization { get; set; }

        /// <summary>The dns-01 TXT value.</summary>
        public string? TxtValue { get; set; }

        /// <summary>Where -WebRoot's file was written.</summary>
        public string? FilePath { get; set; }

        public string? Error { get; set; }
    }
}
