using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Forgets a CA key that Unlock-CA kept usable in this PowerShell process.</summary>
    [Cmdlet(VerbsCommon.Lock, "CA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class LockCACommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, Messages.ShouldProcessLockCa)) return;
            Try(() =>
            {
                var ca = new CaService(OpenStore()).Lock(new CaIdentity(Name));
                if (PassThru) WriteObject(ca);
            });
        }
    }
}
