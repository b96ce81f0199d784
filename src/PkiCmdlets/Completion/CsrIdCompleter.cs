using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes CSR Ids, with each CSR's name and subject as the tool tip.</summary>
    public sealed class CsrIdCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern)
        {
            var prefix = pattern.TrimEnd('*');
            return new CsrService(store).Find((string?)null).Items
                .Select(c => (Id: c.Id.ToString(CultureInfo.InvariantCulture), c))
                .Where(x => x.Id.StartsWith(prefix, System.StringComparison.Ordinal))
                .Select(x => (x.Id, Messages.CompletionOrderToolTip.Format(x.c.Name, x.c.Subject)));
        }
    }
}
