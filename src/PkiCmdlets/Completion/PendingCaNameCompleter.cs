using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the names of the intermediates waiting for their certificate (Request-SubCA), for Complete-SubCA.</summary>
    public sealed class PendingCaNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new PendingCaService(store).FindAll(new[] { pattern }).Items.Select(c => (c.Name, Messages.CompletionPendingToolTip.Format(c.Subject)));
    }
}
