using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>The names users give store records (CSRs, CAs): up to 50 letters, digits, '_', '-' and '.' (seed 000).</summary>
    public static class RecordNames
    {
        public const int MaxLength = 50;

        public static void Validate(string name)
        {
            if (name.Length == 0 || name.Length > MaxLength || !name.All(IsAllowed))
            {
                throw new PkiException(ErrorIds.InvalidName, PkiErrorKind.InvalidArgument, name, Messages.InvalidName.Format(name));
            }
        }

        /// <summary>A name given for a new record: null when blank (none given), else trimmed and validated.</summary>
        public static string? Optional(string? name)
        {
            var trimmed = string.IsNullOrWhiteSpace(name) ? null : name!.Trim();
            if (trimmed != null) Validate(trimmed);
            return trimmed;
        }

        /// <summary>A valid name made from a common name (other characters become '_'), made unique with -2, -3, ….</summary>
        public static string UniqueFrom(string commonName, IEnumerable<string> taken)
        {
            var stem = new string(commonName.Select(c => IsAllowed(c) ? c : '_').ToArray());
            if (stem.Length > MaxLength) stem = stem.Substring(0, MaxLength);
            var names = new HashSet<string>(taken, StringComparer.OrdinalIgnoreCase);
            var candidate = stem;
            for (var n = 2; names.Contains(candidate); n++)
            {
                var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
                candidate = (stem.Length + suffix.Length > MaxLength ? stem.Substring(0, MaxLength - suffix.Length) : stem) + suffix;
            }
            return candidate;
        }

        /// <summary>
        /// The records that any of <paramref name="patterns"/> (wildcards allowed) matches by one of their
        /// <paramref name="keys"/> (a name, an Id), in their order, or all of them when there are no patterns.
        /// <paramref name="unmatched"/> gets each pattern without wildcards that matched nothing: a name asked for that
        /// is not there, which the caller reports as its "not found".
        /// </summary>
        internal static List<T> Match<T>(IEnumerable<T> records, IReadOnlyList<string>? patterns, Func<T, IEnumerable<string>> keys,
            out List<string> unmatched)
        {
            unmatched = new List<string>();
            if (patterns == null) return records.ToList();
            var compiled = patterns.Select(p => (Text: p, Pattern: new NamePattern(p))).ToList();
            var matched = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<T>();
            foreach (var record in records)
            {
                var hits = compiled.Where(p => keys(record).Any(p.Pattern.IsMatch)).ToList();
                if (hits.Count == 0) continue;
                hits.ForEach(h => matched.Add(h.Text));
                result.Add(record);
            }
            unmatched.AddRange(compiled.Where(p => p.Pattern.IsLiteral && !matched.Contains(p.Text)).Select(p => p.Text));
            return result;
        }

        /// <summary>
        /// DuplicateName when a record other than one <paramref name="isSelf"/> accepts already has <paramref name="name"/>
        /// (names are unique without regard to case); <paramref name="takenBy"/> says which record has it.
        /// </summary>
        internal static void EnsureFree<T>(IEnumerable<T> existing, string name, Func<T, string> nameOf, Func<T, string> takenBy,
            Func<T, bool>? isSelf = null)
        {
            var taken = existing.FirstOrDefault(r => (isSelf == null || !isSelf(r)) && string.Equals(nameOf(r), name, StringComparison.OrdinalIgnoreCase));
            if (taken != null)
            {
                throw new PkiException(ErrorIds.DuplicateName, PkiErrorKind.ResourceExists, name, takenBy(taken));
            }
        }

        private static bool IsAllowed(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }
}
