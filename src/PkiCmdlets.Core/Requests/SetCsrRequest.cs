using System.Collections.Generic;
using System.Security;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>Changes to a draft CSR; null leaves a field as it is, an empty string clears it.</summary>
    public sealed class SetCsrRequest
    {
        /// <summary>The CSR to change: its Id, or, when <see cref="Name"/> is given, that exact name instead.</summary>
        public int Id { get; set; }

        public string? Name { get; set; }
        public string? NewName { get; set; }
        public string? CommonName { get; set; }
        public IList<string>? SubjectAlternativeNames { get; set; }
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Email { get; set; }
        public string? Algorithm { get; set; }
        public int? KeySize { get; set; }
        public string? Remark { get; set; }
        public IDictionary<string, string>? Tags { get; set; }

        /// <summary>Make the key and the CSR now (seed 004's Generate=true); the record becomes immutable.</summary>
        public bool Generate { get; set; }

        public SecureString? KeyPassword { get; set; }
    }
}
