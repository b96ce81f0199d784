using System;
using System.Collections.Generic;
using System.Net.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>One HTTP answer from the ACME server, read completely, with the headers ACME uses.</summary>
    internal sealed class AcmeResponse
    {
        private static readonly JsonSerializerSettings JsonSettings = new JsonSerializerSettings
        {
            // Timestamps stay strings: Json.NET would otherwise turn them into local DateTime values.
            DateParseHandling = DateParseHandling.None,
        };

        public AcmeResponse(HttpMethod method, Uri url, int status, string body, string? mediaType, Uri? location, string? retryAfter, DateTimeOffset receivedAt,
            IReadOnlyList<Uri>? alternates = null)
        {
            Alternates = alternates ?? Array.Empty<Uri>();
            Method = method;
            Url = url;
            Status = status;
            Body = body;
            MediaType = mediaType;
            Location = location;
            RetryAfterDelay = RetryAfter.Parse(retryAfter, receivedAt);
            ReceivedAt = receivedAt;
        }

        public HttpMethod Method { get; }
        public Uri Url { get; }
        public int Status { get; }
        public string Body { get; }
        public string? MediaType { get; }
        public Uri? Location { get; }
        public TimeSpan? RetryAfterDelay { get; }

        /// <summary>The Link headers with rel="alternate": for a certificate, the same certificate with other chains (RFC 8555 §7.4.2).</summary>
        public IReadOnlyList<Uri> Alternates { get; }
        public DateTimeOffset ReceivedAt { get; }

        public bool IsSuccess => Status >= 200 && Status < 300;

        public JObject JsonObject()
        {
            JObject? json;
            try
            {
                json = JsonConvert.DeserializeObject<JObject>(Body, JsonSettings);
            }
            catch (JsonException e)
            {
                throw BadResponse(Messages.AcmeReasonNotJson, e);
            }
            return json ?? throw BadResponse(Messages.AcmeReasonNotJson);
        }

        public Uri RequiredLocation() => Location ?? throw BadResponse(Messages.AcmeReasonNoLocation);

        public PkiException BadResponse(string reason, Exception? inner = null) =>
            new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, Url,
                Messages.AcmeBadResponse.Format(Method, Url, reason), inner);
    }
}
