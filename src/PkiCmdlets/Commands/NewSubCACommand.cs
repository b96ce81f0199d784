using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Creates an intermediate CA signed by a CA in the store (seed 002's CreateSubCACertificate), with optional name constraints.</summary>
    [Cmdlet(VerbsCommon.New, "SubCA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class NewSubCACommand : NewCaCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ParentIdentifier")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public CaIdentity Issuer { get; set; } = new CaIdentity(string.Empty);

        [Parameter]
        [SecureStringArgument]
        public SecureString? IssuerKeyPassword { get; set; }

        [Parameter]
        public int PathLength { get; set; }

        [Parameter]
        public string[]? PermittedDnsDomain { get; set; }

        [Parameter]
        public string[]? ExcludedDnsDomain { get; set; }

        [Parameter]
        public string[]? PermittedIpRange { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Messages.ShouldProcessNewSubCaTarget.Format(NamedTarget(Name, CommonName), Issuer), Messages.ShouldProcessNewSubCa)) return;
            Try(Messages.ProgressActivityNewCa.Format(CommonName), progress =>
            {
                var request = Request();
                request.Issuer = Issuer;
                request.IssuerKeyPassword = IssuerKeyPassword;
                request.PathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : (int?)null;
                request.PermittedDnsDomains = PermittedDnsDomain;
                request.ExcludedDnsDomains = ExcludedDnsDomain;
                request.PermittedIpRanges = PermittedIpRange;
                WriteObject(new CaService(OpenStore()).CreateSubordinate(request, progress, Cancellation));
            });
        }
    }
}
