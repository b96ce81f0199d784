using System.IO;
using System.Management.Automation;
using PkiCmdlets.Completion;
using System.Security;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Writes an issued certificate to a PEM, DER or PFX file, with its chain and private key on request.</summary>
    [Cmdlet(VerbsData.Export, "ServerCertificate", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportServerCertificateCommand : PkiCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string Identifier { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath")]
        public string LiteralPath { get; set; } = string.Empty;

        // Kept as an int, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int _format = (int)ExportFormat.Pem;

        [Parameter]
        public ExportFormat Format { get => (ExportFormat)_format; set => _format = (int)value; }

        [Parameter]
        public SwitchParameter IncludeChain { get; set; }

        [Parameter]
        public SwitchParameter IncludePrivateKey { get; set; }

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

        private string? _path;

        /// <summary>
        /// Everything but the certificate is known now, so it is checked now: an empty -Password or a missing folder stops
        /// `New-Csr | New-ServerCertificate | Export-ServerCertificate` before the CSR and the certificate are made.
        /// </summary>
        protected override void BeginProcessing() => Require(() =>
        {
            _path = ParameterSetName == LiteralPathSet ? ResolveOutputFile(LiteralPath, literal: true) : ResolveOutputFile(Path, literal: false);
            CertificateExportService.Check(Request(_path));
        });

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(_path, Messages.ShouldProcessExport.Format(Identifier, Format))) return;
            Try(() =>
            {
                var written = new CertificateExportService(OpenStore()).Export(Request(_path!));
                // The provider's item, as Get-Item gives it: Mode, Length and the PS* properties are filled in.
                WriteObject(InvokeProvider.Item.Get(System.Linq.Enumerable.ToArray(written), force: true, literalPath: true), enumerateCollection: true);
            });
        }

        private ExportRequest Request(string path) => new ExportRequest
        {
            Identifier = Identifier,
            Format = Format,
            Path = path,
            IncludeChain = IncludeChain,
            IncludePrivateKey = IncludePrivateKey,
            Password = Password,
            KeyPassword = KeyPassword,
            LegacyEncryption = LegacyEncryption,
            Force = Force,
        };
    }
}
