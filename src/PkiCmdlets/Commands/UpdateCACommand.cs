using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Renews a CA's certificate: the same subject, key and key identifiers with a new validity, signed by the CA itself (a
    /// root) or its issuer, so the certificates it issued before still chain.
    /// </summary>
    [Cmdlet(VerbsData.Update, "CA", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class UpdateCACommand : PkiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public int? Years { get; set; }

        [Parameter]
        public int? Days { get; set; }

        [Parameter]
        public DateTime? NotAfter { get; set; }

        /// <summary>The CA's own key password: a root signs its new certificate itself; an intermediate's key is checked against its certificate.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        /// <summary>An intermediate's issuer's key password.</summary>
        [Parameter]
        [SecureStringArgument]
        public SecureString? IssuerKeyPassword { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, Messages.ShouldProcessUpdateCa)) return;
            Try(Messages.ProgressActivityUpdateCa.Format(Name), progress => WriteObject(new CaService(OpenStore()).Renew(new RenewCaRequest
            {
                Authority = new CaIdentity(Name),
                Years = Years,
                Days = Days,
                NotAfter = Utc(NotAfter),
                KeyPassword = KeyPassword,
                IssuerKeyPassword = IssuerKeyPassword,
            }, progress, Cancellation)));
        }
    }
}
