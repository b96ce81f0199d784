using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Removes a CA and all the store keeps for it (certificate, key, journal, CRL), or an intermediate still waiting for its
    /// certificate. Refused while CAs it issued are in the store, and while certificates it issued are unexpired unless -Force.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CA", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CertificateAuthority), typeof(PendingCa))]
    public sealed class RemoveCACommand : PkiCmdlet
    {
        /// <summary>Names or Ids, exactly (no wildcards: removal is for the CAs named).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string[] Name { get; set; } = new string[0];

        /// <summary>Remove it even while certificates it issued are unexpired (no CRL can be published for them afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var store = OpenStore();
            var pending = new PendingCaService(store);
            foreach (var name in Name)
            {
                var waiting = pending.IsPending(name);
                if (!ShouldProcess(name, waiting ? Messages.ShouldProcessRemovePendingCa : Messages.ShouldProcessRemoveCa)) continue;
                Try(() =>
                {
                    object removed = waiting ? pending.Remove(name, Cancellation) : new CaService(store).Remove(new CaIdentity(name), Force, Cancellation);
                    if (PassThru) WriteObject(removed);
                });
            }
        }
    }
}
