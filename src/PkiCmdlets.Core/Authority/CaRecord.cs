using System;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A CA as the store keeps it on disk, cas/&lt;id&gt;.json: what its certificate (cas/&lt;id&gt;.crt.pem) and key
    /// (keys/ca-&lt;id&gt;.key.pem) do not say (its name, its issuer's Id, how its key is kept, its CRL URL).
    /// One of four CA types: this is the file; <see cref="StoredCa"/> the file with its certificate parsed, for
    /// the core's work; <see cref="CertificateAuthority"/> what the cmdlets show; <see cref="CaIdentity"/> how a
    /// user names one.
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
        /// <summary>
        /// In the store without its key: a trust anchor (an offline root) or a CA whose key is kept elsewhere. It completes
        /// chains and is exported, but signs nothing (CaKeyNotInStore); its CRL comes in with Import-Crl.
        /// </summary>
        public bool Keyless { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
