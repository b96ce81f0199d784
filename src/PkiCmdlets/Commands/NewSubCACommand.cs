using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Creates an intermediate CA signed by a CA in the store (seed 002's CreateSubCACertificate), with optional name
    /// constraints: with a key it makes, or for a key kept elsewhere, from that key's request (-Csr, -CsrPath), when the
    /// store keeps the certificate without a key.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SubCA", SupportsShouldProcess = true, DefaultParameterSetName = KeySet)]
    [OutputType(typeof(CertificateAuthority))]
    public sealed class NewSubCACommand : NewCaCmdlet
    {
        private const string KeySet = "Key";
        private const string CsrSet = "Csr";
        private const string CsrPathSet = "CsrPath";

        /// <summary>Required when the key is made here; from a request, it replaces the request's common name.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeySet)]
        [Parameter(ParameterSetName = CsrSet)]
        [Parameter(ParameterSetName = CsrPathSet)]
        [Alias("CN")]
        public string? CommonName { get; set; }

        /// <summary>The PKCS#10 request of an intermediate whose key is kept elsewhere, as PEM text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CsrSet)]
        public string Csr { get; set; } = string.Empty;

        /// <summary>The file of such a request, PEM or DER.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CsrPathSet)]
        [SupportsWildcards]
        public string CsrPath { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ParentIdentifier")]
        [ArgumentCompleter(typeof(CaNameCompleter))]
        public CaIdentity Issuer { get; set; } = new CaIdentity(string.Empty);

        [Parameter]
        [SecureStringArgument]
        public SecureString? IssuerKeyPassword { get; set; }

        [Parameter]
        public int PathLength { get; set; }

        [Parameter]
        public string[]? PermittedDnsDomain { get; set; }

        [Parameter]
        public string[]? ExcludedDnsDomain { get; set; }

        [Parameter]
        public string[]? PermittedIpRange { get; set; }

        protected override void ProcessRecord()
        {
            Try(Messages.ProgressActivityNewCa.Format(CommonName ?? Name ?? Issuer.Value), progress =>
            {
                var request = Request(CommonName);
                request.Issuer = Issuer;
                request.IssuerKeyPassword = IssuerKeyPassword;
                request.PathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : (int?)null;
                request.PermittedDnsDomains = PermittedDnsDomain;
                request.ExcludedDnsDomains = ExcludedDnsDomain;
                request.PermittedIpRanges = PermittedIpRange;
                request.Csr = ParameterSetName == CsrSet ? Csr : null;
                request.CsrPath = ParameterSetName == CsrPathSet ? ResolveInputFile(CsrPath) : null;
                var subject = CommonName ?? request.CsrPath ?? Messages.ShouldProcessPipedCsr;
                if (!ShouldProcess(Messages.ShouldProcessNewSubCaTarget.Format(NamedTarget(Name, subject), Issuer),
                    ParameterSetName == KeySet ? Messages.ShouldProcessNewSubCa : Messages.ShouldProcessNewSubCaFromCsr)) return;
                WriteObject(new CaService(OpenStore()).CreateSubordinate(request, progress, Cancellation));
            });
        }
    }
}
