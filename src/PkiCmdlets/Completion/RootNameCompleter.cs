using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the names of roots only, for parameters where only a root can do the job (trust installation).</summary>
    public sealed class RootNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new CaService(store).Find(new[] { pattern }, roots: true).Items.Select(c => (c.Name, Messages.CompletionRootToolTip.Format(c.Subject)));
    }
}
