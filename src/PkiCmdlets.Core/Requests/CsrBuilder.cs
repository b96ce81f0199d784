using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>Builds and signs a PKCS#10 CertificationRequest (RFC 2986).</summary>
    internal static class CsrBuilder
    {
        /// <summary>
        /// DER of a request for <paramref name="subject"/> with the SANs in an extensionRequest attribute,
        /// signed by <paramref name="key"/> with the signature algorithm that belongs to it.
        /// </summary>
        public static byte[] Build(SubjectName subject, IReadOnlyList<SubjectAlternativeName> sans, PrivateKey key) =>
            Build(subject, key, extensions =>
            {
                if (sans.Count > 0) extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, CertificateNames.ToGeneralNames(sans));
            });

        /// <summary>
        /// DER of a request for <paramref name="subject"/> asking for the extensions <paramref name="addExtensions"/> adds (an
        /// extensionRequest attribute, left out when it adds none), signed by <paramref name="key"/>.
        /// </summary>
        public static byte[] Build(SubjectName subject, PrivateKey key, System.Action<X509ExtensionsGenerator> addExtensions)
        {
            var attributes = new List<Asn1Encodable>();
            var extensions = new X509ExtensionsGenerator();
            addExtensions(extensions);
            if (!extensions.IsEmpty)
            {
                attributes.Add(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate())));
            }

            var info = new CertificationRequestInfo(
                subject.ToX509Name(),
                SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportSubjectPublicKeyInfo())),
                new DerSet(attributes.ToArray()));
            var toBeSigned = info.GetDerEncoded();
            var signature = key.Sign(toBeSigned);
            var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(key.SignatureAlgorithm));
            return new CertificationRequest(info, algorithm, new DerBitString(signature)).GetDerEncoded();
        }
    }
}
