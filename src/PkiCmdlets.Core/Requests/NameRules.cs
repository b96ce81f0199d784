using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// Validation and normalization of the names that go into certificates: DNS names (RFC 1035 host
    /// names after IDNA conversion, with the CA/B Forum's wildcard rule), IP addresses and e-mail addresses.
    /// </summary>
    public static class NameRules
    {
        public const int MaxDnsNameLength = 253;
        public const int MaxDnsLabelLength = 63;

        private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false };

        /// <summary>
        /// Reads SAN values given as an array, as comma-separated strings, or both; classifies each entry as
        /// an e-mail address (has '@'), an IP address (has ':' or only digits and dots) or a DNS name.
        /// Duplicates are dropped, keeping the first; more than <see cref="CertificateNames.MaxNames"/> is TooManyNames.
        /// </summary>
        public static IReadOnlyList<SubjectAlternativeName> ParseList(IEnumerable<string>? values)
        {
            var result = new List<SubjectAlternativeName>();
            if (values == null) return result;
            foreach (var value in values)
            {
                if (value == null) continue;
                foreach (var part in value.Split(','))
                {
                    var entry = part.Trim();
                    if (entry.Length == 0) continue;
                    AddDistinct(result, Parse(entry));
                    CertificateNames.RequireAtMostMax(result.Count, entry);
                }
            }
            return result;
        }

        public static SubjectAlternativeName Parse(string entry)
        {
            if (entry.IndexOf('@') >= 0)
            {
                return new SubjectAlternativeName(SubjectAlternativeNameType.Email, NormalizeEmail(entry));
            }
            if (LooksLikeIpAddress(entry))
            {
                return new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, NormalizeIpAddress(entry).ToString());
            }
            return new SubjectAlternativeName(SubjectAlternativeNameType.Dns, NormalizeDnsName(entry));
        }

        /// <summary>
        /// A dNSName as a request or a certificate carries it: a DNS name and nothing else. An address written there
        /// (10.0.0.1) or an e-mail address is refused, not moved to the entry it would belong in.
        /// </summary>
        public static SubjectAlternativeName ParseDnsName(string entry)
        {
            if (entry.IndexOf('@') >= 0) throw DnsError(entry, Messages.DnsReasonEmail);
            if (LooksLikeIpAddress(entry)) throw DnsError(entry, Messages.DnsReasonAddress);
            return new SubjectAlternativeName(SubjectAlternativeNameType.Dns, NormalizeDnsName(entry));
        }

        /// <summary>Adds <paramref name="name"/> unless an equal entry is already there.</summary>
        public static void AddDistinct(List<SubjectAlternativeName> list, SubjectAlternativeName name)
        {
            if (!list.Any(n => n.Type == name.Type && string.Equals(n.Value, name.Value, StringComparison.OrdinalIgnoreCase)))
            {
                list.Add(name);
            }
        }

        /// <summary>
        /// Refuses a common name that can only be meant as a server's name and cannot be one in any certificate: a wildcard
        /// that is not the whole leftmost label (web.*.corp.test: MisplacedWildcard), or an address written as four numbers
        /// or in IPv6 form that is not a valid one (10.0.0.01, with its leading zero: InvalidIpAddress). Anything else passes:
        /// free text such as CN=alice is a right common name for a client certificate.
        /// </summary>
        public static void CheckCommonName(string? commonName)
        {
            var value = (commonName ?? string.Empty).Trim();
            if (value.IndexOf('*') >= 0)
            {
                NormalizeDnsName(value);
            }
            else if (LooksLikeDottedQuad(value) || LooksLikeIpv6(value))
            {
                NormalizeIpAddress(value);
            }
        }

        private static bool LooksLikeDottedQuad(string value)
        {
            var parts = value.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length > 0 && p.All(c => c >= '0' && c <= '9'));
        }

        private static bool LooksLikeIpv6(string value) =>
            value.Count(c => c == ':') >= 2 && value.All(c => Uri.IsHexDigit(c) || c == ':' || c == '.' || c == '[' || c == ']');

        /// <summary>
        /// The SAN entry a common name stands for, or null when it is free text rather than a name. A common name that can
        /// only be meant as a name and is not a right one is refused (see <see cref="CheckCommonName"/>).
        /// </summary>
        public static SubjectAlternativeName? FromCommonName(string commonName)
        {
            var value = commonName.Trim();
            if (value.IndexOf('@') >= 0) return null;
            CheckCommonName(value);
            try
            {
                return Parse(value);
            }
            catch (PkiException)
            {
                return null;
            }
        }

        /// <summary>Returns the DNS name in lower-case ASCII (IDN converted to punycode), or throws.</summary>
        public static string NormalizeDnsName(string input)
        {
            var name = input.Trim();
            if (name.EndsWith(".", StringComparison.Ordinal) && name.Length > 1)
            {
                name = name.Substring(0, name.Length - 1); // an absolute name's root dot is not part of a certificate name
            }
            if (name.Length == 0)
            {
                throw DnsError(input, Messages.DnsReasonEmptyLabel);
            }

            var labels = name.Split('.');
            var wildcard = labels[0] == "*";
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i].IndexOf('*') >= 0 && !(i == 0 && labels[i] == "*"))
                {
                    throw Misplaced(input);
                }
            }
            if (wildcard && labels.Length < 2)
            {
                throw Misplaced(input);
            }

            var ascii = new string[labels.Length];
            for (var i = 0; i < labels.Length; i++)
            {
                ascii[i] = wildcard && i == 0 ? "*" : ToAsciiLabel(input, labels[i]);
            }

            var result = string.Join(".", ascii);
            if (result.Length > MaxDnsNameLength)
            {
                throw DnsError(input, Messages.DnsReasonTooLong.Format(result.Length));
            }
            if (wildcard && PublicSuffixList.IsPublicSuffix(result.Substring(2)))
            {
                // The CA/Browser Forum's rule (Baseline Requirements 3.2.2.6): no wildcard directly on a public suffix.
                throw new PkiException(ErrorIds.PublicSuffixWildcard, PkiErrorKind.InvalidArgument, input, Messages.PublicSuffixWildcard.Format(input, result.Substring(2)));
            }
            return result;
        }

        /// <summary>Parses dotted-decimal IPv4 (exactly four octets) or IPv6, or throws InvalidIpAddress.</summary>
        public static IPAddress NormalizeIpAddress(string input)
        {
            var text = input.Trim();
            if (text.StartsWith("[", StringComparison.Ordinal) && text.EndsWith("]", StringComparison.Ordinal))
            {
                text = text.Substring(1, text.Length - 2);
            }
            if (text.IndexOf(':') >= 0)
            {
                if (text.IndexOf('%') < 0 && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    return v6;
                }
                throw InvalidIp(input);
            }

            // IPAddress.TryParse accepts "10", "10.1" and octal forms; certificates need the plain four-octet form.
            var octets = text.Split('.');
            if (octets.Length != 4)
            {
                throw InvalidIp(input);
            }
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                var octet = octets[i];
                if (octet.Length == 0 || octet.Length > 3 || !octet.All(c => c >= '0' && c <= '9')
                    || (octet.Length > 1 && octet[0] == '0')
                    || !byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    throw InvalidIp(input);
                }
            }
            return new IPAddress(bytes);
        }

        /// <summary>Checks local@domain (printable ASCII local part, DNS domain); returns it with the domain normalized.</summary>
        public static string NormalizeEmail(string input)
        {
            var text = input.Trim();
            var at = text.LastIndexOf('@');
            var local = at > 0 ? text.Substring(0, at) : string.Empty;
            var domain = at > 0 ? text.Substring(at + 1) : string.Empty;
            if (local.Length == 0 || local.Length > 64 || domain.Length == 0
                || local.Any(c => c <= ' ' || c > '~' || c == '@' || c == ',' || c == '"' || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == ';' || c == ':' || c == '\\')
                || local.StartsWith(".", StringComparison.Ordinal) || local.EndsWith(".", StringComparison.Ordinal) || local.Contains(".."))
            {
                throw InvalidEmail(input);
            }
            string normalizedDomain;
            try
            {
                normalizedDomain = NormalizeDnsName(domain);
            }
            catch (PkiException e)
            {
                throw new PkiException(ErrorIds.InvalidEmailAddress, PkiErrorKind.InvalidArgument, input,
                    Messages.InvalidEmailAddress.Format(input), e);
            }
            if (normalizedDomain.StartsWith("*", StringComparison.Ordinal) || normalizedDomain.IndexOf('.') < 0)
            {
                throw InvalidEmail(input);
            }
            return local + "@" + normalizedDomain;
        }

        private static bool LooksLikeIpAddress(string entry) =>
            entry.IndexOf(':') >= 0 || entry.All(c => (c >= '0' && c <= '9') || c == '.' || c == '[' || c == ']');

        private static string ToAsciiLabel(string input, string label)
        {
            if (label.Length == 0)
            {
                throw DnsError(input, Messages.DnsReasonEmptyLabel);
            }

            var ascii = label.ToLowerInvariant();
            if (ascii.Any(c => c > 0x7F))
            {
                ascii = ToALabel(input, ascii);
            }
            else if (ascii.StartsWith("xn--", StringComparison.Ordinal))
            {
                CheckALabel(input, ascii);
            }
            else if (ascii.Length >= 4 && ascii[2] == '-' && ascii[3] == '-')
            {
                throw DnsError(input, Messages.DnsReasonReservedHyphens.Format(label));
            }

            foreach (var c in ascii)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    throw DnsError(input, Messages.DnsReasonIllegalCharacter.Format(c));
                }
            }
            if (ascii.Length > MaxDnsLabelLength)
            {
                throw new PkiException(ErrorIds.DnsLabelTooLong, PkiErrorKind.InvalidArgument, input,
                    Messages.DnsLabelTooLong.Format(input, label, ascii.Length));
            }
            if (ascii[0] == '-' || ascii[ascii.Length - 1] == '-')
            {
                throw DnsError(input, Messages.DnsReasonHyphen.Format(label));
            }
            return ascii;
        }

        /// <summary>
        /// The A-label (punycode) of a label in Unicode, refused unless it is an IDNA 2008 U-label that converts and back
        /// without a change: a character the converter would map to another or drop is never silently dropped.
        /// </summary>
        private static string ToALabel(string input, string label)
        {
            var problem = Idna2008.Problem(label);
            if (problem != null) throw DnsError(input, Messages.DnsReasonIdn.Format(problem));
            string ascii;
            try
            {
                ascii = Idn.GetAscii(label);
                if (Idn.GetUnicode(ascii) != label) throw DnsError(input, Messages.DnsReasonIdn.Format(Messages.IdnaReasonChanged.Format(label, Idn.GetUnicode(ascii))));
            }
            catch (ArgumentException e)
            {
                throw DnsError(input, Messages.DnsReasonIdn.Format(e.Message));
            }
            return ascii.ToLowerInvariant();
        }

        /// <summary>An xn-- label must be the A-label of an IDNA 2008 U-label, in the one form that label converts to.</summary>
        private static void CheckALabel(string input, string label)
        {
            string unicode;
            try
            {
                unicode = Idn.GetUnicode(label);
            }
            catch (ArgumentException)
            {
                throw DnsError(input, Messages.DnsReasonIdn.Format(Messages.IdnaReasonNotALabel.Format(label)));
            }
            var problem = Idna2008.Problem(unicode);
            if (problem != null) throw DnsError(input, Messages.DnsReasonIdn.Format(problem));
            if (!string.Equals(Idn.GetAscii(unicode), label, StringComparison.OrdinalIgnoreCase))
            {
                throw DnsError(input, Messages.DnsReasonIdn.Format(Messages.IdnaReasonNotALabel.Format(label)));
            }
        }

        private static PkiException DnsError(string input, string reason) =>
            new PkiException(ErrorIds.InvalidDnsName, PkiErrorKind.InvalidArgument, input, Messages.InvalidDnsName.Format(input, reason));

        private static PkiException Misplaced(string input) =>
            new PkiException(ErrorIds.MisplacedWildcard, PkiErrorKind.InvalidArgument, input, Messages.MisplacedWildcard.Format(input));

        private static PkiException InvalidIp(string input) =>
            new PkiException(ErrorIds.InvalidIpAddress, PkiErrorKind.InvalidArgument, input, Messages.InvalidIpAddress.Format(input));

        private static PkiException InvalidEmail(string input) =>
            new PkiException(ErrorIds.InvalidEmailAddress, PkiErrorKind.InvalidArgument, input, Messages.InvalidEmailAddress.Format(input));

        // ---- Identities of client certificates: URIs and user principal names ------------------------------------

        public const int MaxUriLength = 2048;

        /// <summary>
        /// An absolute URI of printable ASCII (an IA5String in the certificate), such as urn:uuid:… or https://…; a SPIFFE ID
        /// (spiffe://) also keeps the SPIFFE rules: a trust domain of lower-case letters, digits, '.', '-' and '_', a path
        /// without empty, '.' or '..' segments, and no port, user, query or fragment. InvalidUri otherwise.
        /// </summary>
        public static string NormalizeUri(string input)
        {
            var text = (input ?? string.Empty).Trim();
            if (text.Length == 0 || text.Length > MaxUriLength || text.Any(c => c <= ' ' || c > '~')
                || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0 || text.IndexOf(':') <= 0)
            {
                throw InvalidUri(input, Messages.UriReasonNotAbsolute);
            }
            if (!string.Equals(uri.Scheme, "spiffe", StringComparison.OrdinalIgnoreCase)) return text;

            const string prefix = "spiffe://";
            if (!text.StartsWith(prefix, StringComparison.Ordinal)) throw InvalidUri(input, Messages.UriReasonSpiffeScheme);
            var rest = text.Substring(prefix.Length);
            var slash = rest.IndexOf('/');
            var trustDomain = slash < 0 ? rest : rest.Substring(0, slash);
            var path = slash < 0 ? string.Empty : rest.Substring(slash);
            if (trustDomain.Length == 0 || trustDomain.Length > 255 || !trustDomain.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            {
                throw InvalidUri(input, Messages.UriReasonSpiffeTrustDomain.Format(trustDomain));
            }
            if (text.IndexOf('?') >= 0 || text.IndexOf('#') >= 0) throw InvalidUri(input, Messages.UriReasonSpiffeQuery);
            if (path.Length > 0)
            {
                foreach (var segment in path.Substring(1).Split('/'))
                {
                    if (segment.Length == 0 || segment == "." || segment == ".."
                        || !segment.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
                    {
                        throw InvalidUri(input, Messages.UriReasonSpiffePath.Format(segment));
                    }
                }
            }
            return text;
        }

        /// <summary>
        /// A user principal name, user@domain: a user part without spaces, control characters or a second '@' (it is a
        /// UTF8String, so letters beyond ASCII are kept), and a valid DNS domain, normalized. InvalidUserPrincipalName otherwise.
        /// </summary>
        public static string NormalizeUserPrincipalName(string input)
        {
            var text = (input ?? string.Empty).Trim();
            var at = text.LastIndexOf('@');
            var user = at > 0 ? text.Substring(0, at) : string.Empty;
            var domain = at > 0 ? text.Substring(at + 1) : string.Empty;
            if (user.Length == 0 || user.Length > 256 || domain.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '@'))
            {
                throw InvalidUserPrincipalName(input);
            }
            string normalizedDomain;
            try
            {
                normalizedDomain = NormalizeDnsName(domain);
            }
            catch (PkiException e)
            {
                throw new PkiException(ErrorIds.InvalidUserPrincipalName, PkiErrorKind.InvalidArgument, input,
                    Messages.InvalidUserPrincipalName.Format(input), e);
            }
            if (normalizedDomain.StartsWith("*", StringComparison.Ordinal)) throw InvalidUserPrincipalName(input);
            return user + "@" + normalizedDomain;
        }

        private static PkiException InvalidUri(string? input, string reason) =>
            new PkiException(ErrorIds.InvalidUri, PkiErrorKind.InvalidArgument, input, Messages.InvalidUri.Format(input, reason));

        private static PkiException InvalidUserPrincipalName(string? input) =>
            new PkiException(ErrorIds.InvalidUserPrincipalName, PkiErrorKind.InvalidArgument, input, Messages.InvalidUserPrincipalName.Format(input));
    }
}
