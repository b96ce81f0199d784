using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Reads certificate orders from the store by OrderId, or all of them, refreshing each unfinished one from its
    /// certificate authority (seed 003's DescribeCertificateState).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CertificateOrder")]
    [OutputType(typeof(CertificateOrder))]
    public sealed class GetCertificateOrderCommand : OrderCmdlet
    {
        private CertificateOrderService? _orders;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderIdCompleter))]
        public int[]? OrderId { get; set; }

        protected override void BeginProcessing() => _orders = new CertificateOrderService(OpenStore());

        protected override void ProcessRecord()
        {
            Try(Messages.ProgressActivityGetOrder, progress => WriteListing(_orders!.Find(OrderId, Callbacks(progress), Cancellation)));
        }
    }
}
