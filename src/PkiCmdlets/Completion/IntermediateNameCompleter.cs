using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the names of intermediates only, for parameters where only an intermediate can do the job (issuing server certificates).</summary>
    public sealed class IntermediateNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new CaService(store).Find(new[] { pattern }, roots: false).Items.Select(c => (c.Name, Messages.CompletionIntermediateToolTip.Format(c.Subject)));
    }
}
