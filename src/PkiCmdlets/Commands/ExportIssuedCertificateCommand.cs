using System.IO;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Writes an issued certificate to a PEM, DER or PFX file, with its chain (the root only with -IncludeRoot) and private
    /// key on request, and the files web servers take beside it: the chain alone, the full chain, the key alone. The paths
    /// take script blocks, run for each certificate piped in. Export-ServerCertificate is an alias.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IssuedCertificate", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [Alias("Export-ServerCertificate")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportIssuedCertificateCommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string Identifier { get; set; } = string.Empty;

        // Bound by property name so that a script block given here runs for each certificate piped in (delay-bind):
        // -Path { "./out/$($_.CommonName).pem" }. No object the module outputs has a Path property.
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        public string LiteralPath { get; set; } = string.Empty;

        // Kept as an int, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int _format = (int)ExportFormat.Pem;

        [Parameter]
        public ExportFormat Format { get => (ExportFormat)_format; set => _format = (int)value; }

        [Parameter]
        public SwitchParameter IncludeChain { get; set; }

        /// <summary>The root at the top of the chain too, wherever a chain is written.</summary>
        [Parameter]
        public SwitchParameter IncludeRoot { get; set; }

        [Parameter]
        public SwitchParameter IncludePrivateKey { get; set; }

        /// <summary>A PEM file of the chain alone (the root only with -IncludeRoot).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ChainPath { get; set; }

        /// <summary>A PEM file of the certificate and its chain.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? FullChainPath { get; set; }

        /// <summary>A PEM file of the private key alone.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? KeyPath { get; set; }

        /// <summary>The PFX password, or for PEM the password that encrypts the exported key.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? Password { get; set; }

        /// <summary>The password of the key in the store, when New-Csr -KeyPassword encrypted it.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        /// <summary>PFX only: 3DES and a SHA-1 MAC instead of AES-256 and SHA-256, for Windows Server 2016 and older.</summary>
        [Parameter]
        public SwitchParameter LegacyEncryption { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// What is known now is checked now: an empty -Password or a missing folder stops
        /// `New-Csr | New-ServerCertificate | Export-IssuedCertificate` before the CSR and the certificate are made. A path
        /// given as a script block is bound only for each certificate (it is not bound yet), and checked then.
        /// </summary>
        protected override void BeginProcessing() => Require(() =>
        {
            // At this point a script block stands where its value will be.
            if (MyInvocation.BoundParameters.TryGetValue(ParameterSetName == LiteralPathSet ? nameof(LiteralPath) : nameof(Path), out var path) && path is string)
            {
                CertificateExportService.Check(Request());
            }
        });

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var request = Request();
                if (!ShouldProcess(request.Path, Messages.ShouldProcessExport.Format(Identifier, Format))) return;
                var written = new CertificateExportService(OpenStore()).Export(request);
                WriteFiles(written);
            });
        }

        private ExportRequest Request() => new ExportRequest
        {
            Identifier = Identifier,
            Format = Format,
            Path = ResolveOutputFile(Path, LiteralPath)!,
            IncludeChain = IncludeChain,
            IncludeRoot = IncludeRoot,
            IncludePrivateKey = IncludePrivateKey,
            ChainPath = ResolveOptionalOutputFile(ChainPath, literal: true),
            FullChainPath = ResolveOptionalOutputFile(FullChainPath, literal: true),
            KeyPath = ResolveOptionalOutputFile(KeyPath, literal: true),
            Password = Password,
            KeyPassword = KeyPassword,
            LegacyEncryption = LegacyEncryption,
            Force = Force,
        };
    }
}
