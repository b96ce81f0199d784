using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>Turns what the user typed for -Server into an ACME directory URL.</summary>
    public static class AcmeServer
    {
        /// <summary>Well-known directories by short name (case-insensitive), offered by tab completion.</summary>
        public static readonly IReadOnlyDictionary<string, Uri> ShortNames = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase)
        {
            ["LetsEncrypt"] = new Uri("https://acme-v02.api.letsencrypt.org/directory"),
            ["LetsEncryptStaging"] = new Uri("https://acme-staging-v02.api.letsencrypt.org/directory"),
        };

        /// <summary>
        /// A short name, or an absolute https URL. Plain http is accepted only for a loopback host, where
        /// a local test server (Pebble behind a proxy, a fake) may run without TLS.
        /// </summary>
        public static Uri Resolve(string? server)
        {
            var value = (server ?? string.Empty).Trim();
            if (ShortNames.TryGetValue(value, out var known)) return known;

            if (Uri.TryCreate(value, UriKind.Absolute, out var url)
                && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
                && url.Host.Length > 0)
            {
                return url;
            }
            throw new PkiException(ErrorIds.AcmeServerInvalid, PkiErrorKind.InvalidArgument, server,
                Messages.AcmeServerInvalid.Format(server, string.Join(", ", ShortNames.Keys.OrderBy(k => k, StringComparer.Ordinal))));
        }
    }
}
