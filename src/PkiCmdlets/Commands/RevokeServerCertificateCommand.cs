using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Commands
{
    /// <summary>Revokes issued certificates with an RFC 5280 reason; Publish-Crl puts them on the issuer's next CRL.</summary>
    [Cmdlet(VerbsSecurity.Revoke, "ServerCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class RevokeServerCertificateCommand : PkiCmdlet
    {
        private ServerCertificateService? _certificates;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[] Identifier { get; set; } = new string[0];

        [Parameter]
        public RevocationReason Reason { get; set; } = RevocationReason.Unspecified;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _certificates = new ServerCertificateService(OpenStore());

        protected override void ProcessRecord()
        {
            foreach (var identifier in Identifier)
            {
                if (!ShouldProcess(identifier, "Revoke certificate (" + Reason + ")")) continue;
                Try(() =>
                {
                    var revoked = _certificates!.Revoke(identifier, Reason, Cancellation);
                    if (PassThru) WriteObject(revoked);
                });
            }
        }
    }
}
