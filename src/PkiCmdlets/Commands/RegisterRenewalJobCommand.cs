using System.Diagnostics;
using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Registers the job that runs Invoke-CertificateRenewal on the store twice a day, at a random minute, the platform's
    /// way: a systemd user timer, else a crontab line, on Linux; a launchd agent on macOS; a Scheduled Task on Windows.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "RenewalJob", SupportsShouldProcess = true)]
    [OutputType(typeof(RenewalJob))]
    public sealed class RegisterRenewalJobCommand : PkiCmdlet
    {
        // Kept as an int?, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int? _scheduler;

        /// <summary>The platform's way to use instead of this machine's own.</summary>
        [Parameter]
        public JobScheduler? Scheduler { get => (JobScheduler?)_scheduler; set => _scheduler = (int?)value; }

        /// <summary>The PowerShell the job runs; default, the one running this command.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PowerShellPath { get; set; }

        protected override void EndProcessing()
        {
            var store = OpenStore();
            var jobs = new RenewalJobService(store);
            Try(() =>
            {
                var executable = PowerShellPath != null ? ResolveInputFile(PowerShellPath) : RenewalJobService.PowerShellExecutable(
                    (string)SessionState.PSVariable.GetValue("PSHOME"), (string)SessionState.PSVariable.GetValue("PSEdition") == "Core",
                    Process.GetCurrentProcess().MainModule!.FileName);
                var module = MyInvocation.MyCommand.Module;
                var manifest = System.IO.Path.Combine(module.ModuleBase, module.Name + ".psd1");
                if (!ShouldProcess(Messages.ShouldProcessJobTarget.Format(store.Root), Messages.ShouldProcessRegisterJob)) return;
                WriteObject(jobs.Register(new RegisterJobRequest
                {
                    Executable = executable,
                    ModulePath = System.IO.File.Exists(manifest) ? manifest : module.Path,
                    Scheduler = Scheduler,
                }, Cancellation));
            });
        }
    }
}
