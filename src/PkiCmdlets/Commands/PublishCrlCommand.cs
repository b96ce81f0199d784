using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Commands
{
    /// <summary>Signs a new CRL for a CA with every certificate it revoked, keeps it in the store and optionally writes it to a file.</summary>
    [Cmdlet(VerbsData.Publish, "Crl", SupportsShouldProcess = true, DefaultParameterSetName = StoreOnlySet)]
    [OutputType(typeof(PublishedCrl))]
    public sealed class PublishCrlCommand : PkiCmdlet
    {
        private const string StoreOnlySet = "StoreOnly";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("ParentIdentifier", "Name")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public CaIdentity Issuer { get; set; } = new CaIdentity(string.Empty);

        [Parameter]
        [SecureStringArgument]
        public SecureString? IssuerKeyPassword { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath")]
        public string LiteralPath { get; set; } = string.Empty;

        /// <summary>The form of the file -Path writes: Der (what a CRL URL serves, the default) or Pem.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateSet("Der", "Pem")]
        public string Format { get; set; } = "Der";

        /// <summary>Overwrite the file -Path names when it exists.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, CrlService.MaxNextUpdateHours)]
        public int NextUpdateHours { get; set; } = CrlService.DefaultNextUpdateHours;

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var path = ResolveOutputFile(Path, LiteralPath);
                if (!ShouldProcess(Issuer.Value, path == null ? Messages.ShouldProcessPublishCrlToStore : Messages.ShouldProcessPublishCrlToFile.Format(path))) return;
                WriteObject(new CrlService(OpenStore()).Publish(new PublishCrlRequest
                {
                    Issuer = Issuer, IssuerKeyPassword = IssuerKeyPassword, NextUpdateHours = NextUpdateHours, Path = path,
                    AsPem = string.Equals(Format, "Pem", System.StringComparison.OrdinalIgnoreCase), Force = Force,
                }, Cancellation));
            });
        }
    }
}
