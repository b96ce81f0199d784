using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;

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

        /// <summary>Where the server offers the same certificate with other chains.</summary>
        public IReadOnlyList<Uri> Alternates { get; internal set; } = Array.Empty<Uri>();

        /// <summary>
        /// The names a preferred chain is chosen by: the common name of the issuer of the topmost certificate (the root
        /// the chain leads to), then the common names of the chain's certificates.
        /// </summary>
        public IReadOnlyList<string> Names
        {
            get
            {
                var names = new List<string>();
                var topmost = Chain.Count > 0 ? Chain[Chain.Count - 1] : Leaf;
                AddCommonName(names, topmost, issuer: true);
                foreach (var certificate in Chain) AddCommonName(names, certificate, issuer: false);
                return names;
            }
        }

        private static void AddCommonName(List<string> names, byte[] der, bool issuer)
        {
            try
            {
                var certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
                var values = (issuer ? certificate.Issuer : certificate.Subject).GetValueList(X509Name.CN);
                if (values.Count > 0) names.Add((string)values[0]!);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                // A certificate that does not read names nothing; storing the chain checks what matters.
            }
        }
    }
}
