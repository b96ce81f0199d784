using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Takes a root of the store out of the operating system's trust store, where Install-CATrust put it: what its hierarchy
    /// issues is no longer trusted by curl, browsers and .NET. Only what this module installed is removed.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Uninstall, "CATrust", SupportsShouldProcess = true)]
    [OutputType(typeof(TrustedRoot))]
    public sealed class UninstallCATrustCommand : CATrustCmdlet
    {
        protected override void ProcessRecord() =>
            Change(Messages.ShouldProcessUninstallTrust, (trust, root, scope) => trust.Uninstall(root, scope));
    }
}
