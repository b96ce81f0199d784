using System.Management.Automation;
using System.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core;

namespace PkiCmdlets.Commands
{
    /// <summary>Imports a CA made elsewhere (openssl, easy-rsa, a PFX) into the store with its key.</summary>
    [Cmdlet(VerbsData.Import, "CA", SupportsShouldProcess = true, DefaultParameterSetName = PemSet)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class ImportCACommand : PkiCmdlet
    {
        private const string PemSet = "Pem";
        private const string PfxSet = "Pfx";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PemSet)]
        [SupportsWildcards]
        public string CertificatePath { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PemSet)]
        [SupportsWildcards]
        public string KeyPath { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = PfxSet)]
        [SupportsWildcards]
        public string PfxPath { get; set; } = string.Empty;

        /// <summary>The password of the key file or of the PFX file.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? Password { get; set; }

        [Parameter]
        public string? Name { get; set; }

        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter NoPassword { get; set; }

        [Parameter]
        public string? CrlUrl { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var request = new ImportCaRequest
                {
                    Name = Name,
                    KeyFilePassword = Password,
                    KeyPassword = KeyPassword,
                    NoPassword = NoPassword,
                    CrlUrl = CrlUrl,
                };
                if (ParameterSetName == PfxSet)
                {
                    request.PfxPath = ResolveInputFile(PfxPath);
                }
                else
                {
                    request.CertificatePath = ResolveInputFile(CertificatePath);
                    request.KeyPath = ResolveInputFile(KeyPath);
                }
                if (!ShouldProcess(request.PfxPath ?? request.CertificatePath, Messages.ShouldProcessImportCa)) return;
                WriteObject(new CaImportService(OpenStore()).Import(request, Cancellation));
            });
        }
    }
}
