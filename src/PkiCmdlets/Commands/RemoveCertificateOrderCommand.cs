using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Removes certificate orders from the store. The certificate authority is not told, the ACME account stays,
    /// and a certificate the order brought stays in the store (Get-IssuedCertificate).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CertificateOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CertificateOrder))]
    public sealed class RemoveCertificateOrderCommand : PkiCmdlet
    {
        private CertificateOrderService? _orders;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderIdCompleter))]
        public int[] OrderId { get; set; } = new int[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _orders = new CertificateOrderService(OpenStore());

        protected override void ProcessRecord()
        {
            foreach (var id in OrderId)
            {
                if (!ShouldProcess(Messages.ShouldProcessOrderTarget.Format(id), Messages.ShouldProcessRemoveOrder)) continue;
                Try(() =>
                {
                    var removed = _orders!.Remove(id, Cancellation);
                    if (PassThru && removed != null) WriteObject(removed);
                });
            }
        }
    }
}
