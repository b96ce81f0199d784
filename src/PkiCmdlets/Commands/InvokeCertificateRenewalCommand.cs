using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Renews what is due: every ACME order's certificate and every store-issued certificate set up for renewal, or the
    /// certificates piped to it. Reports each: Renewed (with the new certificate), NotDue (with when), Skipped or Failed.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CertificateRenewal", SupportsShouldProcess = true)]
    [OutputType(typeof(RenewalResult))]
    public sealed class InvokeCertificateRenewalCommand : OrderCmdlet
    {
        private readonly List<string> _identifiers = new List<string>();
        private bool _named;

        /// <summary>Only these certificates, set up or not; all that renew when none is given.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[]? Identifier { get; set; }

        /// <summary>Renew now, due or not.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The longest wait for each ACME order, in seconds (default 300).</summary>
        [Parameter]
        [ValidateRange(1, CompleteCertificateOrderRequest.MaxTimeoutSeconds)]
        public int TimeoutSec { get; set; } = CompleteCertificateOrderRequest.DefaultTimeoutSeconds;

        protected override void ProcessRecord()
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Identifier))) return;
            _named = true;
            // An order still without its certificate pipes an empty Identifier: that asks for nothing, not for everything.
            _identifiers.AddRange((Identifier ?? new string[0]).Where(i => !string.IsNullOrWhiteSpace(i)));
        }

        protected override void EndProcessing()
        {
            if (_named && _identifiers.Count == 0) return;
            var renewals = new RenewalService(OpenStore());
            Try(Messages.ProgressActivityRenew, progress =>
            {
                var problems = new List<PkiException>();
                var request = new RenewalRequest { Identifiers = _named ? _identifiers : null, Force = Force, TimeoutSeconds = TimeoutSec, WhatIf = WhatIfRequested };
                var results = renewals.Run(request,
                    renewal => ShouldProcess(Messages.ShouldProcessRenewTarget.Format(renewal.CommonName, renewal.Identifier, renewal.IssuerName), Messages.ShouldProcessRenew),
                    HookRunner.For(this), WriteError, Callbacks(progress), problems, Cancellation);
                foreach (var result in results)
                {
                    WriteObject(result);
                    if (result.HookError != null) WriteWarning(result.HookError);
                }
                foreach (var problem in problems) WriteError(problem);
            });
        }

        /// <summary>-WhatIf given, or $WhatIfPreference set: renewal information read is then not remembered and the run is not logged.</summary>
        private bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
                ? ((SwitchParameter)value).IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
    }
}
