using System.Collections.Generic;
using System.Net;
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
        public static byte[] Build(SubjectName subject, IReadOnlyList<SubjectAlternativeName> sans, PrivateKey key)
        {
            var attributes = new List<Asn1Encodable>();
            if (sans.Count > 0)
            {
                var extensions = new X509ExtensionsGenerator();
                extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, ToGeneralNames(sans));
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

        /// <summary>
        /// The other way round, for the subjectAltName of a request or a certificate: its DNS names (validated)
        /// and IP addresses, each once; other kinds of name do not belong in a server certificate.
        /// </summary>
        public static List<SubjectAlternativeName> ServerNames(X509Extensions? extensions)
        {
            var names = new List<SubjectAlternativeName>();
            var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san == null) return names;
            foreach (var general in GeneralNames.GetInstance(san.GetParsedValue()).GetNames())
            {
                var entry = general.TagNo switch
                {
                    GeneralName.DnsName => NameRules.Parse(DerIA5String.GetInstance(general.Name).GetString()),
                    GeneralName.IPAddress => new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress,
                        new IPAddress(Asn1OctetString.GetInstance(general.Name).GetOctets()).ToString()),
                    _ => null,
                };
                if (entry != null && entry.Type != SubjectAlternativeNameType.Email) NameRules.AddDistinct(names, entry);
            }
            return names;
        }

        public static GeneralNames ToGeneralNames(IEnumerable<SubjectAlternativeName> sans)
        {
            var names = new List<GeneralName>();
            foreach (var san in sans)
            {
                names.Add(san.Type switch
                {
                    SubjectAlternativeNameType.Dns => new GeneralName(GeneralName.DnsName, new DerIA5String(san.Value)),
                    SubjectAlternativeNameType.IpAddress => new GeneralName(GeneralName.IPAddress, new DerOctetString(IPAddress.Parse(san.Value).GetAddressBytes())),
                    _ => new GeneralName(GeneralName.Rfc822Name, new DerIA5String(san.Value)),
                });
            }
            return new GeneralNames(names.ToArray());
        }
    }
}
