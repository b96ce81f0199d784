using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes CA names, saying in the tool tip whether each is a root or an intermediate.</summary>
    public sealed class CaNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new CaService(store).Find(new[] { pattern }).Items.Select(c => (c.Name, (c.IsRoot ? Messages.CompletionRootToolTip : Messages.CompletionIntermediateToolTip).Format(c.Subject)));
    }
}
