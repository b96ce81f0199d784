using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// The ICANN section of the Public Suffix List (PublicSuffixList.dat, embedded), with the list's algorithm: the longest
    /// matching rule wins, an exception rule (!www.ck) over a wildcard rule (*.ck), and a name no rule matches has its last
    /// label as its public suffix (the list's default rule "*"). Rules are kept as A-labels, the form names are checked in.
    /// </summary>
    internal static class PublicSuffixList
    {
        private static readonly Lazy<Rules> List = new Lazy<Rules>(Load);

        /// <summary>Whether <paramref name="name"/> (lower-case A-labels, no trailing dot) is itself a public suffix, such as com, co.uk or foo.ck.</summary>
        public static bool IsPublicSuffix(string name)
        {
            var labels = name.Split('.');
            var rules = List.Value;
            string Last(int count) => string.Join(".", labels, labels.Length - count, count);
            for (var count = labels.Length; count >= 1; count--)
            {
                // An exception rule (!www.ck) prevails: its public suffix is the rule without its first label.
                if (rules.Exceptions.Contains(Last(count))) return false;
            }
            var suffixLabels = 1;
            for (var count = labels.Length; count >= 1; count--)
            {
                if (rules.Plain.Contains(Last(count)) || (count > 1 && rules.Wildcards.Contains(Last(count - 1))))
                {
                    suffixLabels = count;
                    break;
                }
            }
            return suffixLabels >= labels.Length;
        }

        private static Rules Load()
        {
            var rules = new Rules();
            var idn = new IdnMapping();
            using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(typeof(PublicSuffixList).Namespace + ".PublicSuffixList.dat")
                ?? throw new InvalidOperationException("PublicSuffixList.dat is not embedded in " + typeof(PublicSuffixList).Assembly.FullName);
            using var reader = new StreamReader(stream);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                var rule = line.Trim();
                if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal)) continue;
                var set = rules.Plain;
                if (rule.StartsWith("!", StringComparison.Ordinal))
                {
                    set = rules.Exceptions;
                    rule = rule.Substring(1);
                }
                else if (rule.StartsWith("*.", StringComparison.Ordinal))
                {
                    set = rules.Wildcards;
                    rule = rule.Substring(2);
                }
                set.Add(idn.GetAscii(rule).ToLowerInvariant());
            }
            return rules;
        }

        private sealed class Rules
        {
            public HashSet<string> Plain { get; } = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>The names under which every label is a public suffix: "ck" for the rule *.ck.</summary>
            public HashSet<string> Wildcards { get; } = new HashSet<string>(StringComparer.Ordinal);

            public HashSet<string> Exceptions { get; } = new HashSet<string>(StringComparer.Ordinal);
        }
    }
}
