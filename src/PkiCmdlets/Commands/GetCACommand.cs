using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Lists the CAs in the store, or finds them by name or Id with wildcards (seed 002's DescribeCACertificate); with
    /// -Pending, the intermediates waiting for a CA outside the store to sign their request (Request-SubCA).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CA", DefaultParameterSetName = AllSet)]
    [OutputType(typeof(CertificateAuthority), ParameterSetName = new[] { AllSet, RootSet, IntermediateSet })]
    [OutputType(typeof(PendingCa), ParameterSetName = new[] { PendingSet })]
    public sealed class GetCACommand : PkiCmdlet
    {
        private const string AllSet = "All";
        private const string RootSet = "Root";
        private const string IntermediateSet = "Intermediate";
        private const string PendingSet = "Pending";

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

        [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
        public SwitchParameter Pending { get; set; }

        protected override void BeginProcessing() => _cas = new CaService(OpenStore());

        protected override void ProcessRecord()
        {
            if (Pending)
            {
                WriteListing(new PendingCaService(OpenStore()).FindAll(Name == null || Name.Length == 0 ? null : Name));
                return;
            }
            bool? roots = Root ? true : Intermediate ? false : (bool?)null;
            WriteListing(_cas!.Find(Name == null || Name.Length == 0 ? null : Name, roots));
        }
    }
}
