using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Stops Invoke-CertificateRenewal runs from renewing certificates: a store-issued one loses its renewal settings, an
    /// ACME one is turned off. Naming a certificate to Invoke-CertificateRenewal still renews it; nothing is deleted.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CertificateRenewal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CertificateRenewal))]
    public sealed class RemoveCertificateRenewalCommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[] Identifier { get; set; } = new string[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var renewals = new RenewalService(OpenStore());
            foreach (var identifier in Identifier)
            {
                if (!ShouldProcess(Messages.ShouldProcessCertificateTarget.Format(identifier), Messages.ShouldProcessRemoveRenewal)) continue;
                Try(() =>
                {
                    var removed = renewals.Remove(identifier, Cancellation);
                    if (PassThru) WriteObject(removed);
                });
            }
        }
    }
}
