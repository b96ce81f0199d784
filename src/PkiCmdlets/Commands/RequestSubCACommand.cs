using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Makes an intermediate CA's key in the store and the request a CA outside the store (an offline root) signs;
    /// Complete-SubCA brings the signed certificate back and makes the intermediate usable.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Request, "SubCA", SupportsShouldProcess = true)]
    [OutputType(typeof(PendingCa))]
    public sealed class RequestSubCACommand : SubjectCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        [Parameter]
        public string? Name { get; set; }

        [Parameter]
        [Alias("KeyAlgorithm")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter]
        [Alias("KeyLength")]
        [ArgumentCompleter(typeof(KeySizeCompleter))]
        public int? KeySize { get; set; }

        /// <summary>The path length the request asks for (basicConstraints pathLenConstraint); the signing CA decides.</summary>
        [Parameter]
        public int? PathLength { get; set; }

        [Parameter]
        public string? CrlUrl { get; set; }

        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>A file to write the request to, for the CA that signs it (0644).</summary>
        [Parameter]
        public string? Path { get; set; }

        /// <summary>Replace the file -Path names when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            Try(Messages.ProgressActivityNewCa.Format(CommonName), progress =>
            {
                var path = ResolveOptionalOutputFile(Path, literal: false);
                if (!ShouldProcess(NamedTarget(Name, CommonName), Messages.ShouldProcessRequestSubCa)) return;
                WriteObject(new PendingCaService(OpenStore()).Request(new NewCaRequest
                {
                    Name = Name,
                    CommonName = CommonName,
                    Organization = Organization,
                    OrganizationalUnit = OrganizationalUnit,
                    Country = Country,
                    State = State,
                    Locality = Locality,
                    Algorithm = Algorithm,
                    KeySize = KeySize,
                    PathLength = PathLength,
                    CrlUrl = CrlUrl,
                    KeyPassword = KeyPassword,
                    NoPassword = NoPassword,
                }, path, Force, progress, Cancellation));
            });
        }
    }
}
