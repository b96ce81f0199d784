using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>Reads fields of ACME resources; a required field that is missing or malformed is the server's fault.</summary>
    internal static class AcmeJson
    {
        public static string String(this JObject json, string name, AcmeResponse response) =>
            json.OptionalString(name) ?? throw response.BadResponse(Messages.AcmeReasonField.Format(name));

        public static string? OptionalString(this JObject json, string name) =>
            json[name] is JValue { Type: JTokenType.String } value ? (string?)value.Value : null;

        public static Uri Url(this JObject json, string name, AcmeResponse response) =>
            json.OptionalUrl(name, response) ?? throw response.BadResponse(Messages.AcmeReasonField.Format(name));

        public static Uri? OptionalUrl(this JObject json, string name, AcmeResponse response)
        {
            var text = json.OptionalString(name);
            return text is null ? null : ToUrl(text, name, response);
        }

        public static IReadOnlyList<Uri> Urls(this JObject json, string name, AcmeResponse response)
        {
            var urls = new List<Uri>();
            foreach (var item in json.Array(name, response))
            {
                urls.Add(ToUrl(item.Type == JTokenType.String ? (string?)item : null, name, response));
            }
            return urls;
        }

        public static JArray Array(this JObject json, string name, AcmeResponse response) =>
            json[name] as JArray ?? throw response.BadResponse(Messages.AcmeReasonField.Format(name));

        public static IReadOnlyList<string> OptionalStrings(this JObject json, string name)
        {
            var values = new List<string>();
            if (json[name] is JArray array)
            {
                foreach (var item in array)
                {
                    if (item.Type == JTokenType.String) values.Add((string)item!);
                }
            }
            return values;
        }

        /// <summary>Relative URLs are resolved against the request's URL, as RFC 3986 §5 says.</summary>
        private static Uri ToUrl(string? text, string name, AcmeResponse response) =>
            text != null && Uri.TryCreate(response.Url, text, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
                ? url
                : throw response.BadResponse(Messages.AcmeReasonField.Format(name));

        /// <summary>RFC 3339 timestamps; an unreadable one counts as absent, since none of them steers the protocol.</summary>
        public static DateTimeOffset? OptionalDate(this JObject json, string name) =>
            DateTimeOffset.TryParse(json.OptionalString(name), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
                ? date
                : (DateTimeOffset?)null;
    }
}
