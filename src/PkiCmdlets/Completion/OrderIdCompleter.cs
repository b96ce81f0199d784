using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the OrderIds of certificate orders from the store alone (no CA is asked), with their domains as the tool tip.</summary>
    public sealed class OrderIdCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern)
        {
            var prefix = pattern.TrimEnd('*');
            return new CertificateOrderService(store).ListStored()
                .Select(o => (Id: o.OrderId.ToString(CultureInfo.InvariantCulture), o))
                .Where(x => x.Id.StartsWith(prefix, System.StringComparison.Ordinal))
                .Select(x => (x.Id, Messages.CompletionOrderToolTip.Format(string.Join(", ", x.o.Domains), x.o.Status)));
        }
    }
}
