using System.Text;
using System.Text.RegularExpressions;

namespace PkiCmdlets.Core.Store
{
    /// <summary>PowerShell-style wildcards (*, ?, [abc], [a-z]), case-insensitive, escaped with a backtick.</summary>
    public sealed class NamePattern
    {
        private readonly Regex _regex;

        public NamePattern(string pattern)
        {
            var text = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '`' when i + 1 < pattern.Length:
                        text.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        text.Append(".*");
                        break;
                    case '?':
                        text.Append('.');
                        break;
                    case '[':
                        var close = pattern.IndexOf(']', i + 1);
                        if (close > i + 1)
                        {
                            text.Append('[').Append(pattern.Substring(i + 1, close - i - 1).Replace("\\", "\\\\")).Append(']');
                            i = close;
                        }
                        else
                        {
                            text.Append("\\[");
                        }
                        break;
                    default:
                        text.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }
            text.Append('$');
            _regex = new Regex(text.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            IsLiteral = pattern.IndexOfAny(new[] { '*', '?', '[' }) < 0;
        }

        /// <summary>True when the pattern has no wildcard, so "not found" is an error rather than an empty result.</summary>
        public bool IsLiteral { get; }

        public bool IsMatch(string value) => _regex.IsMatch(value);
    }
}
