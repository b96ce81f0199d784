using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Core.Authority
{
    public enum CertificateStatus
    {
        Valid,
        Revoked,
        Expired,
    }

    /// <summary>
    /// A certificate of the store, as the cmdlets show it: issued by one of its CAs with any profile (seed 002's
    /// CreateServerCertificateWithCsr response), or ordered from an outside CA over ACME.
    /// </summary>
    public sealed class IssuedCertificate
    {
        /// <summary>32 hex digits, unique in the store.</summary>
        public string Identifier { get; set; } = string.Empty;
        /// <summary>Upper-case hex, as X509Certificate2.SerialNumber and `openssl x509 -serial` show it.</summary>
        public string SerialNumber { get; set; } = string.Empty;
        public string Subject { get; set; } = string.Empty;
        public string CommonName { get; set; } = string.Empty;
        public string[] DnsNames { get; set; } = new string[0];
        public string[] IpAddresses { get; set; } = new string[0];
        /// <summary>A client certificate's e-mail addresses (rfc822Name).</summary>
        public string[] EmailAddresses { get; set; } = new string[0];
        /// <summary>A client certificate's user principal names.</summary>
        public string[] UserPrincipalNames { get; set; } = new string[0];
        /// <summary>A client certificate's URIs, such as SPIFFE IDs.</summary>
        public string[] Uris { get; set; } = new string[0];
        /// <summary>Every name the certificate covers: its DNS names, its IP addresses, then a client's e-mail addresses, user principal names and URIs.</summary>
        public string[] Names => EmailAddresses.Length + UserPrincipalNames.Length + Uris.Length == 0
            ? (DnsNames.Length == 0 ? IpAddresses : IpAddresses.Length == 0 ? DnsNames : DnsNames.Concat(IpAddresses).ToArray())
            : DnsNames.Concat(IpAddresses).Concat(EmailAddresses).Concat(UserPrincipalNames).Concat(Uris).ToArray();
        public string Algorithm { get; set; } = string.Empty;
        public DateTimeOffset NotBefore { get; set; }
        public DateTimeOffset NotAfter { get; set; }
        public string IssuerName { get; set; } = string.Empty;
        /// <summary>The issuing CA's Id (seed 002's ParentIdentifier).</summary>
        public string IssuerId { get; set; } = string.Empty;
        public string Thumbprint { get; set; } = string.Empty;
        /// <summary>Valid, Revoked or Expired (a CertificateStatus name: a string, so that ConvertTo-Json writes the name).</summary>
        public string Status { get; set; } = string.Empty;
        public DateTimeOffset? RevokedAt { get; set; }
        /// <summary>The RFC 5280 reason's name once revoked (KeyCompromise, Superseded, …); null before.</summary>
        public string? RevocationReason { get; set; }
        /// <summary>The CSR in the store whose key this certificate carries, when there is one (so the key can be exported).</summary>
        public int? CsrId { get; set; }
        public DateTimeOffset IssuedAt { get; set; }
        /// <summary>
        /// The certificate profile that made it: Server for New-ServerCertificate's (and for those ordered over ACME), Client
        /// for New-ClientCertificate's, ServerAndClient for either's with -Profile ServerAndClient.
        /// </summary>
        public string Profile { get; set; } = string.Empty;
        /// <summary>The identifier of the certificate this one renewed (Invoke-CertificateRenewal), or null.</summary>
        public string? Replaces { get; set; }
        /// <summary>The identifier of the certificate that renewed this one; null while it is current.</summary>
        public string? ReplacedBy { get; set; }
        /// <remarks>Read from the store when first asked for, so that a listing of thousands reads only the certificates looked at.</remarks>
        internal X509Certificate2 Certificate => _certificate ??= Parse(Der);

        /// <summary>
        /// The certificate for .NET's and PowerShell's certificate tooling. In PowerShell it is the Certificate property
        /// (PkiCmdlets.types.ps1xml), hidden so that ConvertTo-Json and Format-List * stay short; a method here, because
        /// ConvertTo-Json writes every public property of the class whatever the type data says.
        /// </summary>
        public X509Certificate2 GetCertificate() => Certificate;
        /// <summary>The certificate as PEM (the seed's X509Certificate).</summary>
        public string X509Certificate => _pem ??= Pem.Encode(Pem.CertificateLabel, Der);

        internal byte[] Der => _der ??= _readDer();

        /// <summary>Where <see cref="Der"/> comes from: the bytes at hand, or a read of the store on first use.</summary>
        internal Func<byte[]> ReadDer
        {
            set
            {
                _readDer = value;
                _der = null;
                _certificate = null;
                _pem = null;
            }
        }

        /// <summary>The certificate as .NET reads it; a store whose bytes were damaged gives CertificateUnreadable, not .NET's exception.</summary>
        private static X509Certificate2 Parse(byte[] der)
        {
            try
            {
                return new X509Certificate2(der);
            }
            catch (CryptographicException e)
            {
                throw new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, null, Messages.CertificateUnreadable.Format(Messages.ReasonCertificateDamaged), e);
            }
        }

        private Func<byte[]> _readDer = () => new byte[0];
        private byte[]? _der;
        private X509Certificate2? _certificate;
        private string? _pem;

        /// <summary>PEM of the intermediate then the root; filled when -IncludeChain was asked for and by Get-IssuedCertificate.</summary>
        public string? CertificateChain { get; set; }
        public string StorePath { get; set; } = string.Empty;
    }
}
