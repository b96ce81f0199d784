using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Trust;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Puts a root of the store into the operating system's trust store, so curl, browsers and .NET trust what its hierarchy
    /// issues: Windows' Root store, macOS's keychain, Linux's anchor folder and update command.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "CATrust", SupportsShouldProcess = true)]
    [OutputType(typeof(TrustedRoot))]
    public sealed class InstallCATrustCommand : CATrustCmdlet
    {
        protected override void ProcessRecord() =>
            Change(Messages.ShouldProcessInstallTrust, (trust, root, scope) => trust.Install(root, scope));
    }
}
