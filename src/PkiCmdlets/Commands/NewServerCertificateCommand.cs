using System;
using System.Management.Automation;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets.Commands
{
    /// <summary>
    /// Issues a server certificate from a CSR with an intermediate CA (seed 002's CreateServerCertificateWithCsr); with
    /// -Profile ServerAndClient, one for a service that is a TLS client of its peers too.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ServerCertificate", SupportsShouldProcess = true, DefaultParameterSetName = CsrSet)]
    [OutputType(typeof(IssuedCertificate))]
    public sealed class NewServerCertificateCommand : NewCertificateCmdlet
    {
        /// <summary>Extra DNS names and IP addresses, as an array or separated by commas.</summary>
        [Parameter]
        public string[]? Domain { get; set; }

        /// <summary>Server (serverAuth), or ServerAndClient (serverAuth and clientAuth, for mutual TLS between services).</summary>
        [Parameter]
        [ValidateSet("Server", "ServerAndClient", IgnoreCase = true)]
        public string Profile { get; set; } = "Server";

        /// <summary>URIs such as SPIFFE IDs; a ServerAndClient certificate's only.</summary>
        [Parameter]
        public string[]? Uri { get; set; }

        protected override string IssueAction => Messages.ShouldProcessIssue;

        protected override void Complete(NewCertificateRequest request)
        {
            request.Domains = Domain;
            request.Profile = Profile;
            request.Uris = Uri;
        }

        protected override void Add(IssuanceBatch batch, NewCertificateRequest request, IProgress<string> progress)
        {
            // Checked and signed on worker threads; a refused request's error is written in its turn, before any
            // certificate of its batch (so -ErrorAction Stop still leaves that batch out of the store).
            batch.Submit(request, progress, Cancellation);
            WriteRefused(batch, wait: false);
        }
    }
}
