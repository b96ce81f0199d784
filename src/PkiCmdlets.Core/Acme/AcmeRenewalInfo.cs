using System;
using Newtonsoft.Json.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// ACME Renewal Information (RFC 9773): the window in which the certificate authority suggests renewing a
    /// certificate, why (an explanation page, when it gives one), and when to ask again (Retry-After).
    /// </summary>
    public sealed class AcmeRenewalInfo
    {
        private AcmeRenewalInfo(DateTimeOffset windowStart, DateTimeOffset windowEnd, string? explanationUrl, TimeSpan? retryAfter)
        {
            WindowStart = windowStart;
            WindowEnd = windowEnd;
            ExplanationUrl = explanationUrl;
            RetryAfter = retryAfter;
        }

        public DateTimeOffset WindowStart { get; }

        public DateTimeOffset WindowEnd { get; }

        /// <summary>A page that says why the window is where it is (a mass revocation, say), to show the operator.</summary>
        public string? ExplanationUrl { get; }

        /// <summary>How long to wait before asking again, as the server's Retry-After said; null when it said nothing.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>
        /// The certificate's identifier in renewalInfo URLs and in a new order's "replaces" (RFC 9773 §4.1): the key
        /// identifier of its authority key identifier and the content octets of its serial number, each base64url,
        /// joined by a dot. Null for a certificate without an authority key identifier, which ARI cannot name.
        /// </summary>
        public static string? CertificateId(byte[] certificateDer)
        {
            X509CertificateStructure certificate;
            try
            {
                certificate = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(certificateDer));
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                return null;
            }
            var keyIdentifier = AuthorityKeyIdentifier.FromExtensions(certificate.TbsCertificate.Extensions)?.KeyIdentifier?.GetOctets();
            if (keyIdentifier == null || keyIdentifier.Length == 0) return null;
            // The DER INTEGER's content octets: two's complement, with the leading zero a positive number may need.
            var serial = certificate.SerialNumber.Value.ToByteArray();
            return Base64Url.Encode(keyIdentifier) + "." + Base64Url.Encode(serial);
        }

        /// <summary>Reads a renewalInfo response: a suggested window whose start is before its end, or AcmeBadResponse.</summary>
        internal static AcmeRenewalInfo FromResponse(AcmeResponse response)
        {
            var json = response.JsonObject();
            if (!(json["suggestedWindow"] is JObject window)
                || !(window.OptionalDate("start") is DateTimeOffset start)
                || !(window.OptionalDate("end") is DateTimeOffset end))
            {
                throw response.BadResponse(Messages.AcmeReasonField.Format("suggestedWindow"));
            }
            if (end <= start)
            {
                throw response.BadResponse(Messages.AcmeReasonWindowInverted);
            }
            var explanation = json.OptionalString("explanationURL");
            return new AcmeRenewalInfo(start, end, string.IsNullOrWhiteSpace(explanation) ? null : explanation, response.RetryAfterDelay);
        }
    }
}
