using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the identifiers of issued certificates, with the common name and expiry as the tool tip.</summary>
    public sealed class CertificateIdentifierCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern)
        {
            var prefix = pattern.TrimEnd('*');
            return new CertificateService(store).Find(new CertificateQuery()).Items
                .Where(c => c.Identifier.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                .Select(c => (c.Identifier, Messages.CompletionCertificateToolTip.Format(c.CommonName, c.Status, c.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}
