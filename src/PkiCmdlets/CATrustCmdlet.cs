using System;
using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets
{
    /// <summary>
    /// The parameters Install-CATrust and Uninstall-CATrust share (a root of the store and the trust store's scope), and
    /// their one flow: confirm with the trust store's location, then change it.
    /// </summary>
    public abstract class CATrustCmdlet : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(RootNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>CurrentUser or LocalMachine; by default CurrentUser on Windows and macOS, LocalMachine on Linux.</summary>
        [Parameter]
        [ValidateSet("CurrentUser", "LocalMachine", IgnoreCase = true)]
        public string? Scope { get; set; }

        /// <summary>
        /// Confirms <paramref name="action"/> (a ShouldProcess action with the location as its argument), then makes the
        /// change and writes the root it returns.
        /// </summary>
        protected void Change(string action, Func<TrustService, CaIdentity, TrustScope, TrustedRoot> change)
        {
            Try(() =>
            {
                var trust = new TrustService(OpenStore());
                var scope = Scope == null ? TrustService.DefaultScope : (TrustScope)Enum.Parse(typeof(TrustScope), Scope, ignoreCase: true);
                if (!ShouldProcess(Name, action.Format(trust.Location(new CaIdentity(Name), scope)))) return;
                WriteObject(change(trust, new CaIdentity(Name), scope));
            });
        }
    }
}
