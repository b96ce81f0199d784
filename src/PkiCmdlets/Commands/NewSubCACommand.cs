using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;

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
            var target = (string.IsNullOrEmpty(Name) ? CommonName : Name + " (" + CommonName + ")") + ", issued by " + Issuer;
            if (!ShouldProcess(target, "Create intermediate CA")) return;
            var activity = Messages.ProgressActivityNewCa.Format(CommonName);
            try
            {
                var request = Request();
                request.Issuer = Issuer;
                request.IssuerKeyPassword = IssuerKeyPassword;
                request.PathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : (int?)null;
                request.PermittedDnsDomains = PermittedDnsDomain;
                request.ExcludedDnsDomains = ExcludedDnsDomain;
                request.PermittedIpRanges = PermittedIpRange;
                WriteObject(new CaService(OpenStore()).CreateSubordinate(request, Progress(activity), Cancellation));
            }
            catch (PkiException e)
            {
                WriteError(e);
            }
            finally
            {
                CompleteProgress(activity);
            }
        }
    }
}
