using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Issues a server certificate from a CSR with an intermediate CA (seed 002's CreateServerCertificateWithCsr); with
    /// -Profile ServerAndClient, one for a service that is a TLS client of its peers too.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ServerCertificate", SupportsShouldProcess = true, DefaultParameterSetName = CsrSet)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class NewServerCertificateCommand : SubjectCmdlet, IDisposable
    {
        private const string CsrSet = "Csr";
        private const string CsrPathSet = "CsrPath";

        private readonly PemLines _lines = new PemLines();
        private IssuanceBatch? _batch;

        /// <summary>PEM text, or a Csr object from New-Csr / Get-Csr through the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CsrSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString] // the blank lines of a PEM file piped by Get-Content
        public string Csr { get; set; } = string.Empty;

        /// <summary>A PEM or DER file; files from Get-ChildItem bind here by their PSPath.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CsrPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [SupportsWildcards]
        public string CsrPath { get; set; } = string.Empty;

        [Parameter(Mandatory = true)]
        [Alias("ParentIdentifier")]
        [ArgumentCompleter(typeof(IntermediateNameCompleter))]
        public CaIdentity Issuer { get; set; } = new CaIdentity(string.Empty);

        [Parameter]
        [SecureStringArgument]
        public SecureString? IssuerKeyPassword { get; set; }

        /// <summary>Extra DNS names and IP addresses, as an array or separated by commas.</summary>
        [Parameter]
        public string[]? Domain { get; set; }

        [Parameter]
        [Alias("CN")]
        public string? CommonName { get; set; }

        [Parameter]
        [Alias("KeyAlgorithm")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter]
        public int? Days { get; set; }

        [Parameter]
        public int? Months { get; set; }

        [Parameter]
        public int? Years { get; set; }

        [Parameter]
        [Alias("BeforeTime")]
        public DateTime? NotBefore { get; set; }

        [Parameter]
        [Alias("AfterTime")]
        public DateTime? NotAfter { get; set; }

        [Parameter]
        public SwitchParameter IncludeChain { get; set; }

        [Parameter]
        public SwitchParameter EnableCrl { get; set; }

        /// <summary>Server (serverAuth), or ServerAndClient (serverAuth and clientAuth, for mutual TLS between services).</summary>
        [Parameter]
        [ValidateSet("Server", "ServerAndClient", IgnoreCase = true)]
        public string Profile { get; set; } = "Server";

        /// <summary>URIs such as SPIFFE IDs; a ServerAndClient certificate's only.</summary>
        [Parameter]
        public string[]? Uri { get; set; }

        protected override void ProcessRecord()
        {
            // Lines of a PEM file piped by Get-Content come one at a time: they are one request once its END line arrives.
            var csr = ParameterSetName != CsrSet ? null : MyInvocation.ExpectingInput ? _lines.Add(Csr) : Csr;
            if (ParameterSetName == CsrSet && csr == null) return;
            Try(Messages.ProgressActivityIssue.Format(Issuer), progress =>
            {
                var request = new NewCertificateRequest
                {
                    Csr = csr,
                    CsrPath = ParameterSetName == CsrPathSet ? ResolveInputFile(CsrPath) : null,
                    Issuer = Issuer,
                    IssuerKeyPassword = IssuerKeyPassword,
                    Domains = Domain,
                    CommonName = CommonName,
                    Organization = Organization,
                    OrganizationalUnit = OrganizationalUnit,
                    Country = Country,
                    State = State,
                    Locality = Locality,
                    Algorithm = Algorithm,
                    Days = Days,
                    Months = Months,
                    Years = Years,
                    NotBefore = Utc(NotBefore),
                    NotAfter = Utc(NotAfter),
                    IncludeChain = IncludeChain,
                    EnableCrl = EnableCrl,
                    Profile = Profile,
                    Uris = Uri,
                };
                var target = !string.IsNullOrWhiteSpace(CommonName) ? CommonName!
                    : request.CsrPath ?? (CsrContent.Describe(csr) is string name ? Messages.ShouldProcessCsrTarget.Format(name) : Messages.ShouldProcessPipedCsr);
                if (!ShouldProcess(target, Messages.ShouldProcessIssue.Format(Issuer))) return;
                // Checked and signed on worker threads; a refused request's error is written in its turn, before any
                // certificate of its batch (so -ErrorAction Stop still leaves that batch out of the store).
                _batch!.Submit(request, progress, Cancellation);
                WriteRefused(wait: false);
                if (_batch.IsFull) Commit();
            });
        }

        protected override void BeginProcessing() => _batch = new CertificateService(OpenStore()).BeginBatch();

        protected override void EndProcessing()
        {
            Try(_lines.Finish);
            Commit();
        }

        public void Dispose() => _batch?.Dispose();

        /// <summary>
        /// Writes the errors of the requests refused so far, in the order they came; then records the certificates signed
        /// so far and only then outputs them: what is returned is in the store.
        /// </summary>
        private void Commit() => Try(() =>
        {
            WriteRefused(wait: true);
            WriteObject(_batch!.Commit(Cancellation), enumerateCollection: true);
        });

        private void WriteRefused(bool wait)
        {
            foreach (var refused in _batch!.TakeRefused(wait, Cancellation)) WriteError(refused);
        }

        private static DateTimeOffset? Utc(DateTime? value) =>
            value.HasValue ? new DateTimeOffset(value.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;
    }
}
