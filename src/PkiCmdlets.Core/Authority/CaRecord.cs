using System;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What the store keeps about a CA besides its certificate (cas/&lt;id&gt;.crt.pem) and key
    /// (keys/ca-&lt;id&gt;.key.pem): everything else is read from the certificate itself.
    /// </summary>
    internal sealed class CaRecord
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public bool IsRoot { get; set; }
        public string? IssuerId { get; set; }
        public string Algorithm { get; set; } = string.Empty;
        public bool KeyProtected { get; set; }
        public string? CrlUrl { get; set; }
        public bool Imported { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
