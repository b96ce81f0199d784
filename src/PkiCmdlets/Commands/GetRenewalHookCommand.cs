using System.Linq;
using System.Management.Automation;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>Shows the hooks registered in the store: the DNS hook and the deploy hook, or the one of -Type.</summary>
    [Cmdlet(VerbsCommon.Get, "RenewalHook")]
    [OutputType(typeof(Hook))]
    public sealed class GetRenewalHookCommand : PkiCmdlet
    {
        // Kept as an int?, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int? _type;

        [Parameter(Position = 0)]
        public HookType? Type { get => (HookType?)_type; set => _type = (int?)value; }

        protected override void ProcessRecord()
        {
            var renewals = new RenewalService(OpenStore());
            Try(() => WriteObject(renewals.Hooks().Where(h => Type == null || h.Type == Type.ToString()), enumerateCollection: true));
        }
    }
}
