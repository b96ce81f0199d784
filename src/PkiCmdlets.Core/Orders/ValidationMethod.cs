using System;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>How the certificate authority checks that you control each domain (seed 003's ValidateType).</summary>
    public enum ValidationMethod
    {
        /// <summary>dns-01: a TXT record at _acme-challenge.&lt;domain&gt; (the seed's DNS).</summary>
        Dns,

        /// <summary>http-01: a file at http://&lt;domain&gt;/.well-known/acme-challenge/&lt;token&gt; (the seed's FILE).</summary>
        Http,
    }

    public static class ValidationMethods
    {
        /// <summary>The names -ValidationMethod accepts, case-insensitively: ours, and the seed's DNS and FILE.</summary>
        public static readonly string[] Names = { "Dns", "Http", "File" };

        /// <summary>
        /// Dns or Http; the seed's DNS and FILE; the ACME challenge types dns-01 and http-01; case-insensitive.
        /// Null or blank means the default: Http when a web root is given, else Dns.
        /// </summary>
        public static ValidationMethod? Parse(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            switch (value!.Trim().ToUpperInvariant())
            {
                case "DNS":
                case "DNS-01":
                    return ValidationMethod.Dns;
                case "HTTP":
                case "HTTP-01":
                case "FILE":
                    return ValidationMethod.Http;
                default:
                    throw new PkiException(ErrorIds.ValidationMethodInvalid, PkiErrorKind.InvalidArgument, value,
                        Messages.ValidationMethodInvalid.Format(value));
            }
        }

        /// <summary>The ACME challenge type of a method: dns-01 or http-01.</summary>
        public static string ChallengeType(this ValidationMethod method) =>
            method == ValidationMethod.Dns ? AcmeChallenge.Dns01 : AcmeChallenge.Http01;

        internal static ValidationMethod FromChallengeType(string type) =>
            string.Equals(type, AcmeChallenge.Http01, StringComparison.Ordinal) ? ValidationMethod.Http : ValidationMethod.Dns;
    }
}
