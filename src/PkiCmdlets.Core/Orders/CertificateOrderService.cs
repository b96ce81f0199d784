using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Orders public certificates over ACME and keeps the orders in the store: submit an order for a CSR, refresh it,
    /// answer its challenges, finalize it, and keep the certificate beside the store's own. A thin front: the request is
    /// checked by <see cref="SubmitPlanner"/>, the order placed by <see cref="OrderPlacement"/> and moved on by <see cref="AcmeWorkflow"/>, the
    /// orders kept by <see cref="OrderRepository"/> and shown by <see cref="OrderOutput"/>. Every input is checked before
    /// the first request to the certificate authority; a failed call leaves the store as it was, except that what the
    /// certificate authority decided (an order now invalid) is recorded.
    /// </summary>
    /// <remarks>
    /// The operations are synchronous: they run the asynchronous ACME client on the thread pool and deliver
    /// <see cref="OrderCallbacks"/> on the calling thread (<see cref="CallerThread"/>), so a cmdlet can pass
    /// WriteVerbose and WriteProgress. The network is never used while the store lock is held.
    /// </remarks>
    public sealed class CertificateOrderService
    {
        public const string DefaultServer = SubmitPlanner.DefaultServer;

        private readonly PkiStore _store;
        private readonly OrderRepository _orders;
        private readonly AcmeAccountStore _accounts;
        private readonly OrderPlacement _placement;
        private readonly AcmeWorkflow _workflow;

        public CertificateOrderService(PkiStore store)
            : this(store, null)
        {
        }

        /// <summary>Lets tests poll faster than a public CA would like.</summary>
        internal CertificateOrderService(PkiStore store, Action<AcmeClientOptions>? configure)
        {
            _store = store;
            _orders = new OrderRepository(store);
            _accounts = new AcmeAccountStore(store);
            var options = new AcmeOptions(configure);
            _placement = new OrderPlacement(store, _orders, _accounts, options);
            _workflow = new AcmeWorkflow(store, _orders, _accounts, options);
            Hooks = new HookRepository(store);
            Renewal = new OrderRenewal(store, _orders, _accounts, _placement, _workflow, options, Hooks);
            _revocation = new AcmeRevocation(store, _orders, _workflow, options);
            _rollover = new AccountKeyRollover(store, _accounts, options, () => DateTimeOffset.UtcNow);
        }

        private readonly AccountKeyRollover _rollover;

        /// <summary>
        /// Changes the key of the store's account at <paramref name="server"/> (a short name or directory URL; default
        /// LetsEncrypt) to a new P-256 key (RFC 8555 keyChange): the account, its orders and its authorizations stay, and
        /// only the new key speaks for it. A change left unfinished is finished first.
        /// </summary>
        public AcmeAccountInfo ChangeAccountKey(string? server, bool skipCertificateCheck = false, OrderCallbacks? callbacks = null, CancellationToken cancellation = default) =>
            _rollover.Change(server, skipCertificateCheck, callbacks, cancellation);

        private readonly AcmeRevocation _revocation;

        /// <summary>The orders as files, for renewal, which reads them all and follows their certificates.</summary>
        internal OrderRepository Repository => _orders;

        /// <summary>The DNS and deploy hooks registered in the store.</summary>
        internal HookRepository Hooks { get; }

        /// <summary>Renewal information and renewal orders.</summary>
        internal OrderRenewal Renewal { get; }

        /// <summary>
        /// Checks the request, then (when <paramref name="confirm"/>, given a description of the order, agrees)
        /// creates the account if the store has none for the server, places the order, reads what each domain
        /// must prove, writes the http-01 files under the web root, and keeps the order. Null when not confirmed.
        /// </summary>
        public CertificateOrder? Submit(SubmitCertificateOrderRequest request, Func<string, bool>? confirm = null,
            OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var plan = SubmitPlanner.Plan(request, new CsrService(_store).FindIdByPublicKey);
            if (!_accounts.Exists(plan.Directory))
            {
                if (!request.AcceptTermsOfService) throw _placement.TermsOfServiceNotAccepted(plan, callbacks, cancellation);
                if (plan.Email == null)
                {
                    throw new PkiException(ErrorIds.ContactEmailRequired, PkiErrorKind.InvalidArgument, plan.Directory.AbsoluteUri,
                        Messages.ContactEmailRequired.Format(plan.Directory));
                }
            }
            var target = Messages.ShouldProcessSubmitOrderTarget.Format(string.Join(", ", plan.Domains.Select(d => d.Value)), plan.Directory);
            if (confirm != null && !confirm(target)) return null;
            cancellation.ThrowIfCancellationRequestedAsPki();
            return CallerThread.Run(callbacks, relay => _placement.SubmitAsync(plan, request.AcceptTermsOfService, relay, cancellation));
        }

        /// <summary>
        /// The orders with these ids (all when none are given), each not yet finished (valid with its certificate
        /// stored, or invalid) first refreshed from its certificate authority. An id not in the store, a damaged
        /// record or a failed refresh is a problem; an order whose refresh failed is still listed as last known.
        /// </summary>
        public Listing<CertificateOrder> Find(IReadOnlyList<int>? orderIds = null, OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var problems = new List<PkiException>();
            List<OrderRecord> records;
            if (orderIds == null || orderIds.Count == 0)
            {
                records = _orders.LoadAll(problems);
            }
            else
            {
                records = new List<OrderRecord>();
                foreach (var id in orderIds.Distinct())
                {
                    try
                    {
                        records.Add(_orders.Load(id));
                    }
                    catch (PkiException e) when (e.ErrorId == ErrorIds.OrderNotFound || e.ErrorId == ErrorIds.StoreRecordCorrupt)
                    {
                        problems.Add(e);
                    }
                }
            }
            var unfinished = records.Where(r => !OrderState.IsFinished(r)).ToList();
            if (unfinished.Count > 0)
            {
                problems.AddRange(CallerThread.Run(callbacks, relay => _workflow.RefreshAllAsync(unfinished, relay, cancellation)));
            }
            return new Listing<CertificateOrder>(records.Select(ToOutput).ToList(), problems);
        }

        /// <summary>One order, refreshed as <see cref="Find"/> does; any problem is thrown.</summary>
        internal CertificateOrder Get(int orderId, OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var listing = Find(new[] { orderId }, callbacks, cancellation);
            if (listing.Problems.Count > 0) throw listing.Problems[0];
            return listing.Items[0];
        }

        /// <summary>
        /// Moves the order on as far as it goes. Pending: writes the web root files again, tells the certificate
        /// authority each pending challenge is ready; ready: finalizes with the order's CSR; valid: downloads the
        /// certificate with its chain and keeps it (<see cref="CertificateService.RecordExternal"/>). Without
        /// <see cref="CompleteCertificateOrderRequest.Wait"/> it never waits: it returns the order as the certificate
        /// authority then reports it. With Wait it polls (honouring Retry-After) until the certificate is stored, or
        /// fails with AcmeOrderInvalid carrying the certificate authority's problem, or AcmeTimeout.
        /// An order already invalid is OrderStateError; one whose certificate is stored is returned as it is.
        /// With Wait and a DNS hook registered, <paramref name="runHook"/> runs it to add the TXT records of the order's
        /// dns-01 challenges first and to remove them afterwards, also when the order fails; what it could not remove is
        /// told to <see cref="OrderCallbacks.Warning"/>.
        /// </summary>
        public CertificateOrder Complete(CompleteCertificateOrderRequest request, OrderCallbacks? callbacks = null, CancellationToken cancellation = default,
            Action<Hook, IDictionary<string, object?>>? runHook = null)
        {
            var seconds = request.TimeoutSeconds ?? CompleteCertificateOrderRequest.DefaultTimeoutSeconds;
            if (seconds < 1 || seconds > CompleteCertificateOrderRequest.MaxTimeoutSeconds)
            {
                throw new PkiException(ErrorIds.InvalidTimeout, PkiErrorKind.InvalidArgument, seconds, Messages.InvalidTimeout.Format(seconds));
            }
            var record = _orders.Load(request.OrderId);
            if (record.Status == AcmeStatus.Invalid) throw OrderProblems.StateError(record, _store.Root);
            if (record.CertificateIdentifier != null) return ToOutput(record);
            cancellation.ThrowIfCancellationRequestedAsPki();
            var dnsHook = request.Wait && runHook != null ? Hooks.Get(HookType.Dns) : null;
            if (dnsHook == null)
            {
                return CallerThread.Run(callbacks, relay => _workflow.CompleteAsync(record, request.Wait, TimeSpan.FromSeconds(seconds), relay, cancellation));
            }
            var outcome = Renewal.CompleteWithDnsHook(record, TimeSpan.FromSeconds(seconds), dnsHook, runHook, callbacks, cancellation);
            foreach (var problem in outcome.HookProblems) callbacks?.Warning?.Invoke(problem.Message);
            return outcome.Order;
        }

        /// <summary>
        /// Deletes the order and its CSR copy from the store (and its http-01 files from the web root). The
        /// certificate authority is not told, the account stays, and an issued certificate stays in the store.
        /// Returns what was removed, or null when the record was too damaged to read.
        /// </summary>
        public CertificateOrder? Remove(int orderId, CancellationToken cancellation = default)
        {
            var record = _orders.Remove(orderId, cancellation);
            record?.Challenges.ForEach(c => WebRoot.Delete(c.FilePath));
            return record == null ? null : ToOutput(record);
        }

        /// <summary>
        /// Revokes certificates, each where it was issued: a store CA's in its journal (see
        /// <see cref="CertificateService.RevokeMany"/>), one ordered over ACME at its certificate authority (RFC 8555
        /// revokeCert, found through its order), signed by the store's account there or, with
        /// <paramref name="useCertificateKey"/>, by the certificate's own key (decrypted with <paramref name="keyPassword"/>),
        /// and then recorded as revoked. <paramref name="confirm"/> is asked for each certificate found; each one that
        /// cannot be revoked is a problem of its own.
        /// </summary>
        public Listing<IssuedCertificate> RevokeMany(IReadOnlyList<string> identifiers, RevocationReason reason, bool useCertificateKey = false,
            SecureString? keyPassword = null, Func<IssuedCertificate, bool>? confirm = null, OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var certificates = new CertificateService(_store);
            var problems = new List<PkiException>();
            var found = certificates.FindEach(new CertificateQuery { Identifiers = identifiers.ToArray() }, problems).ToList();
            problems.RemoveAll(p => p.ErrorId != ErrorIds.CertificateNotFound);
            var items = new List<IssuedCertificate>();
            var ours = found.Where(c => c.IssuerId != CertificateService.ExternalIssuerId).Select(c => c.Identifier).ToList();
            if (ours.Count > 0)
            {
                var listing = certificates.RevokeMany(ours, reason, cancellation, confirm);
                items.AddRange(listing.Items);
                problems.AddRange(listing.Problems);
            }
            foreach (var certificate in found.Where(c => c.IssuerId == CertificateService.ExternalIssuerId))
            {
                if (confirm != null && !confirm(certificate)) continue;
                try
                {
                    items.Add(_revocation.Revoke(certificate, reason, useCertificateKey, keyPassword, callbacks, cancellation));
                }
                catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled)
                {
                    problems.Add(e);
                }
            }
            return new Listing<IssuedCertificate>(items, problems);
        }

        /// <summary>The orders as the store keeps them, without asking any CA (for tab completion); damaged records are left out.</summary>
        public IReadOnlyList<CertificateOrder> ListStored() => _orders.LoadAll(new List<PkiException>()).Select(ToOutput).ToList();

        private CertificateOrder ToOutput(OrderRecord record) => OrderOutput.From(record, _store.Root);
    }
}
