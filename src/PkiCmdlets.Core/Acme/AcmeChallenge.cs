using System;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// One way to prove control of an identifier (RFC 8555 §8), with the answer already worked out for
    /// this account's key.
    /// </summary>
    public sealed class AcmeChallenge
    {
        public const string Http01 = "http-01";
        public const string Dns01 = "dns-01";
        public const string TlsAlpn01 = "tls-alpn-01";

        private AcmeChallenge(string type, Uri url, string status, string token, string keyAuthorization)
        {
            Type = type;
            Url = url;
            Status = status;
            Token = token;
            KeyAuthorization = keyAuthorization;
        }

        public string Type { get; }
        public Uri Url { get; }
        public string Status { get; }

        /// <summary>The server's random token; for http-01 it is the file name under /.well-known/acme-challenge/.</summary>
        public string Token { get; }

        /// <summary>token.thumbprint (RFC 8555 §8.1): the body of the http-01 file.</summary>
        public string KeyAuthorization { get; }

        /// <summary>For dns-01: the value of the TXT record at _acme-challenge.&lt;domain&gt; (RFC 8555 §8.4); otherwise null.</summary>
        public string? DnsTxtValue => Type == Dns01 ? Jwk.Dns01TxtValue(KeyAuthorization) : null;

        public DateTimeOffset? Validated { get; private set; }

        /// <summary>Why validation failed, when it did.</summary>
        public AcmeProblem? Error { get; private set; }

        internal static AcmeChallenge FromJson(JObject json, AcmeResponse response, Jwk jwk)
        {
            // Every challenge type RFC 8555 defines has a token; a type without one gets an empty answer.
            var token = json.OptionalString("token") ?? string.Empty;
            return new AcmeChallenge(json.String("type", response), json.Url("url", response), json.String("status", response),
                token, token.Length == 0 ? string.Empty : jwk.KeyAuthorization(token))
            {
                Validated = json.OptionalDate("validated"),
                Error = AcmeProblem.FromJson(json["error"]),
            };
        }
    }
}
