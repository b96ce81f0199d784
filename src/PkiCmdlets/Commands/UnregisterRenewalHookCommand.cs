using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>Removes the DNS or deploy hook from the store; renewals then run without it. A script file stays where it is.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "RenewalHook", SupportsShouldProcess = true)]
    [OutputType(typeof(Hook))]
    public sealed class UnregisterRenewalHookCommand : PkiCmdlet
    {
        // Kept as an int, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int _type;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public HookType Type { get => (HookType)_type; set => _type = (int)value; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var renewals = new RenewalService(OpenStore());
            if (!ShouldProcess(Messages.ShouldProcessHookTarget.Format(Type), Messages.ShouldProcessUnregisterHook)) return;
            Try(() =>
            {
                var removed = renewals.UnregisterHook(Type, Cancellation);
                if (PassThru) WriteObject(removed);
            });
        }
    }
}
