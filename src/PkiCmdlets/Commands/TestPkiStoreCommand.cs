using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Integrity;

namespace PkiCmdlets.Commands
{
    /// <summary>Checks a whole store end to end (CA keys against certificates, journal chains, every record) and reports what is wrong; changes nothing.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PkiStore")]
    [OutputType(typeof(StoreCheckResult))]
    [OutputType(typeof(bool))]
    public sealed class TestPkiStoreCommand : PkiCmdlet
    {
        /// <summary>Returns only $true for a healthy store and $false otherwise.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            Try(Messages.ProgressActivityTestStore, progress =>
            {
                var result = new StoreCheckService(OpenStore()).Check(progress, Cancellation);
                WriteObject(Quiet ? (object)result.Healthy : result);
            });
        }
    }
}
