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
    /// Issues a TLS client certificate (mutual TLS, service identity, VPN users) with an intermediate CA: from a CSR, or for
    /// a key pair it makes (-GenerateKey) and keeps in the store as a CSR's key, so Export-IssuedCertificate writes it.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ClientCertificate", SupportsShouldProcess = true, DefaultParameterSetName = CsrSet)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class NewClientCertificateCommand : SubjectCmdlet, IDisposable
    {
        private const string CsrSet = "Csr";
        private const string CsrPathSet = "CsrPath";
        private const string GenerateKeySet = "GenerateKey";

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

        /// <summary>Makes the key pair here, kept in the store as a CSR's key (Get-Csr shows it).</summary>
        [Parameter(Mandatory = true, ParameterSetName = GenerateKeySet)]
        public SwitchParameter GenerateKey { get; set; }

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

        /// <summary>E-mail addresses (rfc822Name), as an array or separated by commas.</summary>
        [Parameter]
        [Alias("EmailAddress")]
        public string[]? Email { get; set; }

        /// <summary>User principal names, the names Windows logs users on with.</summary>
        [Parameter]
        [Alias("Upn")]
        public string[]? UserPrincipalName { get; set; }

        /// <summary>URIs, such as SPIFFE IDs.</summary>
        [Parameter]
        public string[]? Uri { get; set; }

        /// <summary>DNS names of the client, as an array or separated by commas.</summary>
        [Parameter]
        public string[]? DnsName { get; set; }

        /// <summary>With -GenerateKey the algorithm of the key made; with a CSR the algorithm its key must have.</summary>
        [Parameter]
        [Alias("KeyAlgorithm")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter(ParameterSetName = GenerateKeySet)]
        [Alias("KeyLength")]
        [ArgumentCompleter(typeof(KeySizeCompleter))]
        public int? KeySize { get; set; }

        /// <summary>Encrypts the key made with -GenerateKey in the store.</summary>
        [Parameter(ParameterSetName = GenerateKeySet)]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        /// <summary>The name of the CSR record that keeps the key made with -GenerateKey.</summary>
        [Parameter(ParameterSetName = GenerateKeySet)]
        public string? KeyName { get; set; }

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

        protected override void BeginProcessing()
        {
            if (ParameterSetName != GenerateKeySet) _batch = new CertificateService(OpenStore()).BeginBatch();
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == GenerateKeySet)
            {
                var subject = !string.IsNullOrWhiteSpace(CommonName) ? CommonName! : Messages.ShouldProcessNewKeyTarget;
                if (!ShouldProcess(subject, Messages.ShouldProcessIssueClientWithKey.Format(Issuer))) return;
                Try(Messages.ProgressActivityIssue.Format(Issuer), progress => WriteObject(new NewKeyIssuance(OpenStore()).Issue(Request(null),
                    new NewCsrRequest { Algorithm = Algorithm, KeySize = KeySize, KeyPassword = KeyPassword, Name = KeyName }, progress, Cancellation)));
                return;
            }
            // Lines of a PEM file piped by Get-Content come one at a time: they are one request once its END line arrives.
            var csr = ParameterSetName != CsrSet ? null : MyInvocation.ExpectingInput ? _lines.Add(Csr) : Csr;
            if (ParameterSetName == CsrSet && csr == null) return;
            Try(Messages.ProgressActivityIssue.Format(Issuer), progress =>
            {
                var request = Request(csr);
                request.Algorithm = Algorithm;
                var target = !string.IsNullOrWhiteSpace(CommonName) ? CommonName!
                    : request.CsrPath ?? (CsrContent.Describe(csr) is string name ? Messages.ShouldProcessCsrTarget.Format(name) : Messages.ShouldProcessPipedCsr);
                if (!ShouldProcess(target, Messages.ShouldProcessIssueClient.Format(Issuer))) return;
                _batch!.Add(request, progress, Cancellation);
                if (_batch.IsFull) Commit();
            });
        }

        protected override void EndProcessing()
        {
            if (_batch == null) return;
            Try(_lines.Finish);
            Commit();
        }

        public void Dispose() => _batch?.Dispose();

        /// <summary>Records the certificates signed so far and only then outputs them: what is returned is in the store.</summary>
        private void Commit() => Try(() => WriteObject(_batch!.Commit(Cancellation), enumerateCollection: true));

        private NewCertificateRequest Request(string? csr) => new NewCertificateRequest
        {
            Csr = csr,
            CsrPath = ParameterSetName == CsrPathSet ? ResolveInputFile(CsrPath) : null,
            Issuer = Issuer,
            IssuerKeyPassword = IssuerKeyPassword,
            Profile = "Client",
            CommonName = CommonName,
            EmailAddresses = Email,
            UserPrincipalNames = UserPrincipalName,
            Uris = Uri,
            Domains = DnsName,
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

        private static DateTimeOffset? Utc(DateTime? value) =>
            value.HasValue ? new DateTimeOffset(value.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;
    }
}
