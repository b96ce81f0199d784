using System;
using System.Collections.Generic;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// A CSR in the store, as New-Csr, Get-Csr and Set-Csr return it. Property names follow seeds 000,
    /// 001 and 004 in PowerShell form; Id and Name bind by property name to the other Csr cmdlets, and
    /// Csr (the PEM text) binds to the cmdlets that take a request.
    /// </summary>
    public sealed class CertificateSigningRequest
    {
        public int Id { get; internal set; }
        public string Name { get; internal set; } = string.Empty;
        /// <summary>Draft or Generated (a CsrStatus name: a string, so that ConvertTo-Json writes the name).</summary>
        public string Status { get; internal set; } = string.Empty;
        public string CommonName { get; internal set; } = string.Empty;

        /// <summary>DNS names (punycode), IP addresses and e-mail addresses, the common name first when it is a name.</summary>
        public string[] SubjectAlternativeNames { get; internal set; } = Array.Empty<string>();

        public string Subject { get; internal set; } = string.Empty;
        public string? Country { get; internal set; }
        public string? State { get; internal set; }
        public string? Locality { get; internal set; }
        public string? Organization { get; internal set; }
        public string? OrganizationalUnit { get; internal set; }
        public string? Email { get; internal set; }

        /// <summary>Seed-002 form: RSA_2048, ECC_256, SM2_256.</summary>
        public string Algorithm { get; internal set; } = string.Empty;

        public int KeySize { get; internal set; }

        /// <summary>The PKCS#10 request as PEM; null while the CSR is a draft.</summary>
        public string? Csr { get; internal set; }

        /// <summary>Seed 001's PubMd5: MD5 of the DER SubjectPublicKeyInfo, lower-case hex.</summary>
        public string? PublicKeyMd5 { get; internal set; }

        /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex.</summary>
        public string? PublicKeySha256 { get; internal set; }

        /// <summary>True when the private key file is encrypted with a password.</summary>
        public bool KeyProtected { get; internal set; }

        /// <summary>The PKCS#8 private key file (PEM), readable by openssl; null while a draft.</summary>
        public string? KeyPath { get; internal set; }

        public DateTimeOffset CreatedAt { get; internal set; }
        public DateTimeOffset? GeneratedAt { get; internal set; }
        public string? Remark { get; internal set; }
        public IReadOnlyDictionary<string, string> Tags { get; internal set; } = new Dictionary<string, string>();

        /// <summary>The folder of the store this CSR lives in.</summary>
        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => Name;
    }
}
