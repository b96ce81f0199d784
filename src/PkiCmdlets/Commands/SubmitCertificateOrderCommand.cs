using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Orders a domain-validated certificate for a CSR from an ACME certificate authority (seed 003's
    /// CreateCertificateWithCsrRequest) and returns the order with the TXT record or file each domain needs.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Submit, "CertificateOrder", SupportsShouldProcess = true, DefaultParameterSetName = CsrSet)]
    [OutputType(typeof(CertificateOrder))]
    public sealed class SubmitCertificateOrderCommand : OrderCmdlet
    {
        private const string CsrSet = "Csr";
        private const string CsrPathSet = "CsrPath";

        /// <summary>PEM text, or a Csr object from New-Csr / Get-Csr through the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CsrSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString] // the blank lines of a PEM file piped by Get-Content
        public string Csr { get; set; } = string.Empty;

        /// <summary>A PEM or DER file; files from Get-ChildItem bind here by their PSPath.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CsrPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [SupportsWildcards]
        public string CsrPath { get; set; } = string.Empty;

        /// <summary>The contact address; required the first time the store orders from a server (it creates the account).</summary>
        [Parameter]
        public string? Email { get; set; }

        /// <summary>Kept with the order only: ACME carries no contact name.</summary>
        [Parameter]
        public string? Username { get; set; }

        /// <summary>Kept with the order only: ACME carries only e-mail contacts.</summary>
        [Parameter]
        public string? Phone { get; set; }

        /// <summary>Dns (a TXT record) or Http (a file on the web server); the seed's DNS and FILE work too. Default Dns, or Http with -WebRoot.</summary>
        [Parameter]
        [Alias("ValidateType")]
        [ValidateSet("Dns", "Http", "File", IgnoreCase = true)]
        public string? ValidationMethod { get; set; }

        /// <summary>LetsEncrypt, LetsEncryptStaging, or the https URL of any ACME directory.</summary>
        [Parameter]
        [Alias("DirectoryUrl")]
        [ArgumentCompleter(typeof(AcmeServerCompleter))]
        public string Server { get; set; } = CertificateOrderService.DefaultServer;

        /// <summary>A certificate profile the server offers (the seed's ProductCode).</summary>
        [Parameter]
        [Alias("ProductCode")]
        public string? Profile { get; set; }

        /// <summary>External account binding: the key identifier the certificate authority gave you.</summary>
        [Parameter]
        [Alias("ExternalAccountKeyId")]
        public string? EabKeyId { get; set; }

        /// <summary>External account binding: the HMAC key the certificate authority gave you (base64url).</summary>
        [Parameter]
        [Alias("ExternalAccountHmacKey")]
        [SecureStringArgument]
        public SecureString? EabHmacKey { get; set; }

        [Parameter]
        public SwitchParameter AcceptTermsOfService { get; set; }

        /// <summary>Accepts any TLS certificate from the server: for test servers such as Pebble only. Kept with the order.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>For Http: the folder your web server serves at http://&lt;domain&gt;/; the challenge files are written under it.</summary>
        [Parameter]
        public string? WebRoot { get; set; }

        /// <summary>Where the CA offers several chains, the one whose root (or one of whose certificates) has this common name.</summary>
        [Parameter]
        public string? PreferredChain { get; set; }

        private readonly PemLines _lines = new PemLines();

        protected override void ProcessRecord()
        {
            // Lines of a PEM file piped by Get-Content come one at a time: they are one request once its END line arrives.
            var csr = ParameterSetName != CsrSet ? null : MyInvocation.ExpectingInput ? _lines.Add(Csr) : Csr;
            if (ParameterSetName == CsrSet && csr == null) return;
            Try(Messages.ProgressActivitySubmitOrder.Format(Server), progress =>
            {
                var request = new SubmitCertificateOrderRequest
                {
                    Csr = csr,
                    CsrPath = ParameterSetName == CsrPathSet ? ResolveInputFile(CsrPath) : null,
                    Email = Email,
                    Username = Username,
                    Phone = Phone,
                    ValidationMethod = ValidationMethod,
                    Server = Server,
                    Profile = Profile,
                    EabKeyId = EabKeyId,
                    EabHmacKey = EabHmacKey,
                    AcceptTermsOfService = AcceptTermsOfService,
                    SkipCertificateCheck = SkipCertificateCheck,
                    WebRoot = string.IsNullOrWhiteSpace(WebRoot) ? null : ResolveOutputFile(WebRoot!, literal: true),
                    PreferredChain = PreferredChain,
                };
                // The core asks once it has checked the request, naming the domains and the server.
                var order = new CertificateOrderService(OpenStore()).Submit(request, target => ShouldProcess(target, Messages.ShouldProcessSubmitOrder),
                    Callbacks(progress), Cancellation);
                if (order != null) WriteObject(order);
            });
        }

        protected override void EndProcessing() => Try(_lines.Finish);
    }
}
