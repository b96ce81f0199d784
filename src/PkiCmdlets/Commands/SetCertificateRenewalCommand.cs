using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Sets certificates up for renewal by every Invoke-CertificateRenewal run (store-issued ones need it; ACME ones renew
    /// by default) and says how: after what share of the lifetime, and with a new key or the same one.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CertificateRenewal", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateRenewal))]
    public sealed class SetCertificateRenewalCommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[] Identifier { get; set; } = new string[0];

        /// <summary>Renew once this share (1 to 99 %) of the lifetime has passed; 0 goes back to two thirds.</summary>
        [Parameter]
        [ValidateRange(0, 99)]
        public int RenewAfterPercent { get; set; }

        /// <summary>A new key at each renewal; -NewKey:$false goes back to the same key.</summary>
        [Parameter]
        public SwitchParameter NewKey { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var renewals = new RenewalService(OpenStore());
            foreach (var identifier in Identifier)
            {
                if (!ShouldProcess(Messages.ShouldProcessCertificateTarget.Format(identifier), Messages.ShouldProcessSetRenewal)) continue;
                Try(() =>
                {
                    var set = renewals.Set(new SetRenewalRequest
                    {
                        Identifier = identifier,
                        RenewAfterPercent = MyInvocation.BoundParameters.ContainsKey(nameof(RenewAfterPercent)) ? RenewAfterPercent : (int?)null,
                        NewKey = MyInvocation.BoundParameters.ContainsKey(nameof(NewKey)) ? NewKey.IsPresent : (bool?)null,
                    }, Cancellation);
                    if (PassThru) WriteObject(set);
                });
            }
        }
    }
}
