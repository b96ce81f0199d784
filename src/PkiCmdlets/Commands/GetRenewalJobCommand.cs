using System.Management.Automation;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>Shows the store's renewal job: how it is scheduled, what it runs, whether the platform still has it, and the last runs.</summary>
    [Cmdlet(VerbsCommon.Get, "RenewalJob")]
    [OutputType(typeof(RenewalJob))]
    public sealed class GetRenewalJobCommand : PkiCmdlet
    {
        protected override void EndProcessing()
        {
            var jobs = new RenewalJobService(OpenStore());
            Try(() => WriteObject(jobs.Get()));
        }
    }
}
