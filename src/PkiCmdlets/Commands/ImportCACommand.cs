using System.Management.Automation;
using System.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Imports a CA made elsewhere (openssl, easy-rsa, a PFX) into the store with its key, and the CAs of its chain that
    /// come in the same file; or, without a key file, a CA's certificate alone (an offline root as a trust anchor).
    /// </summary>
    [Cmdlet(VerbsData.Import, "CA", SupportsShouldProcess = true, DefaultParameterSetName = PemSet)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class ImportCACommand : PkiCmdlet
    {
        private const string PemSet = "Pem";
        private const string PfxSet = "Pfx";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PemSet)]
        [SupportsWildcards]
        public string CertificatePath { get; set; } = string.Empty;

        /// <summary>The CA's key file; left out, the CA comes in without its key.</summary>
        [Parameter(Position = 1, ParameterSetName = PemSet)]
        [SupportsWildcards]
        public string? KeyPath { get; set; }

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
                    request.KeyPath = string.IsNullOrEmpty(KeyPath) ? null : ResolveInputFile(KeyPath!);
                }
                var keyless = request.PfxPath == null && request.KeyPath == null;
                if (!ShouldProcess(request.PfxPath ?? request.CertificatePath, keyless ? Messages.ShouldProcessImportCaWithoutKey : Messages.ShouldProcessImportCa)) return;
                WriteObject(new CaImportService(OpenStore()).Import(request, Cancellation));
            });
        }
    }
}
