using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes CSR names.</summary>
    public sealed class CsrNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new CsrService(store).Find(pattern).Items.Select(c => (c.Name, c.Subject));
    }
}
