using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>Removes the store's renewal job from the platform (timer, crontab line, agent or task) and from the store.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "RenewalJob", SupportsShouldProcess = true)]
    [OutputType(typeof(RenewalJob))]
    public sealed class UnregisterRenewalJobCommand : PkiCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var store = OpenStore();
            var jobs = new RenewalJobService(store);
            if (!ShouldProcess(Messages.ShouldProcessJobTarget.Format(store.Root), Messages.ShouldProcessUnregisterJob)) return;
            Try(() =>
            {
                var removed = jobs.Unregister(Cancellation);
                if (PassThru) WriteObject(removed);
            });
        }
    }
}
