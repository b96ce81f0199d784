using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Commands
{
    /// <summary>Creates a self-signed root CA in the store (seed 002's CreateRootCACertificate).</summary>
    [Cmdlet(VerbsCommon.New, "RootCA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class NewRootCACommand : NewCaCmdlet
    {
        [Parameter]
        public int? PathLength { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(string.IsNullOrEmpty(Name) ? CommonName : Name + " (" + CommonName + ")", "Create root CA")) return;
            var activity = Messages.ProgressActivityNewCa.Format(CommonName);
            try
            {
                var request = Request();
                request.PathLength = PathLength;
                WriteObject(new CaService(OpenStore()).CreateRoot(request, Progress(activity), Cancellation));
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
