using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Commands
{
    /// <summary>Removes CSRs and their private keys from the store. The key cannot be recovered afterwards.</summary>
    [Cmdlet(VerbsCommon.Remove, "Csr", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CertificateSigningRequest))]
    public sealed class RemoveCsrCommand : PkiCmdlet
    {
        private const string IdSet = "Id";
        private const string NameSet = "Name";

        private CsrService? _csrs;

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("CsrId")]
        [ArgumentCompleter(typeof(CsrIdCompleter))]
        public int[] Id { get; set; } = new int[0];

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CsrNameCompleter))]
        public string[] Name { get; set; } = new string[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _csrs = new CsrService(OpenStore());

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id)
                {
                    Remove(id, Messages.ShouldProcessCsrIdTarget.Format(id));
                }
                return;
            }
            var listing = _csrs!.Find(Name);
            foreach (var problem in listing.Problems)
            {
                WriteError(problem);
            }
            foreach (var csr in listing.Items)
            {
                Remove(csr.Id, csr.Name);
            }
        }

        private void Remove(int id, string target)
        {
            if (!ShouldProcess(target, Messages.ShouldProcessRemoveCsr)) return;
            Try(() =>
            {
                var removed = _csrs!.Remove(id, Cancellation);
                if (PassThru && removed != null) WriteObject(removed);
            });
        }
    }
}
