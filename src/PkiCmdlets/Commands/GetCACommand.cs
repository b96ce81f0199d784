using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Lists the CAs in the store, or finds them by name or Id with wildcards (seed 002's DescribeCACertificate).</summary>
    [Cmdlet(VerbsCommon.Get, "CA", DefaultParameterSetName = AllSet)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class GetCACommand : PkiCmdlet
    {
        private const string AllSet = "All";
        private const string RootSet = "Root";
        private const string IntermediateSet = "Intermediate";

        private CaService? _cas;

        /// <summary>Names or Ids, wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = RootSet)]
        public SwitchParameter Root { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IntermediateSet)]
        public SwitchParameter Intermediate { get; set; }

        protected override void BeginProcessing() => _cas = new CaService(OpenStore());

        protected override void ProcessRecord()
        {
            bool? roots = Root ? true : Intermediate ? false : (bool?)null;
            WriteListing(_cas!.Find(Name == null || Name.Length == 0 ? null : Name, roots));
        }
    }
}
