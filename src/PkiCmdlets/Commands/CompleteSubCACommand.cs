using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Brings the certificate a CA outside the store signed for an intermediate of Request-SubCA into the store: it must be
    /// for the intermediate's own key and link to the store or through the chain after it in the file.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "SubCA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class CompleteSubCACommand : PkiCmdlet
    {
        /// <summary>The intermediate waiting for its certificate, by Name or Id; a PendingCa object binds by its Name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PendingCaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>The signed certificate, PEM (its chain may follow it) or DER.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [SupportsWildcards]
        public string CertificatePath { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var path = ResolveInputFile(CertificatePath);
                if (!ShouldProcess(Name, Messages.ShouldProcessCompleteSubCa.Format(path))) return;
                WriteObject(new PendingCaService(OpenStore()).Complete(new CompleteSubCaRequest { Name = Name, CertificatePath = path }, Cancellation));
            });
        }
    }
}
