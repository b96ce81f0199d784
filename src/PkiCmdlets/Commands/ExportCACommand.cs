using System.IO;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Writes a CA out: its certificate (and the chain above it), the CRLs of the chain, and for a backup that Import-CA
    /// takes back its key, the store's key file as it is or a PFX.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CA", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCACommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath")]
        public string LiteralPath { get; set; } = string.Empty;

        /// <summary>Pem (the certificate, and the key with -KeyPath) or Pfx (certificate, chain and key).</summary>
        [Parameter]
        [ValidateSet("Pem", "Pfx", IgnoreCase = true)]
        public string Format { get; set; } = "Pem";

        /// <summary>PEM only: the CA's key file as the store keeps it.</summary>
        [Parameter]
        public string? KeyPath { get; set; }

        [Parameter]
        public SwitchParameter IncludeChain { get; set; }

        /// <summary>A PEM file of the latest CRLs of the CA (and with -IncludeChain of every CA above it).</summary>
        [Parameter]
        public string? CrlPath { get; set; }

        /// <summary>The PFX password.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? Password { get; set; }

        /// <summary>The CA key's password, for a PFX (not needed after Unlock-CA).</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var request = new ExportCaRequest
                {
                    Authority = new CaIdentity(Name),
                    Format = string.Equals(Format, "Pfx", System.StringComparison.OrdinalIgnoreCase) ? ExportFormat.Pfx : ExportFormat.Pem,
                    Path = ResolveOutputFile(Path, LiteralPath)!,
                    KeyPath = ResolveOptionalOutputFile(KeyPath, literal: true),
                    IncludeChain = IncludeChain,
                    CrlPath = ResolveOptionalOutputFile(CrlPath, literal: true),
                    Password = Password,
                    KeyPassword = KeyPassword,
                    Force = Force,
                };
                if (!ShouldProcess(request.Path, Messages.ShouldProcessExportCa.Format(Name, Format))) return;
                var written = new CaExportService(OpenStore()).Export(request);
                WriteFiles(written);
            });
        }
    }
}
