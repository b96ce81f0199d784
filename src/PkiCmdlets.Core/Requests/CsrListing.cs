using System.Collections.Generic;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>The CSRs a query found, and the damaged records it passed over (each names its file).</summary>
    public sealed class CsrListing
    {
        internal CsrListing(IReadOnlyList<CertificateSigningRequest> items, IReadOnlyList<PkiException> problems)
        {
            Items = items;
            Problems = problems;
        }

        public IReadOnlyList<CertificateSigningRequest> Items { get; }

        public IReadOnlyList<PkiException> Problems { get; }
    }
}
