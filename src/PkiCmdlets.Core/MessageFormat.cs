using System.Globalization;

namespace PkiCmdlets.Core
{
    public static class MessageFormat
    {
        /// <summary>Fills a message template from <see cref="Messages"/> with culture-invariant numbers.</summary>
        public static string Format(this string template, params object?[] args) =>
            string.Format(CultureInfo.InvariantCulture, template, args);
    }
}
