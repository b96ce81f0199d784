using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Tells the certificate authority the challenges are answered, finalizes the order with its CSR, downloads
    /// the certificate with its chain and keeps it in the store; -Wait waits (with progress) until that is done.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "CertificateOrder", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateOrder))]
    public sealed class CompleteCertificateOrderCommand : OrderCmdlet
    {
        private CertificateOrderService? _orders;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderIdCompleter))]
        public int[] OrderId { get; set; } = new int[0];

        /// <summary>Wait until the certificate is stored or the order is invalid; without it, return at once.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: the longest wait in seconds (default 300).</summary>
        [Parameter]
        [ValidateRange(1, CompleteCertificateOrderRequest.MaxTimeoutSeconds)]
        public int TimeoutSec { get; set; } = CompleteCertificateOrderRequest.DefaultTimeoutSeconds;

        protected override void BeginProcessing() => _orders = new CertificateOrderService(OpenStore());

        protected override void ProcessRecord()
        {
            foreach (var id in OrderId)
            {
                if (!ShouldProcess(Messages.ShouldProcessOrderTarget.Format(id), Messages.ShouldProcessCompleteOrder)) continue;
                Try(Messages.ProgressActivityCompleteOrder.Format(id), progress =>
                    WriteObject(_orders!.Complete(new CompleteCertificateOrderRequest { OrderId = id, Wait = Wait, TimeoutSeconds = TimeoutSec },
                        Callbacks(progress), Cancellation, HookRunner.For(this))));
            }
        }
    }
}
