using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Takes a root of the store out of the operating system's trust store, where Install-CATrust put it: what its hierarchy
    /// issues is no longer trusted by curl, browsers and .NET. Only what this module installed is removed.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Uninstall, "CATrust", SupportsShouldProcess = true)]
    [OutputType(typeof(TrustedRoot))]
    public sealed class UninstallCATrustCommand : PkiCmdlet
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
                if (!ShouldProcess(Name, Messages.ShouldProcessUninstallTrust.Format(trust.Location(new CaIdentity(Name), scope)))) return;
                WriteObject(trust.Uninstall(new CaIdentity(Name), scope));
            });
        }
    }
}
