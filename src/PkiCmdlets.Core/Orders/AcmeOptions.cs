using System;
using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>The options of every ACME client an order uses: its TLS choice, the log of requests, and what tests set (faster polling).</summary>
    internal sealed class AcmeOptions
    {
        private readonly Action<AcmeClientOptions>? _configure;

        public AcmeOptions(Action<AcmeClientOptions>? configure)
        {
            _configure = configure;
        }

        public AcmeClientOptions For(bool skipCertificateCheck, OrderCallbacks relay)
        {
            var options = new AcmeClientOptions { SkipCertificateCheck = skipCertificateCheck, Log = relay.Log };
            _configure?.Invoke(options);
            return options;
        }
    }
}
