using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets
{
    /// <summary>
    /// What New-ServerCertificate and New-ClientCertificate share: the CSR (piped, as text or a file), the issuer, subject,
    /// algorithm and validity parameters, and the issuing flow: each request is confirmed and added to a batch, and the
    /// batch is committed when full and at the end, so what is output is in the store. Each declares its own identities.
    /// </summary>
    public abstract class NewCertificateCmdlet : SubjectCmdlet, IDisposable
    {
        protected const string CsrSet = "Csr";
        protected const string CsrPathSet = "CsrPath";

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

        [Parameter]
        [Alias("CN")]
        public string? CommonName { get; set; }

        /// <summary>The algorithm the CSR's key must have (New-ClientCertificate -GenerateKey: the algorithm of the key it makes).</summary>
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

        /// <summary>The ShouldProcess action, with the issuer as its argument.</summary>
        protected abstract string IssueAction { get; }

        /// <summary>Sets what this cmdlet's own parameters add to <paramref name="request"/>: its profile and identities.</summary>
        protected abstract void Complete(NewCertificateRequest request);

        /// <summary>Adds <paramref name="request"/> to <paramref name="batch"/>: checked and signed now (Add) or on worker threads (Submit).</summary>
        protected abstract void Add(IssuanceBatch batch, NewCertificateRequest request, IProgress<string> progress);

        private bool FromCsr => ParameterSetName == CsrSet || ParameterSetName == CsrPathSet;

        protected override void BeginProcessing()
        {
            if (FromCsr) _batch = new CertificateService(OpenStore()).BeginBatch();
        }

        protected override void ProcessRecord()
        {
            // Lines of a PEM file piped by Get-Content come one at a time: they are one request once its END line arrives.
            var csr = ParameterSetName != CsrSet ? null : MyInvocation.ExpectingInput ? _lines.Add(Csr) : Csr;
            if (ParameterSetName == CsrSet && csr == null) return;
            Try(Messages.ProgressActivityIssue.Format(Issuer), progress =>
            {
                var request = Request(csr);
                request.Algorithm = Algorithm;
                var target = !string.IsNullOrWhiteSpace(CommonName) ? CommonName!
                    : request.CsrPath ?? (CsrContent.Describe(csr) is string name ? Messages.ShouldProcessCsrTarget.Format(name) : Messages.ShouldProcessPipedCsr);
                if (!ShouldProcess(target, IssueAction.Format(Issuer))) return;
                Add(_batch!, request, progress);
                if (_batch!.IsFull) Commit();
            });
        }

        protected override void EndProcessing()
        {
            if (_batch == null) return;
            Try(_lines.Finish);
            Commit();
        }

        public void Dispose() => _batch?.Dispose();

        /// <summary>Writes the errors of the requests the batch refused so far, in the order they came.</summary>
        protected void WriteRefused(IssuanceBatch batch, bool wait)
        {
            foreach (var refused in batch.TakeRefused(wait, Cancellation)) WriteError(refused);
        }

        /// <summary>
        /// The request of the shared parameters and this cmdlet's own (<see cref="Complete"/>), for <paramref name="csr"/>
        /// or -CsrPath's file; the algorithm is left for the caller.
        /// </summary>
        protected NewCertificateRequest Request(string? csr)
        {
            var request = new NewCertificateRequest
            {
                Csr = csr,
                CsrPath = ParameterSetName == CsrPathSet ? ResolveInputFile(CsrPath) : null,
                Issuer = Issuer,
                IssuerKeyPassword = IssuerKeyPassword,
                CommonName = CommonName,
                Organization = Organization,
                OrganizationalUnit = OrganizationalUnit,
                Country = Country,
                State = State,
                Locality = Locality,
                Days = Days,
                Months = Months,
                Years = Years,
                NotBefore = Utc(NotBefore),
                NotAfter = Utc(NotAfter),
                IncludeChain = IncludeChain,
                EnableCrl = EnableCrl,
            };
            Complete(request);
            return request;
        }

        /// <summary>
        /// Writes the errors of the requests refused so far; then records the certificates signed so far and only then
        /// outputs them: what is returned is in the store.
        /// </summary>
        private void Commit() => Try(() =>
        {
            WriteRefused(_batch!, wait: true);
            WriteObject(_batch!.Commit(Cancellation), enumerateCollection: true);
        });
    }
}
