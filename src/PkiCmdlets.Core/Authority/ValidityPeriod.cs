using System;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A certificate's validity window, whole seconds in UTC, checked against the issuer's own window
    /// (seed 002: a certificate never outlives its issuer).
    /// </summary>
    public sealed class ValidityPeriod
    {
        public const int DefaultRootYears = 10;
        public const int DefaultSubCaYears = 5;

        private ValidityPeriod(DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            NotBefore = notBefore;
            NotAfter = notAfter;
        }

        public DateTimeOffset NotBefore { get; }

        public DateTimeOffset NotAfter { get; }

        /// <summary>
        /// Seed 002's rules: -Days wins over everything; otherwise -NotBefore with -NotAfter (both or neither);
        /// otherwise -Years and -Months added together; otherwise the profile's <paramref name="defaultLifetime"/> from now,
        /// or up to the issuer's NotAfter if that comes first.
        /// </summary>
        public static ValidityPeriod ForIssued(int? days, int? months, int? years, DateTimeOffset? notBefore, DateTimeOffset? notAfter,
            TimeSpan defaultLifetime, DateTimeOffset now, DateTimeOffset issuerNotBefore, DateTimeOffset issuerNotAfter)
        {
            RequirePositive("Days", days);
            RequirePositive("Months", months);
            RequirePositive("Years", years);
            // An end alone starts now, as openssl's -not_after and step's --not-after do; a start needs its end.
            if (!days.HasValue && notBefore.HasValue && !notAfter.HasValue)
            {
                throw new PkiException(ErrorIds.ValidityBoundsIncomplete, PkiErrorKind.InvalidArgument, notBefore,
                    Messages.ValidityBoundsIncomplete.Format("NotBefore", "NotAfter"));
            }

            ValidityPeriod period;
            try
            {
                period = Requested(days, months, years, notBefore, notAfter, defaultLifetime, Seconds(now), issuerNotAfter);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw BeyondCalendar(e);
            }
            if (period.NotAfter <= now)
            {
                throw new PkiException(ErrorIds.InvalidValidity, PkiErrorKind.InvalidArgument, period.NotAfter,
                    Messages.ValidityInThePast.Format(Text(period.NotAfter)));
            }
            return period.WithinIssuer(issuerNotBefore, issuerNotAfter);
        }

        private static ValidityPeriod Requested(int? days, int? months, int? years, DateTimeOffset? notBefore, DateTimeOffset? notAfter,
            TimeSpan defaultLifetime, DateTimeOffset start, DateTimeOffset issuerNotAfter)
        {
            if (days.HasValue) return new ValidityPeriod(start, start.AddDays(days.Value));
            if (notAfter.HasValue) return new ValidityPeriod(notBefore.HasValue ? Seconds(notBefore.Value) : start, Seconds(notAfter.Value));
            if (months.HasValue || years.HasValue) return new ValidityPeriod(start, start.AddYears(years ?? 0).AddMonths(months ?? 0));
            // The default, unlike an explicit period, is cut to the issuer's end rather than refused.
            var end = start + defaultLifetime;
            return new ValidityPeriod(start, end > issuerNotAfter ? issuerNotAfter : end);
        }

        /// <summary>
        /// A CA's window: -Days, or -NotAfter, or -Years (default <paramref name="defaultYears"/>), from now.
        /// For an intermediate, a default that would outlive the issuer is cut to the issuer's NotAfter; an
        /// explicit one is an error.
        /// </summary>
        public static ValidityPeriod ForCa(int? years, int? days, DateTimeOffset? notAfter, int defaultYears, DateTimeOffset now,
            DateTimeOffset? issuerNotBefore = null, DateTimeOffset? issuerNotAfter = null)
        {
            RequirePositive("Years", years);
            RequirePositive("Days", days);
            var start = Seconds(now);
            DateTimeOffset? explicitEnd;
            try
            {
                explicitEnd = days.HasValue ? start.AddDays(days.Value)
                    : notAfter.HasValue ? Seconds(notAfter.Value)
                    : years.HasValue ? start.AddYears(years.Value)
                    : (DateTimeOffset?)null;
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw BeyondCalendar(e);
            }
            var end = explicitEnd ?? start.AddYears(defaultYears);
            if (explicitEnd == null && issuerNotAfter.HasValue && end > issuerNotAfter.Value)
            {
                end = issuerNotAfter.Value;
            }
            var period = new ValidityPeriod(start, end);
            return issuerNotAfter.HasValue ? period.WithinIssuer(issuerNotBefore!.Value, issuerNotAfter.Value) : period.Checked();
        }

        private ValidityPeriod WithinIssuer(DateTimeOffset issuerNotBefore, DateTimeOffset issuerNotAfter)
        {
            Checked();
            if (NotAfter > issuerNotAfter || NotBefore < Seconds(issuerNotBefore))
            {
                throw new PkiException(ErrorIds.ValidityExceedsIssuer, PkiErrorKind.InvalidArgument, NotAfter,
                    Messages.ValidityExceedsIssuer.Format(Text(NotBefore), Text(NotAfter), Text(issuerNotBefore), Text(issuerNotAfter)));
            }
            return this;
        }

        private ValidityPeriod Checked()
        {
            if (NotBefore >= NotAfter)
            {
                throw new PkiException(ErrorIds.InvalidValidity, PkiErrorKind.InvalidArgument, NotAfter,
                    Messages.InvalidValidity.Format(Text(NotBefore), Text(NotAfter)));
            }
            return this;
        }

        private static PkiException BeyondCalendar(Exception e) =>
            new PkiException(ErrorIds.InvalidValidity, PkiErrorKind.InvalidArgument, null, Messages.ValidityBeyondCalendar, e);

        private static void RequirePositive(string parameter, int? value)
        {
            if (value.HasValue && value.Value <= 0)
            {
                throw new PkiException(ErrorIds.InvalidValidity, PkiErrorKind.InvalidArgument, value.Value,
                    Messages.ValidityNotPositive.Format(parameter, value.Value));
            }
        }

        private static DateTimeOffset Seconds(DateTimeOffset value)
        {
            var utc = value.ToUniversalTime();
            return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }

        internal static string Text(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
