using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// An order placed (<see cref="OrderPlacement"/>) moved on with its certificate authority (RFC 8555): refreshed,
    /// its challenges answered, waited for, finalized, and its certificate downloaded into the store. Runs on the
    /// thread pool under <see cref="CallerThread"/>; never holds the store lock while it uses the network.
    /// </summary>
    internal sealed class AcmeWorkflow
    {
        private readonly PkiStore _store;
        private readonly OrderRepository _orders;
        private readonly AcmeAccountStore _accounts;
        private readonly AcmeOptions _options;

        public AcmeWorkflow(PkiStore store, OrderRepository orders, AcmeAccountStore accounts, AcmeOptions options)
        {
            _store = store;
            _orders = orders;
            _accounts = accounts;
            _options = options;
        }

        public async Task<List<PkiException>> RefreshAllAsync(List<OrderRecord> records, OrderCallbacks relay, CancellationToken cancellation)
        {
            var problems = new List<PkiException>();
            // One client per server (and TLS choice), so the directory and a nonce are fetched once per server.
            foreach (var group in records.GroupBy(r => (r.Server, r.SkipCertificateCheck)))
            {
                StoredAccount? account = null;
                AcmeClient? client = null;
                try
                {
                    foreach (var record in group)
                    {
                        cancellation.ThrowIfCancellationRequestedAsPki();
                        relay.Report(Messages.ProgressRefreshingOrder.Format(record.Id));
                        try
                        {
                            account ??= RequireAccount(record);
                            client ??= new AcmeClient(new Uri(record.Server), account.Key!, _options.For(record.SkipCertificateCheck, relay)) { AccountUrl = account.Url };
                            await RefreshAsync(client, record, cancellation).ConfigureAwait(false);
                            Save(record);
                        }
                        catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled)
                        {
                            problems.Add(e);
                        }
                    }
                }
                finally
                {
                    client?.Dispose();
                    account?.Dispose();
                }
            }
            return problems;
        }

        /// <summary>
        /// Reads the order and, while it is pending or invalid, its authorizations, into the record. Returns the
        /// order and the authorizations read, by URL.
        /// </summary>
        private static async Task<(AcmeOrder Order, Dictionary<string, AcmeAuthorization> Authorizations)> RefreshAsync(
            AcmeClient client, OrderRecord record, CancellationToken cancellation)
        {
            var order = await client.GetOrderAsync(new Uri(record.OrderUrl), cancellation).ConfigureAwait(false);
            var authorizations = new Dictionary<string, AcmeAuthorization>(StringComparer.Ordinal);
            OrderState.Apply(record, order);
            if (order.Status == AcmeStatus.Pending || order.Status == AcmeStatus.Invalid)
            {
                foreach (var challenge in record.Challenges)
                {
                    var authorization = await client.GetAuthorizationAsync(new Uri(challenge.AuthorizationUrl), cancellation).ConfigureAwait(false);
                    authorizations[challenge.AuthorizationUrl] = authorization;
                    OrderState.Apply(challenge, authorization);
                }
            }
            else
            {
                // Ready, processing and valid all mean every authorization is valid (RFC 8555 §7.1.6).
                foreach (var challenge in record.Challenges)
                {
                    challenge.Status = AcmeStatus.Valid;
                    challenge.Error = null;
                }
            }
            record.Error = order.Status == AcmeStatus.Invalid ? OrderProblems.Problem(record, order) : null;
            return (order, authorizations);
        }

        public async Task<CertificateOrder> CompleteAsync(OrderRecord record, bool wait, TimeSpan timeout, OrderCallbacks relay, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var options = _options.For(record.SkipCertificateCheck, relay);
            using var account = RequireAccount(record);
            using var client = new AcmeClient(new Uri(record.Server), account.Key!, options) { AccountUrl = account.Url };
            var orderUrl = new Uri(record.OrderUrl);

            relay.Report(Messages.ProgressRefreshingOrder.Format(record.Id));
            var (order, authorizations) = await RefreshAsync(client, record, cancellation).ConfigureAwait(false);
            if (order.Status == AcmeStatus.Invalid)
            {
                Save(record);
                throw OrderProblems.StateError(record, _store.Root);
            }

            var answered = false;
            var finalized = false;
            try
            {
                while (true)
                {
                    switch (order.Status)
                    {
                        case AcmeStatus.Pending when !answered:
                            await AnswerAsync(client, record, authorizations, relay, cancellation).ConfigureAwait(false);
                            answered = true;
                            if (!wait)
                            {
                                (order, _) = await RefreshAsync(client, record, cancellation).ConfigureAwait(false);
                                // The CA may have decided already: a failed validation is an error, not just a status.
                                if (order.Status == AcmeStatus.Invalid) throw OrderProblems.OrderInvalid(order);
                                return Save(record);
                            }
                            foreach (var challenge in record.Challenges.Where(c => c.Status != AcmeStatus.Valid))
                            {
                                Budget(options, clock, timeout, record);
                                var valid = await client.WaitForAuthorizationAsync(new Uri(challenge.AuthorizationUrl),
                                    p => relay.Report(Waiting(challenge.Domain, p)), cancellation).ConfigureAwait(false);
                                OrderState.Apply(challenge, valid);
                            }
                            Budget(options, clock, timeout, record);
                            order = await client.WaitForOrderAsync(orderUrl, p => relay.Report(Waiting(OrderName(record), p)), cancellation).ConfigureAwait(false);
                            break;
                        case AcmeStatus.Ready when !finalized:
                            relay.Report(Messages.ProgressFinalizing);
                            order = await client.FinalizeAsync(order, _orders.ReadCsr(record.Id), cancellation).ConfigureAwait(false);
                            finalized = true;
                            break;
                        case AcmeStatus.Pending:
                        case AcmeStatus.Processing:
                            if (!wait)
                            {
                                OrderState.Apply(record, order);
                                return Save(record);
                            }
                            Budget(options, clock, timeout, record);
                            order = await client.WaitForOrderAsync(orderUrl, p => relay.Report(Waiting(OrderName(record), p)), cancellation).ConfigureAwait(false);
                            break;
                        case AcmeStatus.Valid:
                            OrderState.Apply(record, order);
                            return await StoreCertificateAsync(client, record, order, relay, cancellation).ConfigureAwait(false);
                        case AcmeStatus.Invalid:
                            throw OrderProblems.OrderInvalid(order);
                        default:
                            // Ready again after finalizing: the server did not take the CSR and said nothing.
                            OrderState.Apply(record, order);
                            Save(record);
                            throw new PkiException(ErrorIds.OrderStateError, PkiErrorKind.InvalidOperation, ToOutput(record),
                                Messages.OrderUnexpectedStatus.Format(record.Id, order.Status));
                    }
                    OrderState.Apply(record, order);
                }
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.AcmeAuthorizationInvalid || e.ErrorId == ErrorIds.AcmeOrderInvalid)
            {
                throw await FailedAsync(client, record, e, cancellation).ConfigureAwait(false);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.AcmeTimeout)
            {
                Save(record);
                if (e.Target is CertificateOrder) throw;
                throw OrderProblems.TimedOut(record, _store.Root, timeout, e);
            }
        }

        /// <summary>Writes the web root files again (they may have been cleaned up) and tells the CA each pending challenge is ready.</summary>
        private static async Task AnswerAsync(AcmeClient client, OrderRecord record, Dictionary<string, AcmeAuthorization> authorizations,
            OrderCallbacks relay, CancellationToken cancellation)
        {
            foreach (var entry in record.Challenges)
            {
                if (!authorizations.TryGetValue(entry.AuthorizationUrl, out var authorization) || authorization.Status != AcmeStatus.Pending) continue;
                var challenge = authorization.Challenge(entry.Type);
                if (challenge == null) continue;
                if (record.WebRoot != null && challenge.Type == AcmeChallenge.Http01)
                {
                    relay.Report(Messages.ProgressWritingChallengeFile.Format(entry.Domain));
                    entry.FilePath = WebRoot.FilePath(record.WebRoot, challenge.Token);
                    WebRoot.Write(entry.FilePath, challenge.KeyAuthorization);
                }
                if (challenge.Status == AcmeStatus.Pending)
                {
                    relay.Report(Messages.ProgressAnsweringChallenge.Format(entry.Type, entry.Domain));
                    var answered = await client.RespondToChallengeAsync(challenge, cancellation).ConfigureAwait(false);
                    entry.Status = answered.Status;
                }
            }
        }

        private async Task<CertificateOrder> StoreCertificateAsync(AcmeClient client, OrderRecord record, AcmeOrder order, OrderCallbacks relay, CancellationToken cancellation)
        {
            if (order.Certificate == null)
            {
                throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, order.Url,
                    Messages.AcmeBadResponse.Format(HttpMethod.Post, order.Url, Messages.AcmeReasonField.Format("certificate")));
            }
            relay.Report(Messages.ProgressDownloading);
            var chain = await client.DownloadCertificateAsync(order.Certificate, cancellation).ConfigureAwait(false);
            var csr = CsrContent.FromDer(_orders.ReadCsr(record.Id), _orders.CsrFile(record.Id));
            var leaf = CertificateContent.FromDer(chain.Leaf, order.Certificate.AbsoluteUri, e => new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, order.Certificate,
                Messages.AcmeBadResponse.Format(HttpMethod.Post, order.Certificate, CertificateContent.Reason(e)), e));
            if (!csr.PublicKeyInfo.SubjectPublicKeyInfo.SequenceEqual(leaf.SubjectPublicKeyInfo))
            {
                throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, order.Certificate,
                    Messages.AcmeBadResponse.Format(HttpMethod.Post, order.Certificate, Messages.OrderCertificateKeyMismatch));
            }

            relay.Report(Messages.ProgressWritingStore);
            // Another session may have stored it while we downloaded.
            var current = _orders.Load(record.Id);
            if (current.CertificateIdentifier == null)
            {
                var stored = new CertificateService(_store).RecordExternal(chain.Leaf, chain.Chain, cancellation);
                record.CertificateIdentifier = stored.Identifier;
                record.CertificateNotAfter = stored.NotAfter;
            }
            record.Challenges.ForEach(c => WebRoot.Delete(c.FilePath));
            return Save(record);
        }

        /// <summary>The order failed at the CA: record why, and report the CA's problem for the order and for each domain.</summary>
        private async Task<PkiException> FailedAsync(AcmeClient client, OrderRecord record, PkiException failure, CancellationToken cancellation)
        {
            try
            {
                await RefreshAsync(client, record, cancellation).ConfigureAwait(false);
            }
            catch (PkiException)
            {
                // The failure itself says enough.
            }
            record.Status = AcmeStatus.Invalid;
            record.Error ??= OrderProblems.Problem(record, null);
            if (record.Error == Messages.AcmeProblemWithoutDetail) record.Error = failure.Message;
            record.Challenges.ForEach(c => WebRoot.Delete(c.FilePath));
            var order = Save(record);
            return new PkiException(ErrorIds.AcmeOrderInvalid, PkiErrorKind.InvalidOperation, order,
                Messages.OrderFailed.Format(record.Id, string.Join(", ", record.Domains), record.Error), failure);
        }

        private void Budget(AcmeClientOptions options, Stopwatch clock, TimeSpan timeout, OrderRecord record)
        {
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero) throw OrderProblems.TimedOut(record, _store.Root, timeout, null);
            // The client reads its options at each poll, so each wait gets what is left of the whole time-out.
            options.PollTimeout = remaining;
        }

        private static string Waiting(string what, AcmePollProgress progress) =>
            Messages.ProgressWaiting.Format(what, progress.Status, progress.Attempt, Math.Round(progress.NextPollIn.TotalSeconds, 1));

        private static string OrderName(OrderRecord record) => Messages.ShouldProcessOrderTarget.Format(record.Id);

        private StoredAccount RequireAccount(OrderRecord record) =>
            _accounts.Find(new Uri(record.Server))
            ?? throw _store.Corrupt(StoreLayout.AcmeAccountRecord(AcmeAccountStore.Id(new Uri(record.Server))),
                "the ACME account of order " + record.Id.ToString(CultureInfo.InvariantCulture) + " is missing", null);

        /// <summary>Writes the record and returns the order as it now stands.</summary>
        private CertificateOrder Save(OrderRecord record)
        {
            _orders.Save(record);
            return ToOutput(record);
        }

        private CertificateOrder ToOutput(OrderRecord record) => OrderOutput.From(record, _store.Root);
    }
}
