using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Puts a root of the store into the operating system's trust store, so curl, browsers and .NET trust what its hierarchy
    /// issues: Windows' Root store, macOS's keychain, Linux's anchor folder and update command.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "CATrust", SupportsShouldProcess = true)]
    [OutputType(typeof(TrustedRoot))]
    public sealed class InstallCATrustCommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(RootNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>CurrentUser or LocalMachine; by default CurrentUser on Windows and macOS, LocalMachine on Linux.</summary>
        [Parameter]
        [ValidateSet("CurrentUser", "LocalMachine", IgnoreCase = true)]
        public string? Scope { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var trust = new TrustService(OpenStore());
                var scope = Scope == null ? TrustService.DefaultScope : (TrustScope)System.Enum.Parse(typeof(TrustScope), Scope, ignoreCase: true);
                if (!ShouldProcess(Name, Messages.ShouldProcessInstallTrust.Format(trust.Location(new CaIdentity(Name), scope)))) return;
                WriteObject(trust.Install(new CaIdentity(Name), scope));
            });
        }
    }
}
