using System.Linq;
using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Forgets a CA key that Unlock-CA kept usable in this PowerShell process; without -Name, every unlocked one.</summary>
    [Cmdlet(VerbsCommon.Lock, "CA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class LockCACommand : PkiCmdlet
    {
        /// <summary>The CA to lock; left out, every CA unlocked in this process is locked, each after its own confirmation.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string? Name { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var cas = new CaService(OpenStore());
            var names = !string.IsNullOrEmpty(Name) ? new[] { Name! } : cas.Find().Items.Where(c => c.Unlocked).Select(c => c.Name).ToArray();
            foreach (var name in names)
            {
                if (!ShouldProcess(name, Messages.ShouldProcessLockCa)) continue;
                Try(() =>
                {
                    var ca = cas.Lock(new CaIdentity(name));
                    if (PassThru) WriteObject(ca);
                });
            }
        }
    }
}
