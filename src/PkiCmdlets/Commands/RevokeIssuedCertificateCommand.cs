using System.Collections.Generic;
using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Revokes issued certificates of every profile with an RFC 5280 reason; Publish-Crl puts them on the issuer's next CRL.
    /// Revoke-ServerCertificate is an alias.
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "IssuedCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [Alias("Revoke-ServerCertificate")]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class RevokeIssuedCertificateCommand : PkiCmdlet
    {
        private readonly List<string> _pending = new List<string>();
        private CertificateService? _certificates;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[] Identifier { get; set; } = new string[0];

        // Kept as an int, not as the enum: PowerShell loads this class before the module initializer makes
        // PkiCmdlets.Core loadable, and a field of one of its enums would load it (Loading/ModuleInitializer.cs).
        private int _reason = (int)RevocationReason.Unspecified;

        [Parameter]
        public RevocationReason Reason { get => (RevocationReason)_reason; set => _reason = (int)value; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _certificates = new CertificateService(OpenStore());

        protected override void ProcessRecord()
        {
            _pending.AddRange(Identifier);
        }

        /// <summary>
        /// Revokes everything the pipeline brought with one reading of the store and one durable write per issuer:
        /// finding each certificate costs a read of its issuer's journal, so per-item writes would grow with the store.
        /// The confirmation comes once each certificate is found, so that it names what is revoked.
        /// </summary>
        protected override void EndProcessing()
        {
            if (_pending.Count == 0) return;
            Try(() =>
            {
                var result = _certificates!.RevokeMany(_pending, Reason, Cancellation, certificate => ShouldProcess(
                    Messages.ShouldProcessRevokeTarget.Format(certificate.CommonName, certificate.SerialNumber, certificate.IssuerName),
                    Messages.ShouldProcessRevoke.Format(Reason)));
                foreach (var problem in result.Problems) WriteError(problem);
                if (PassThru) WriteObject(result.Items, enumerateCollection: true);
            });
        }
    }
}
