using System;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// An intermediate whose key the store made and whose certificate a CA outside the store (an offline root) is to sign
    /// (Request-SubCA): its request, until Complete-SubCA brings the signed certificate in.
    /// </summary>
    public sealed class PendingCa
    {
        /// <summary>32 hex digits: the Id the intermediate keeps once completed.</summary>
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Subject { get; set; } = string.Empty;
        public string CommonName { get; set; } = string.Empty;
        public string Algorithm { get; set; } = string.Empty;
        public bool KeyProtected { get; set; }
        /// <summary>The PKCS#10 request (PEM) to hand to the CA that signs it.</summary>
        public string Csr { get; set; } = string.Empty;
        /// <summary>Where -Path wrote the request; null when it was not written out.</summary>
        public string? CsrPath { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public string StorePath { get; set; } = string.Empty;
    }

    /// <summary>A pending intermediate as the store keeps it, cas/pending/&lt;id&gt;.json; its request and key are files beside it.</summary>
    internal sealed class PendingCaRecord
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Algorithm { get; set; } = string.Empty;
        public bool KeyProtected { get; set; }
        public string? CrlUrl { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }

    /// <summary>The parameters of Complete-SubCA.</summary>
    public sealed class CompleteSubCaRequest
    {
        /// <summary>The pending intermediate, by Name or Id.</summary>
        public string Name { get; set; } = string.Empty;
        /// <summary>The signed certificate, PEM (its chain may follow it in the file) or DER.</summary>
        public string CertificatePath { get; set; } = string.Empty;
    }
}
