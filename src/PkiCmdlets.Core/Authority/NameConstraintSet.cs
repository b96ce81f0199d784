using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// RFC 5280 §4.2.1.10 name constraints of an intermediate: which DNS domains and IP ranges the
    /// certificates below it may name. Checked before issuing, so we never sign what clients would reject.
    /// </summary>
    public sealed class NameConstraintSet
    {
        public static readonly NameConstraintSet None = new NameConstraintSet(new string[0], new string[0], new IpRange[0], new IpRange[0]);

        private NameConstraintSet(IReadOnlyList<string> permittedDns, IReadOnlyList<string> excludedDns,
            IReadOnlyList<IpRange> permittedIp, IReadOnlyList<IpRange> excludedIp)
        {
            PermittedDnsDomains = permittedDns;
            ExcludedDnsDomains = excludedDns;
            PermittedIpRanges = permittedIp;
            ExcludedIpRanges = excludedIp;
        }

        public IReadOnlyList<string> PermittedDnsDomains { get; }
        public IReadOnlyList<string> ExcludedDnsDomains { get; }
        public IReadOnlyList<IpRange> PermittedIpRanges { get; }
        public IReadOnlyList<IpRange> ExcludedIpRanges { get; }

        public bool IsEmpty => PermittedDnsDomains.Count + ExcludedDnsDomains.Count + PermittedIpRanges.Count + ExcludedIpRanges.Count == 0;

        /// <summary>
        /// Validates user input: domains as DNS names (a leading '.' means subdomains only), ranges in CIDR
        /// form (10.0.0.0/8, fd00::/8).
        /// </summary>
        public static NameConstraintSet Create(IEnumerable<string>? permittedDns, IEnumerable<string>? excludedDns, IEnumerable<string>? permittedIp)
        {
            return new NameConstraintSet(Domains(permittedDns), Domains(excludedDns),
                Split(permittedIp).Select(IpRange.Parse).ToList(), new IpRange[0]);
        }

        /// <summary>Reads the nameConstraints extension value (DER) of a CA certificate.</summary>
        public static NameConstraintSet FromExtension(Asn1Encodable value)
        {
            var constraints = NameConstraints.GetInstance(value);
            var permitted = Subtrees(constraints.PermittedSubtreesValue);
            var excluded = Subtrees(constraints.ExcludedSubtreesValue);
            return new NameConstraintSet(
                permitted.Where(n => n.TagNo == GeneralName.DnsName).Select(n => DerIA5String.GetInstance(n.Name).GetString()).ToList(),
                excluded.Where(n => n.TagNo == GeneralName.DnsName).Select(n => DerIA5String.GetInstance(n.Name).GetString()).ToList(),
                permitted.Where(n => n.TagNo == GeneralName.IPAddress).Select(n => IpRange.FromOctets(Asn1OctetString.GetInstance(n.Name).GetOctets())).ToList(),
                excluded.Where(n => n.TagNo == GeneralName.IPAddress).Select(n => IpRange.FromOctets(Asn1OctetString.GetInstance(n.Name).GetOctets())).ToList());
        }

        /// <summary>The extension value; the extension is critical, as RFC 5280 requires.</summary>
        public NameConstraints ToExtension()
        {
            GeneralSubtrees? Trees(IEnumerable<GeneralName> names)
            {
                var list = names.Select(n => new GeneralSubtree(n)).ToArray();
                return list.Length == 0 ? null : new GeneralSubtrees(list);
            }
            var permitted = Trees(PermittedDnsDomains.Select(DnsName).Concat(PermittedIpRanges.Select(r => r.ToGeneralName())));
            var excluded = Trees(ExcludedDnsDomains.Select(DnsName).Concat(ExcludedIpRanges.Select(r => r.ToGeneralName())));
            return new NameConstraints(permitted, excluded);
        }

        /// <summary>Whether a certificate may carry <paramref name="name"/> below these constraints.</summary>
        public bool Permits(SubjectAlternativeName name)
        {
            switch (name.Type)
            {
                case SubjectAlternativeNameType.Dns:
                    if (ExcludedDnsDomains.Any(d => DnsWithin(name.Value, d) || WildcardReaches(name.Value, d))) return false;
                    return PermittedDnsDomains.Count == 0 || PermittedDnsDomains.Any(d => DnsWithin(name.Value, d));
                case SubjectAlternativeNameType.IpAddress:
                    var address = IPAddress.Parse(name.Value);
                    if (ExcludedIpRanges.Any(r => r.Contains(address))) return false;
                    return PermittedIpRanges.Count == 0 || PermittedIpRanges.Any(r => r.Contains(address));
                default:
                    return true;
            }
        }

        public override string ToString()
        {
            var parts = new List<string>();
            if (PermittedDnsDomains.Count > 0) parts.Add("permitted DNS: " + string.Join(", ", PermittedDnsDomains));
            if (PermittedIpRanges.Count > 0) parts.Add("permitted IP: " + string.Join(", ", PermittedIpRanges));
            if (ExcludedDnsDomains.Count > 0) parts.Add("excluded DNS: " + string.Join(", ", ExcludedDnsDomains));
            if (ExcludedIpRanges.Count > 0) parts.Add("excluded IP: " + string.Join(", ", ExcludedIpRanges));
            return string.Join("; ", parts);
        }

        /// <summary>
        /// Whether a wildcard name could stand for a name in an excluded subtree: *.example.com matches
        /// secret.example.com, so an exclusion of secret.example.com refuses it (clients such as Chromium do).
        /// </summary>
        private static bool WildcardReaches(string name, string excluded)
        {
            if (!name.StartsWith("*.", StringComparison.Ordinal) || excluded.StartsWith(".", StringComparison.Ordinal)) return false;
            var suffix = name.Substring(1);
            return excluded.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && excluded.Length > suffix.Length
                && excluded.IndexOf('.', 0, excluded.Length - suffix.Length) < 0;
        }

        /// <summary>
        /// RFC 5280: "example.com" covers the domain and every name made by adding labels on the left;
        /// ".example.com" (the OpenSSL convention) covers only the subdomains. A wildcard name stands for one
        /// more label.
        /// </summary>
        private static bool DnsWithin(string name, string constraint)
        {
            // A wildcard stands for one more label: *.example.com is within example.com and .example.com.
            var host = name.StartsWith("*.", StringComparison.Ordinal) ? "x" + name.Substring(1) : name;
            if (constraint.StartsWith(".", StringComparison.Ordinal))
            {
                return host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase) && host.Length > constraint.Length;
            }
            return string.Equals(host, constraint, StringComparison.OrdinalIgnoreCase)
                || host.EndsWith("." + constraint, StringComparison.OrdinalIgnoreCase);
        }

        private static List<string> Domains(IEnumerable<string>? values) => Split(values).Select(value =>
        {
            var subdomainsOnly = value.StartsWith(".", StringComparison.Ordinal);
            var domain = NameRules.NormalizeDnsName(subdomainsOnly ? value.Substring(1) : value);
            if (domain.StartsWith("*", StringComparison.Ordinal))
            {
                throw new PkiException(ErrorIds.InvalidNameConstraint, PkiErrorKind.InvalidArgument, value, Messages.InvalidNameConstraintDomain.Format(value));
            }
            return subdomainsOnly ? "." + domain : domain;
        }).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        private static IEnumerable<string> Split(IEnumerable<string>? values) =>
            (values ?? Enumerable.Empty<string>()).Where(v => v != null).SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0);

        private static GeneralName DnsName(string domain) => new GeneralName(GeneralName.DnsName, new DerIA5String(domain));

        private static List<GeneralName> Subtrees(GeneralSubtrees? trees) =>
            trees == null ? new List<GeneralName>() : trees.GetElements().Select(t => t.Base).ToList();

        /// <summary>An IPv4 or IPv6 network in CIDR form.</summary>
        public sealed class IpRange
        {
            private readonly byte[] _network;
            private readonly int _prefix;

            private IpRange(byte[] network, int prefix)
            {
                _network = network;
                _prefix = prefix;
            }

            public static IpRange Parse(string text)
            {
                var slash = text.IndexOf('/');
                if (slash > 0
                    && IPAddress.TryParse(text.Substring(0, slash), out var address)
                    && int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
                {
                    var bytes = address.GetAddressBytes();
                    if (prefix <= bytes.Length * 8 && address.ToString().IndexOf('%') < 0)
                    {
                        // Host bits must be zero: 10.1.2.3/8 is more likely a typo than a way to write 10.0.0.0/8.
                        if (Enumerable.SequenceEqual(Masked(bytes, prefix), bytes)) return new IpRange(bytes, prefix);
                    }
                }
                throw new PkiException(ErrorIds.InvalidNameConstraint, PkiErrorKind.InvalidArgument, text, Messages.InvalidNameConstraintRange.Format(text));
            }

            /// <summary>From a constraint's octets: address then mask (8 bytes for IPv4, 32 for IPv6).</summary>
            public static IpRange FromOctets(byte[] octets)
            {
                var half = octets.Length / 2;
                var network = octets.Take(half).ToArray();
                var prefix = octets.Skip(half).Sum(b => Convert.ToString(b, 2).Count(c => c == '1'));
                return new IpRange(network, prefix);
            }

            public bool Contains(IPAddress address)
            {
                var bytes = address.GetAddressBytes();
                return bytes.Length == _network.Length && Enumerable.SequenceEqual(Masked(bytes, _prefix), Masked(_network, _prefix));
            }

            public GeneralName ToGeneralName()
            {
                var mask = new byte[_network.Length];
                for (var bit = 0; bit < _prefix; bit++) mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
                return new GeneralName(GeneralName.IPAddress, new DerOctetString(_network.Concat(mask).ToArray()));
            }

            public override string ToString() => new IPAddress(_network) + "/" + _prefix.ToString(CultureInfo.InvariantCulture);

            private static byte[] Masked(byte[] bytes, int prefix)
            {
                var result = new byte[bytes.Length];
                for (var bit = 0; bit < prefix; bit++)
                {
                    var mask = (byte)(0x80 >> (bit % 8));
                    result[bit / 8] |= (byte)(bytes[bit / 8] & mask);
                }
                return result;
            }
        }
    }
}
