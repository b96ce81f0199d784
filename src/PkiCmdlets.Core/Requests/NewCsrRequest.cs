using System;
using System.Collections.Generic;
using System.Security;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>Everything New-Csr was given, unvalidated; <see cref="CsrService.Create"/> checks it all.</summary>
    public sealed class NewCsrRequest
    {
        public string? CommonName { get; set; }
        /// <summary>Told what is allowed but probably not meant (a common name that names no server); New-Csr writes it as a warning.</summary>
        public Action<string>? Warn { get; set; }
        public IList<string>? SubjectAlternativeNames { get; set; }
        public string? Country { get; set; }
        public string? State { get; set; }
        public string? Locality { get; set; }
        public string? Organization { get; set; }
        public string? OrganizationalUnit { get; set; }
        public string? Email { get; set; }
        public string? Algorithm { get; set; }
        public int? KeySize { get; set; }
        public string? Name { get; set; }
        public SecureString? KeyPassword { get; set; }
        public string? Remark { get; set; }
        public IDictionary<string, string>? Tags { get; set; }

        /// <summary>Seed 004's Generate=false: keep the record only, without key or CSR.</summary>
        public bool Draft { get; set; }
    }
}
