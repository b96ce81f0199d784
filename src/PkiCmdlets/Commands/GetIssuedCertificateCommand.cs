using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Finds issued certificates of every profile (server, client, both) by identifier, serial number, issuer, DNS name,
    /// expiry, status or profile, through each issuer's journal. Get-ServerCertificate, its name before there were other
    /// profiles, is an alias.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IssuedCertificate")]
    [Alias("Get-ServerCertificate")]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class GetIssuedCertificateCommand : PkiCmdlet
    {
        private CertificateService? _certificates;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[]? Identifier { get; set; }

        // Not bound by property name: a CA piped in would bind its own serial number.
        [Parameter]
        public string[]? SerialNumber { get; set; }

        /// <summary>The intermediate whose certificates to list: a name, an Id, or a CA object from the pipeline.</summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("ParentIdentifier")]
        [ArgumentCompleter(typeof(IntermediateNameCompleter))]
        public CaIdentity? Issuer { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DnsNameCompleter))]
        public string[]? DnsName { get; set; }

        [Parameter]
        [ValidateRange(0, 36500)]
        public int? ExpiresWithinDays { get; set; }

        // Kept as an int?, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int? _status;

        [Parameter]
        public CertificateStatus? Status { get => (CertificateStatus?)_status; set => _status = (int?)value; }

        /// <summary>The profiles that made them: Server, Client, ServerAndClient.</summary>
        [Parameter]
        [ValidateSet("Server", "Client", "ServerAndClient", IgnoreCase = true)]
        public string[]? Profile { get; set; }

        protected override void BeginProcessing() => _certificates = new CertificateService(OpenStore());

        protected override void ProcessRecord()
        {
            // An order still without its certificate pipes an empty Identifier: that asks for nothing, not for everything.
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Identifier)) && (Identifier == null || Identifier.All(string.IsNullOrWhiteSpace))) return;
            Try(() =>
            {
                var problems = new List<PkiException>();
                var certificates = _certificates!.FindEach(new CertificateQuery
                {
                    Identifiers = Identifier,
                    SerialNumbers = SerialNumber,
                    Issuer = Issuer,
                    DnsNames = DnsName,
                    ExpiresWithinDays = ExpiresWithinDays,
                    Status = Status,
                    Profiles = Profile,
                }, problems);
                // Written as read, so that a store of 100,000 certificates streams through the pipeline.
                foreach (var certificate in certificates)
                {
                    WriteObject(certificate);
                }
                foreach (var problem in problems)
                {
                    WriteError(problem);
                }
           });
        }
    }
}
