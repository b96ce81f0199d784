using System.Management.Automation;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Renewals;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Lists the certificates renewal looks at (every ACME order's current certificate, and each store-issued one set up
    /// for renewal), or those named: whether runs renew them, when they are due and by which rule, and their last renewal.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CertificateRenewal")]
    [OutputType(typeof(CertificateRenewal))]
    public sealed class GetCertificateRenewalCommand : PkiCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CertificateIdentifierCompleter))]
        public string[]? Identifier { get; set; }

        protected override void ProcessRecord()
        {
            var renewals = new RenewalService(OpenStore());
            Try(() => WriteListing(renewals.Find(Identifier)));
        }
    }
}
