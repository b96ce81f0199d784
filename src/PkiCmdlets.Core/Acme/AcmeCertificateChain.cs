using System.Collections.Generic;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>A downloaded certificate (RFC 8555 §7.4.2): the end-entity certificate and the issuers after it.</summary>
    public sealed class AcmeCertificateChain
    {
        internal AcmeCertificateChain(byte[] leaf, IReadOnlyList<byte[]> chain, string pem)
        {
            Leaf = leaf;
            Chain = chain;
            Pem = pem;
        }

        /// <summary>DER of the certificate issued for the CSR.</summary>
        public byte[] Leaf { get; }

        /// <summary>DER of the issuing certificates, in the server's order (issuer of the leaf first).</summary>
        public IReadOnlyList<byte[]> Chain { get; }

        /// <summary>The application/pem-certificate-chain text as the server sent it.</summary>
        public string Pem { get; }
    }
}
