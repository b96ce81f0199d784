using System.Collections;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Commands
{
    /// <summary>Creates a key pair and a PKCS#10 certificate signing request in the store (seeds 000, 001, 004).</summary>
    [Cmdlet(VerbsCommon.New, "Csr", SupportsShouldProcess = true, DefaultParameterSetName = GenerateSet)]
    [OutputType(typeof(CertificateSigningRequest))]
    public sealed class NewCsrCommand : PkiCmdlet
    {
        private const string GenerateSet = "Generate";
        private const string DraftSet = "Draft";

        private PkiStore? _store;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Sans", "Domain", "San")]
        public string[]? SubjectAlternativeName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CountryCode", "C")]
        [ArgumentCompleter(typeof(CountryCodeCompleter))]
        public string? Country { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Province", "ST")]
        public string? State { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("City", "L")]
        public string? Locality { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CorpName", "O")]
        public string? Organization { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Department", "OU", "OrganizationUnit")]
        public string? OrganizationalUnit { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Email { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("KeyAlgorithm", "EncryptAlgo")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("KeyLength")]
        [ArgumentCompleter(typeof(KeySizeCompleter))]
        public int? KeySize { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = GenerateSet)]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Remark { get; set; }

        [Parameter]
        [Alias("Tags")]
        public Hashtable? Tag { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DraftSet)]
        public SwitchParameter Draft { get; set; }

        protected override void BeginProcessing() => _store = OpenStore();

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(NamedTarget(Name, CommonName), Draft ? Messages.ShouldProcessNewDraftCsr : Messages.ShouldProcessNewCsr)) return;
            Try(Messages.ProgressActivityNewCsr.Format(CommonName), progress =>
                WriteObject(new CsrService(_store!).Create(new NewCsrRequest
                {
                    CommonName = CommonName,
                    SubjectAlternativeNames = SubjectAlternativeName,
                    Country = Country,
                    State = State,
                    Locality = Locality,
                    Organization = Organization,
                    OrganizationalUnit = OrganizationalUnit,
                    Email = Email,
                    Algorithm = Algorithm,
                    KeySize = KeySize,
                    Name = Name,
                    KeyPassword = KeyPassword,
                    Remark = Remark,
                    Tags = ToTags(Tag),
                    Draft = Draft,
                    Warn = WriteWarning,
                }, progress, Cancellation)));
        }
    }
}
