using System.Collections.Generic;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;

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
        /// The most names a certificate covers (the common name's included), as public CAs have it: more is refused with
        /// TooManyNames, in a request, on the command line or in a certificate read.
        /// </summary>
        public const int MaxNames = 100;

        /// <summary>
        /// The DNS names (validated) and IP addresses of the subjectAltName in <paramref name="extensions"/> (a certificate's),
        /// each once; see <see cref="ServerNames(Asn1Sequence, string)"/>.
        /// </summary>
        public static List<SubjectAlternativeName> ServerNames(X509Extensions? extensions, string source)
        {
            var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            return san == null ? new List<SubjectAlternativeName>() : ServerNames(Asn1Sequence.GetInstance(san.GetParsedValue()), source);
        }

        /// <summary>
        /// The DNS names and IP addresses of a subjectAltName's GeneralNames, each once; other kinds of name do not belong in
        /// a server certificate. A dNSName must be a DNS name (an address or e-mail address written there is refused, not
        /// moved), an iPAddress 4 or 16 octets (InvalidIpAddress), and there may be at most <see cref="MaxNames"/> entries
        /// (TooManyNames); <paramref name="source"/> names what they came from.
        /// </summary>
        public static List<SubjectAlternativeName> ServerNames(Asn1Sequence generalNames, string source) => Read(generalNames, source, serverOnly: true);

        /// <summary>Microsoft's user principal name, an otherName whose value is a UTF8String (1.3.6.1.4.1.311.20.2.3).</summary>
        public static readonly DerObjectIdentifier UserPrincipalNameOid = new DerObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

        /// <summary>
        /// Every name of the subjectAltName in <paramref name="extensions"/> (a request's or a certificate's) that a client
        /// certificate can carry, validated, each once: DNS names, IP addresses, e-mail addresses, URIs and user principal
        /// names. Other kinds (directory names, other otherNames) are left out. The rules of
        /// <see cref="ServerNames(Asn1Sequence, string)"/> hold for DNS names, IP addresses and the count.
        /// </summary>
        public static List<SubjectAlternativeName> Identities(X509Extensions? extensions, string source)
        {
            var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            return san == null ? new List<SubjectAlternativeName>() : Read(Asn1Sequence.GetInstance(san.GetParsedValue()), source, serverOnly: false);
        }

        private static List<SubjectAlternativeName> Read(Asn1Sequence generalNames, string source, bool serverOnly)
        {
            RequireAtMostMax(generalNames.Count, source);
            var names = new List<SubjectAlternativeName>();
            foreach (var element in generalNames)
            {
                var general = GeneralName.GetInstance(element);
                var entry = general.TagNo switch
                {
                    GeneralName.DnsName => NameRules.ParseDnsName(DerIA5String.GetInstance(general.Name).GetString()),
                    GeneralName.IPAddress => IpAddress(Asn1OctetString.GetInstance(general.Name).GetOctets(), source),
                    GeneralName.Rfc822Name when !serverOnly => new SubjectAlternativeName(SubjectAlternativeNameType.Email, NameRules.NormalizeEmail(DerIA5String.GetInstance(general.Name).GetString())),
                    GeneralName.UniformResourceIdentifier when !serverOnly => new SubjectAlternativeName(SubjectAlternativeNameType.Uri, NameRules.NormalizeUri(DerIA5String.GetInstance(general.Name).GetString())),
                    GeneralName.OtherName when !serverOnly => UserPrincipalName(Asn1Sequence.GetInstance(general.Name)),
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

        /// <summary>TooManyNames when <paramref name="count"/> is over <see cref="MaxNames"/>.</summary>
        public static void RequireAtMostMax(int count, object? target)
        {
            if (count > MaxNames)
            {
                throw new PkiException(ErrorIds.TooManyNames, PkiErrorKind.LimitsExceeded, target, Messages.TooManyNames.Format(count, MaxNames));
            }
        }

        private static SubjectAlternativeName IpAddress(byte[] octets, string source)
        {
            if (octets.Length != 4 && octets.Length != 16)
            {
                throw new PkiException(ErrorIds.InvalidIpAddress, PkiErrorKind.InvalidData, source, Messages.InvalidIpAddressOctets.Format(source, octets.Length));
            }
            return new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, new IPAddress(octets).ToString());
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
