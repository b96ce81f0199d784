using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>
    /// Completes CA names, saying in the tool tip whether each is a root or an intermediate. Its subclasses complete roots
    /// only or intermediates only, for parameters where only one kind can do the job.
    /// </summary>
    public class CaNameCompleter : StoreNameCompleter
    {
        private readonly bool? _roots;

        public CaNameCompleter()
            : this(roots: null)
        {
        }

        /// <summary>Completes roots only (true), intermediates only (false), or both (null).</summary>
        protected CaNameCompleter(bool? roots) => _roots = roots;

        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern) =>
            new CaService(store).Find(new[] { pattern }, _roots).Items.Select(c => (c.Name, (c.IsRoot ? Messages.CompletionRootToolTip : Messages.CompletionIntermediateToolTip).Format(c.Subject)));
    }
}
