using System;
using System.Collections.Generic;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>A Submit-CertificateOrder request, checked: everything the order needs before the first request to the certificate authority.</summary>
    internal sealed class SubmitPlan
    {
        public SubmitPlan(CsrContent csr, List<SubjectAlternativeName> domains, ValidationMethod method, Uri directory)
        {
            Csr = csr;
            Domains = domains;
            Method = method;
            Directory = directory;
        }

        public CsrContent Csr { get; }
        public List<SubjectAlternativeName> Domains { get; }
        public ValidationMethod Method { get; }
        public Uri Directory { get; }
        public string? Email { get; set; }
        public string? Username { get; set; }
        public string? Phone { get; set; }
        public string? Profile { get; set; }
        public AcmeExternalAccountBinding? Eab { get; set; }
        public string? WebRoot { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public int? CsrId { get; set; }
        public string? PreferredChain { get; set; }

        /// <summary>A renewal's: the order it renews, whose certificate the new one replaces.</summary>
        public OrderRecord? RenewalOf { get; set; }

        /// <summary>A renewal's, where the server offers renewal information: the certificate id sent as the new order's "replaces".</summary>
        public string? AriReplaces { get; set; }
    }
}
