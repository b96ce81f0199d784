using System;
using System.Collections.Generic;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>The JSON metadata of one CSR in the store (csrs/&lt;id&gt;.json). The PEM files sit beside it.</summary>
    internal sealed class CsrRecord
    {
        public int Id { get; set; }
        public string Name { get; set; } = string.Empty;
        public CsrStatus Status { get; set; }
        public string CommonName { get; set; } = string.Empty;
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Email { get; set; }
        public List<string> SubjectAlternativeNames { get; set; } = new List<string>();
        public string Algorithm { get; set; } = string.Empty;
        public bool KeyProtected { get; set; }
        public string? PublicKeyMd5 { get; set; }
        public string? PublicKeySha256 { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? GeneratedAt { get; set; }
        public string? Remark { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    }
}
