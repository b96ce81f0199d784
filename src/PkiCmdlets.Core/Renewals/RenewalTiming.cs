using System;
using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// When a certificate is due. Where its ACME server gives renewal information (RFC 9773): at a uniformly random
    /// time inside the suggested window, chosen once per window, asking again as Retry-After says. Otherwise, and for
    /// certificates the store issued: once two thirds of its lifetime has passed, or the share the user set, so that a
    /// 6-day, a 45-day and a 398-day certificate all renew with a third of their life to spare; never a fixed number of
    /// days before the end, which a short-lived certificate would never see.
    /// </summary>
    internal static class RenewalTiming
    {
        /// <summary>RFC 9773 §4.3.3's wait after no Retry-After, or after a failed check.</summary>
        public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromHours(6);

        private static readonly TimeSpan ShortestCheckInterval = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan LongestCheckInterval = TimeSpan.FromDays(1);

        /// <summary>When <paramref name="percent"/> (else two thirds) of the lifetime from <paramref name="notBefore"/> to <paramref name="notAfter"/> has passed, to the second.</summary>
        public static DateTimeOffset ByLifetime(DateTimeOffset notBefore, DateTimeOffset notAfter, int? percent)
        {
            var lifetime = notAfter - notBefore;
            var passed = percent.HasValue ? TimeSpan.FromTicks(lifetime.Ticks / 100 * percent.Value) : TimeSpan.FromTicks(lifetime.Ticks / 3 * 2);
            var at = notBefore + passed;
            return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }

        /// <summary>
        /// The window remembered for the next runs: the time chosen before when the window is the same, else a new
        /// uniformly random time in it (<paramref name="random"/> gives a number in [0, 1)); asked again after Retry-After.
        /// </summary>
        public static RenewalWindow Window(AcmeRenewalInfo info, RenewalWindow? before, DateTimeOffset now, Func<double> random)
        {
            var renewAt = before != null && before.Start == info.WindowStart && before.End == info.WindowEnd
                ? before.RenewAt
                : info.WindowStart + TimeSpan.FromTicks((long)((info.WindowEnd - info.WindowStart).Ticks * random()));
            return new RenewalWindow
            {
                Start = info.WindowStart,
                End = info.WindowEnd,
                ExplanationUrl = info.ExplanationUrl,
                RenewAt = renewAt,
                CheckAfter = now + CheckInterval(info.RetryAfter),
            };
        }

        /// <summary>RFC 9773 §4.3.2: Retry-After, treated as at least a minute and at most a day; six hours when the server gave none.</summary>
        public static TimeSpan CheckInterval(TimeSpan? retryAfter)
        {
            var interval = retryAfter ?? DefaultCheckInterval;
            return interval < ShortestCheckInterval ? ShortestCheckInterval : interval > LongestCheckInterval ? LongestCheckInterval : interval;
        }
    }
}
