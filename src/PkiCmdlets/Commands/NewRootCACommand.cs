using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Creates a self-signed root CA in the store (seed 002's CreateRootCACertificate).</summary>
    [Cmdlet(VerbsCommon.New, "RootCA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class NewRootCACommand : NewCaCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        [Parameter]
        public int? PathLength { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(NamedTarget(Name, CommonName), Messages.ShouldProcessNewRootCa)) return;
            Try(Messages.ProgressActivityNewCa.Format(CommonName), progress =>
            {
                var request = Request(CommonName);
                request.PathLength = PathLength;
                WriteObject(new CaService(OpenStore()).CreateRoot(request, progress, Cancellation));
            });
        }
    }
}
