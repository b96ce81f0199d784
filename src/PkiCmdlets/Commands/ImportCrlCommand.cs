using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Keeps a CRL a CA of the store signed elsewhere (an offline root's) as that CA's latest CRL, as Publish-Crl keeps its
    /// own: Export-CA -CrlPath then writes it with the chain's other CRLs.
    /// </summary>
    [Cmdlet(VerbsData.Import, "Crl", SupportsShouldProcess = true)]
    [OutputType(typeof(PublishedCrl))]
    public sealed class ImportCrlCommand : PkiCmdlet
    {
        /// <summary>The CRL file, PEM or DER; files from Get-ChildItem bind here by their PSPath.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        /// <summary>The CA that signed it; left out, the CA of the store whose name and key match.</summary>
        [Parameter]
        [Alias("ParentIdentifier")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public CaIdentity? Issuer { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var path = ResolveInputFile(Path);
                if (!ShouldProcess(path, Messages.ShouldProcessImportCrl)) return;
                WriteObject(new CrlService(OpenStore()).Import(path, Issuer, Cancellation));
            });
        }
    }
}
