using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Changes the key of the store's ACME account at a server to a new one (RFC 8555 key rollover): the account, its
    /// orders and its certificates stay, and only the new key speaks for the account from then on.
    /// </summary>
    [Cmdlet(VerbsData.Update, "AcmeAccountKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AcmeAccountInfo))]
    public sealed class UpdateAcmeAccountKeyCommand : OrderCmdlet
    {
        /// <summary>A short name (LetsEncrypt, LetsEncryptStaging) or an ACME directory URL; default LetsEncrypt.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DirectoryUrl")]
        [ArgumentCompleter(typeof(AcmeServerCompleter))]
        public string Server { get; set; } = CertificateOrderService.DefaultServer;

        /// <summary>Accepts any TLS certificate from the server: for test servers such as Pebble only.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        protected override void ProcessRecord()
        {
            var orders = new CertificateOrderService(OpenStore());
            if (!ShouldProcess(Messages.ShouldProcessAccountTarget.Format(Server), Messages.ShouldProcessChangeAccountKey)) return;
            Try(Messages.ProgressActivityChangeAccountKey.Format(Server), progress =>
                WriteObject(orders.ChangeAccountKey(Server, SkipCertificateCheck, Callbacks(progress), Cancellation)));
        }
    }
}
