using System;

namespace PkiCmdlets.Core.Acme
{
    public sealed class AcmeClientOptions
    {
        /// <summary>
        /// Accepts any TLS certificate from the server. Only for test servers such as Pebble, whose TLS
        /// certificate no platform trusts; the default is the platform's trust store.
        /// </summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>Receives one line per HTTP request: method, URL and status. Never a body, key or token.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>How long one HTTP request may take before it counts as failed.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts per request when the network fails or the request times out.</summary>
        public int NetworkAttempts { get; set; } = 3;

        /// <summary>Wait before the second attempt; each later attempt waits this much longer again.</summary>
        public TimeSpan NetworkRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Pause between polls when the server sends no Retry-After.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>The longest wait for an authorization or order to leave its pending or processing state.</summary>
        public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMinutes(5);
    }
}
