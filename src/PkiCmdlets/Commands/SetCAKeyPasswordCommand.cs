using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>Encrypts a CA's key in the store with a new password, or protects a key kept without one.</summary>
    [Cmdlet(VerbsCommon.Set, "CAKeyPassword", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class SetCAKeyPasswordCommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>The key's password now; not needed for a key kept without one, or unlocked with Unlock-CA.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        /// <summary>The new password: at least 8 characters.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [SecureStringArgument]
        public SecureString NewKeyPassword { get; set; } = new SecureString();

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, Messages.ShouldProcessSetCaKeyPassword)) return;
            Try(Messages.ProgressActivitySetKeyPassword.Format(Name), progress =>
            {
                var ca = new CaService(OpenStore()).ChangeKeyPassword(new CaIdentity(Name), KeyPassword, NewKeyPassword, progress, Cancellation);
                if (PassThru) WriteObject(ca);
            });
        }
    }
}
