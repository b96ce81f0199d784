using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Checks a CA key's password and keeps the key usable in this PowerShell process (every runspace of it)
    /// until the time-out or Lock-CA, so later commands need no -IssuerKeyPassword (Unlock-SecretStore is the model).
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "CA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class UnlockCACommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        [SecureStringArgument]
        public SecureString Password { get; set; } = new SecureString();

        /// <summary>Seconds the key stays unlocked; 900 by default.</summary>
        [Parameter]
        [Alias("PasswordTimeout")]
        public int Timeout { get; set; } = (int)CaService.DefaultUnlockTimeout.TotalSeconds;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, Messages.ShouldProcessUnlockCa)) return;
            Try(() =>
            {
                var ca = new CaService(OpenStore()).Unlock(new CaIdentity(Name), Password, TimeSpan.FromSeconds(Timeout));
                if (PassThru) WriteObject(ca);
            });
        }
    }
}
