using System.Collections;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Edits a draft CSR, and with -Generate makes its key pair and request (seed 004's Generate). A
    /// generated CSR cannot be changed.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Csr", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CertificateSigningRequest))]
    public sealed class SetCsrCommand : SubjectCmdlet
    {
        private const string IdSet = "Id";
        private const string NameSet = "Name";

        private CsrService? _csrs;

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("CsrId")]
        [ArgumentCompleter(typeof(CsrIdCompleter))]
        public int Id { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CsrNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public string? NewName { get; set; }

        [Parameter]
        [Alias("CN")]
        public string? CommonName { get; set; }

        [Parameter]
        [Alias("Sans", "Domain", "San")]
        public string[]? SubjectAlternativeName { get; set; }

        [Parameter]
        public string? Email { get; set; }

        [Parameter]
        [Alias("KeyAlgorithm", "EncryptAlgo")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter]
        [Alias("KeyLength")]
        [ArgumentCompleter(typeof(KeySizeCompleter))]
        public int? KeySize { get; set; }

        [Parameter]
        public string? Remark { get; set; }

        [Parameter]
        [Alias("Tags")]
        public Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter Generate { get; set; }

        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _csrs = new CsrService(OpenStore());

        protected override void ProcessRecord()
        {
            var target = ParameterSetName == NameSet ? Name : Messages.ShouldProcessCsrIdTarget.Format(Id);
            if (!ShouldProcess(target, Generate ? Messages.ShouldProcessGenerateCsr : Messages.ShouldProcessUpdateCsr)) return;
            Try(Messages.ProgressActivitySetCsr.Format(target), progress =>
            {
                var csr = _csrs!.Update(new SetCsrRequest
                {
                    Id = Id,
                    Name = ParameterSetName == NameSet ? Name : null,
                    NewName = NewName,
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
                    Remark = Remark,
                    Tags = ToTags(Tag),
                    Generate = Generate,
                    KeyPassword = KeyPassword,
                }, progress, Cancellation);
                if (PassThru) WriteObject(csr);
            });
        }
    }
}
