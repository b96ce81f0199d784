using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Registers, once, the script the module calls unattended: the DNS hook that creates and removes dns-01 TXT records,
    /// or the deploy hook that puts each renewed certificate to use. A script block is kept as text in the store; a script
    /// file is kept by its full path and run from there.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "RenewalHook", SupportsShouldProcess = true, DefaultParameterSetName = ScriptBlockSet)]
    [OutputType(typeof(Hook))]
    public sealed class RegisterRenewalHookCommand : PkiCmdlet
    {
        private const string ScriptBlockSet = "ScriptBlock";

        // Kept as an int, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int _type;

        [Parameter(Mandatory = true, Position = 0)]
        public HookType Type { get => (HookType)_type; set => _type = (int)value; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ScriptBlockSet)]
        public ScriptBlock? ScriptBlock { get; set; }

        /// <summary>A .ps1 file (wildcards that match one file).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath")]
        public string LiteralPath { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var renewals = new RenewalService(OpenStore());
            Try(() =>
            {
                var path = ParameterSetName == ScriptBlockSet ? null
                    : ParameterSetName == PathSet ? ResolveInputFile(Path) : ResolveInputFile(WildcardPattern.Escape(LiteralPath));
                if (!ShouldProcess(Messages.ShouldProcessHookTarget.Format(Type), Messages.ShouldProcessRegisterHook)) return;
                var hook = renewals.RegisterHook(Type, ScriptBlock?.ToString(), path, Cancellation);
                if (PassThru) WriteObject(hook);
            });
        }
    }
}
