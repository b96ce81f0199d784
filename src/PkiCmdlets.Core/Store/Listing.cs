using System.Collections.Generic;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>What a store query found, and the damaged records or unmatched names it passed over.</summary>
    public sealed class Listing<T>
    {
        internal Listing(IReadOnlyList<T> items, IReadOnlyList<PkiException> problems)
        {
            Items = items;
            Problems = problems;
        }

        public IReadOnlyList<T> Items { get; }

        public IReadOnlyList<PkiException> Problems { get; }
    }
}
