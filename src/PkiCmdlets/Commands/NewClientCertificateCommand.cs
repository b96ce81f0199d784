using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Issues a TLS client certificate (mutual TLS, service identity, VPN users) with an intermediate CA: from a CSR, or for
    /// a key pair it makes (-GenerateKey) and keeps in the store as a CSR's key, so Export-IssuedCertificate writes it.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ClientCertificate", SupportsShouldProcess = true, DefaultParameterSetName = CsrSet)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class NewClientCertificateCommand : NewCertificateCmdlet
    {
        private const string GenerateKeySet = "GenerateKey";

        /// <summary>Makes the key pair here, kept in the store as a CSR's key (Get-Csr shows it).</summary>
        [Parameter(Mandatory = true, ParameterSetName = GenerateKeySet)]
        public SwitchParameter GenerateKey { get; set; }

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

        protected override string IssueAction => Messages.ShouldProcessIssueClient;

        protected override void ProcessRecord()
        {
            if (ParameterSetName != GenerateKeySet)
            {
                base.ProcessRecord();
                return;
            }
            var subject = !string.IsNullOrWhiteSpace(CommonName) ? CommonName! : Messages.ShouldProcessNewKeyTarget;
            if (!ShouldProcess(subject, Messages.ShouldProcessIssueClientWithKey.Format(Issuer))) return;
            Try(Messages.ProgressActivityIssue.Format(Issuer), progress => WriteObject(new NewKeyIssuance(OpenStore()).Issue(Request(null),
                new NewCsrRequest { Algorithm = Algorithm, KeySize = KeySize, KeyPassword = KeyPassword, Name = KeyName }, progress, Cancellation)));
        }

        protected override void Complete(NewCertificateRequest request)
        {
            request.Profile = "Client";
            request.EmailAddresses = Email;
            request.UserPrincipalNames = UserPrincipalName;
            request.Uris = Uri;
            request.Domains = DnsName;
        }

        protected override void Add(IssuanceBatch batch, NewCertificateRequest request, IProgress<string> progress) =>
            batch.Add(request, progress, Cancellation);
    }
}
