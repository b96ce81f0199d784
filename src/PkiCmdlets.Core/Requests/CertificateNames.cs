using System.Collections.Generic;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// The names a certificate covers, one rule for all: what a CSR asks for, what a certificate is issued for and
    /// what an ACME order orders. And their X.509 form, the subjectAltName's GeneralNames, both ways.
    /// </summary>
    internal static class CertificateNames
    {
        /// <summary>
        /// The common name first when it stands for a name (a DNS name or an IP address; not free text, not an e-mail
        /// address), then <paramref name="names"/>, each once (compared without regard to case).
        /// </summary>
        public static List<SubjectAlternativeName> Covered(string? commonName, IEnumerable<SubjectAlternativeName> names)
        {
            var covered = new List<SubjectAlternativeName>();
            var fromCommonName = commonName == null ? null : NameRules.FromCommonName(commonName);
            if (fromCommonName != null) covered.Add(fromCommonName);
            foreach (var name in names) NameRules.AddDistinct(covered, name);
            return covered;
        }

        /// <summary>True when a certificate for these names would name a server: what it covers holds a DNS name or an IP address.</summary>
        public static bool NamesAServer(string? commonName, IEnumerable<SubjectAlternativeName> names) =>
            Covered(commonName, names).Exists(n => n.Type == SubjectAlternativeNameType.Dns || n.Type == SubjectAlternativeNameType.IpAddress);

        /// <summary>
        /// The DNS names (validated) and IP addresses of the subjectAltName in <paramref name="extensions"/> (a request's
        /// or a certificate's), each once; other kinds of name do not belong in a server certificate.
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

        /// <summary>Microsoft's user principal name, an otherName whose value is a UTF8String (1.3.6.1.4.1.311.20.2.3).</summary>
        public static readonly DerObjectIdentifier UserPrincipalNameOid = new DerObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

        /// <summary>
        /// Every name of the subjectAltName in <paramref name="extensions"/> (a request's or a certificate's) that a client
        /// certificate can carry, validated, each once: DNS names, IP addresses, e-mail addresses, URIs and user principal
        /// names. Other kinds (directory names, other otherNames) are left out.
        /// </summary>
        public static List<SubjectAlternativeName> Identities(X509Extensions? extensions)
        {
            var names = new List<SubjectAlternativeName>();
            var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san == null) return names;
            foreach (var general in GeneralNames.GetInstance(san.GetParsedValue()).GetNames())
            {
                var entry = general.TagNo switch
                {
                    GeneralName.DnsName => new SubjectAlternativeName(SubjectAlternativeNameType.Dns, NameRules.NormalizeDnsName(DerIA5String.GetInstance(general.Name).GetString())),
                    GeneralName.IPAddress => new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress,
                        new IPAddress(Asn1OctetString.GetInstance(general.Name).GetOctets()).ToString()),
                    GeneralName.Rfc822Name => new SubjectAlternativeName(SubjectAlternativeNameType.Email, NameRules.NormalizeEmail(DerIA5String.GetInstance(general.Name).GetString())),
                    GeneralName.UniformResourceIdentifier => new SubjectAlternativeName(SubjectAlternativeNameType.Uri, NameRules.NormalizeUri(DerIA5String.GetInstance(general.Name).GetString())),
                    GeneralName.OtherName => UserPrincipalName(Asn1Sequence.GetInstance(general.Name)),
                    _ => null,
                };
                if (entry != null) NameRules.AddDistinct(names, entry);
            }
            return names;
        }

        private static SubjectAlternativeName? UserPrincipalName(Asn1Sequence otherName)
        {
            if (otherName.Count != 2 || !UserPrincipalNameOid.Equals(otherName[0])) return null;
            var value = DerUtf8String.GetInstance(Asn1TaggedObject.GetInstance(otherName[1]).GetExplicitBaseObject()).GetString();
            return new SubjectAlternativeName(SubjectAlternativeNameType.UserPrincipalName, NameRules.NormalizeUserPrincipalName(value));
        }

        /// <summary>The subjectAltName's value for <paramref name="names"/>, in their order.</summary>
        public static GeneralNames ToGeneralNames(IEnumerable<SubjectAlternativeName> names)
        {
            var general = new List<GeneralName>();
            foreach (var name in names)
            {
                general.Add(name.Type switch
                {
                    SubjectAlternativeNameType.Dns => new GeneralName(GeneralName.DnsName, new DerIA5String(name.Value)),
                    SubjectAlternativeNameType.IpAddress => new GeneralName(GeneralName.IPAddress, new DerOctetString(IPAddress.Parse(name.Value).GetAddressBytes())),
                    SubjectAlternativeNameType.Uri => new GeneralName(GeneralName.UniformResourceIdentifier, new DerIA5String(name.Value)),
                    SubjectAlternativeNameType.UserPrincipalName => new GeneralName(GeneralName.OtherName,
                        new DerSequence(UserPrincipalNameOid, new DerTaggedObject(true, 0, new DerUtf8String(name.Value)))),
                    _ => new GeneralName(GeneralName.Rfc822Name, new DerIA5String(name.Value)),
                });
            }
            return new GeneralNames(general.ToArray());
        }
    }
}
