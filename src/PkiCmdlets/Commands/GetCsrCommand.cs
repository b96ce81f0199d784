using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Commands
{
    /// <summary>Reads CSRs from the store by id or name (wildcards), or all of them (seed 000's GetCsrDetail).</summary>
    [Cmdlet(VerbsCommon.Get, "Csr", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(CertificateSigningRequest))]
    public sealed class GetCsrCommand : PkiCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        private CsrService? _csrs;

        [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CsrNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("CsrId")]
        [ArgumentCompleter(typeof(CsrIdCompleter))]
        public int[] Id { get; set; } = new int[0];

        protected override void BeginProcessing() => _csrs = new CsrService(OpenStore());

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id)
                {
                    Try(() => WriteObject(_csrs!.Get(id)));
                }
                return;
            }
            WriteListing(_csrs!.Find(Name == null || Name.Length == 0 ? null : Name));
        }
    }
}
