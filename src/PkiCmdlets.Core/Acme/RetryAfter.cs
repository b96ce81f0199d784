using System;
using System.Globalization;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>The Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.</summary>
    internal static class RetryAfter
    {
        /// <summary>The delay from <paramref name="now"/>; a date in the past means zero; null when absent or unreadable.</summary>
        public static TimeSpan? Parse(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var text = value!.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                // Capped so that an absurd value cannot overflow TimeSpan; polling caps it again by its own deadline.
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
            }
            // "r" is the IMF-fixdate form HTTP servers send: Sun, 06 Nov 1994 08:49:37 GMT.
            if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                var delay = date - now;
                return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
            }
            return null;
        }
    }
}
