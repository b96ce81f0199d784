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

        private static bool IsAllowed(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }
}
