using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>What goes wrong with an order, in words: the certificate authority's problems and the errors they become.</summary>
    internal static class OrderProblems
    {
        public static PkiException OrderInvalid(AcmeOrder order) =>
            new PkiException(ErrorIds.AcmeOrderInvalid, PkiErrorKind.InvalidOperation, order,
                Messages.AcmeOrderInvalid.Format(order.Url, order.Status, order.Error?.ToString() ?? Messages.AcmeProblemWithoutDetail));

        public static PkiException TimedOut(OrderRecord record, string storePath, TimeSpan timeout, Exception? inner) =>
            new PkiException(ErrorIds.AcmeTimeout, PkiErrorKind.OperationTimeout, OrderOutput.From(record, storePath),
                Messages.OrderTimeout.Format(record.Id, record.Status, (int)timeout.TotalSeconds), inner);

        public static PkiException StateError(OrderRecord record, string storePath) =>
            new PkiException(ErrorIds.OrderStateError, PkiErrorKind.InvalidOperation, OrderOutput.From(record, storePath),
                Messages.OrderIsInvalid.Format(record.Id, string.Join(", ", record.Domains), record.Error ?? Messages.AcmeProblemWithoutDetail));

        /// <summary>The order's own problem, then each domain's.</summary>
        public static string Problem(OrderRecord record, AcmeOrder? order)
        {
            var parts = new List<string>();
            if (order?.Error != null) parts.Add(Redacted(order.Error.ToString(), null));
            parts.AddRange(record.Challenges.Where(c => c.Error != null).Select(c => Messages.OrderProblemFor.Format(c.Domain, c.Error)));
            return parts.Count == 0 ? Messages.AcmeProblemWithoutDetail : string.Join(" ", parts);
        }

        /// <summary>Servers quote the expected key authorization in http-01 failures; the token stays out of messages.</summary>
        public static string Redacted(string text, string? token) =>
            string.IsNullOrEmpty(token) ? text : text.Replace(token, Messages.AcmeRedactedToken);
    }
}
