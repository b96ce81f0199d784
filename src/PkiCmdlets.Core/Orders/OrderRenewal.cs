using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>What renewing an order's certificate asks beyond the order itself.</summary>
    internal sealed class RenewOrderRequest
    {
        /// <summary>Makes a new key's request (kept in the store) when a new order is placed; null to order again with the order's own CSR.</summary>
        public Func<(CsrContent Csr, int CsrId)>? NewKey { get; set; }

        /// <summary>The certificate's id in renewal information, sent as "replaces" where the server offers renewal information.</summary>
        public string? AriReplaces { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(CompleteCertificateOrderRequest.DefaultTimeoutSeconds);
    }

    /// <summary>A renewal order completed: the new order, with its certificate stored, and what the DNS hook could not clean up.</summary>
    internal sealed class OrderRenewalOutcome
    {
        public OrderRenewalOutcome(CertificateOrder order, List<PkiException> hookProblems)
        {
            Order = order;
            HookProblems = hookProblems;
        }

        public CertificateOrder Order { get; }
        public List<PkiException> HookProblems { get; }
    }

    /// <summary>
    /// The ACME half of renewing a certificate: when its certificate authority suggests renewing it (RFC 9773), and a new
    /// order like the one that brought it (same server, account, profile, validation method, web root and CSR, or a new
    /// key's) placed, answered unattended (http-01 files under the web root, dns-01 records through the DNS hook) and
    /// completed, its certificate linked to the one it replaces. A renewal order left unfinished (a process stopped
    /// part-way) is taken up again rather than placed anew.
    /// </summary>
    internal sealed class OrderRenewal
    {
        private readonly PkiStore _store;
        private readonly OrderRepository _orders;
        private readonly AcmeAccountStore _accounts;
        private readonly OrderPlacement _placement;
        private readonly AcmeWorkflow _workflow;
        private readonly AcmeOptions _options;
        private readonly HookRepository _hooks;

        public OrderRenewal(PkiStore store, OrderRepository orders, AcmeAccountStore accounts, OrderPlacement placement, AcmeWorkflow workflow,
            AcmeOptions options, HookRepository hooks)
        {
            _store = store;
            _orders = orders;
            _accounts = accounts;
            _placement = placement;
            _workflow = workflow;
            _options = options;
            _hooks = hooks;
        }

        /// <summary>The certificate authority's renewal window for the order's certificate; null when its server offers none.</summary>
        public AcmeRenewalInfo? RenewalInfo(OrderRecord order, string certificateId, OrderCallbacks? callbacks, CancellationToken cancellation) =>
            CallerThread.Run(callbacks, async relay =>
            {
                using var account = _workflow.RequireAccount(order);
                using var client = new AcmeClient(new Uri(order.Server), account.Key!, _options.For(order.SkipCertificateCheck, relay)) { AccountUrl = account.Url };
                return await client.GetRenewalInfoAsync(certificateId, cancellation).ConfigureAwait(false);
            });

        /// <summary>
        /// Places the renewal order of <paramref name="old"/> (or takes up the one left unfinished), answers it and waits
        /// until its certificate is stored, then records on the old order that it was renewed. An order that cannot be
        /// answered unattended (dns-01 without a DNS hook, http-01 without a web root) is RenewalNeedsAnswer; it stays in
        /// the store, to be taken up by the next renewal.
        /// </summary>
        public OrderRenewalOutcome Renew(OrderRecord old, RenewOrderRequest request, Action<Hook, IDictionary<string, object?>>? runner,
            OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var record = _orders.LoadAll(new List<PkiException>()).FirstOrDefault(r => r.ReplacesOrderId == old.Id && !OrderState.IsFinished(r))
                ?? Place(old, request, callbacks, cancellation);
            var dnsHook = runner == null ? null : _hooks.Get(HookType.Dns);
            var output = OrderOutput.From(record, _store.Root);
            if (DnsHookCalls.Needed(output).Count > 0 && dnsHook == null)
            {
                throw new PkiException(ErrorIds.RenewalNeedsAnswer, PkiErrorKind.InvalidOperation, output,
                    Messages.RenewalNeedsDnsHook.Format(record.Id, old.Id, string.Join(", ", DnsHookCalls.Needed(output).Select(c => c.RecordName))));
            }
            if (record.WebRoot == null && output.Challenges.Any(c => c.Type == AcmeChallenge.Http01 && c.Status != AcmeStatus.Valid))
            {
                throw new PkiException(ErrorIds.RenewalNeedsAnswer, PkiErrorKind.InvalidOperation, output, Messages.RenewalNeedsWebRoot.Format(record.Id, old.Id));
            }
            var completed = CompleteWithDnsHook(record, request.Timeout, dnsHook, runner, callbacks, cancellation);
            _orders.MarkReplaced(old.Id, record.Id);
            return completed;
        }

        /// <summary>
        /// Completes an order with -Wait's patience, the DNS hook (when given) adding the TXT records first and removing
        /// them afterwards, also when the order fails. What the hook could not remove comes back with the order, or, when
        /// the order failed, is told to <see cref="OrderCallbacks.Warning"/>.
        /// </summary>
        public OrderRenewalOutcome CompleteWithDnsHook(OrderRecord record, TimeSpan timeout, Hook? dnsHook, Action<Hook, IDictionary<string, object?>>? runner,
            OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var calls = dnsHook == null || runner == null ? null : new DnsHookCalls(dnsHook, runner, cancellation);
            CertificateOrder order;
            try
            {
                calls?.AddAll(OrderOutput.From(record, _store.Root));
                order = CallerThread.Run(callbacks, relay => _workflow.CompleteAsync(record, true, timeout, relay, cancellation));
            }
            catch
            {
                // The order's failure is the error; what the cleanup could not do is told beside it.
                foreach (var problem in calls?.RemoveAll() ?? new List<PkiException>()) callbacks?.Warning?.Invoke(problem.Message);
                throw;
            }
            return new OrderRenewalOutcome(order, calls?.RemoveAll() ?? new List<PkiException>());
        }

        private OrderRecord Place(OrderRecord old, RenewOrderRequest request, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var newKey = request.NewKey?.Invoke();
            var csr = newKey?.Csr ?? CsrContent.FromDer(_orders.ReadCsr(old.Id), _orders.CsrFile(old.Id));
            var plan = new SubmitPlan(csr, SubmitPlanner.Domains(csr), ValidationMethods.FromChallengeType(old.ChallengeType), new Uri(old.Server))
            {
                Email = old.Email,
                Username = old.Username,
                Phone = old.Phone,
                Profile = old.Profile,
                WebRoot = old.WebRoot == null ? null : WebRoot.Require(old.WebRoot),
                SkipCertificateCheck = old.SkipCertificateCheck,
                PreferredChain = old.PreferredChain,
                CsrId = newKey?.CsrId ?? old.CsrId,
                RenewalOf = old,
                AriReplaces = request.AriReplaces,
            };
            var placed = CallerThread.Run(callbacks, relay => _placement.SubmitAsync(plan, false, relay, cancellation));
            return _orders.Load(placed.OrderId);
        }
    }
}
