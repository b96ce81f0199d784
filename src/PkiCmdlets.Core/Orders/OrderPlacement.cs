using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Places an order with its certificate authority (RFC 8555): the account (created when the store has none for the
    /// server), the order, what each domain must prove, the http-01 files under the web root, and the order kept in the
    /// store. Runs on the thread pool under <see cref="CallerThread"/>; never holds the store lock while it uses the network.
    /// </summary>
    internal sealed class OrderPlacement
    {
        private readonly PkiStore _store;
        private readonly OrderRepository _orders;
        private readonly AcmeAccountStore _accounts;
        private readonly AcmeOptions _options;

        public OrderPlacement(PkiStore store, OrderRepository orders, AcmeAccountStore accounts, AcmeOptions options)
        {
            _store = store;
            _orders = orders;
            _accounts = accounts;
            _options = options;
        }

        /// <summary>TermsOfServiceNotAccepted, naming the terms when the server's directory says where they are.</summary>
        public PkiException TermsOfServiceNotAccepted(SubmitPlan plan, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            // Worth one request: the message can then name the terms to read. Without them it is still the same error.
            string? terms = null;
            try
            {
                terms = CallerThread.Run(callbacks, async relay =>
                {
                    using var key = PrivateKey.Generate(AcmeAccountStore.KeySpec); // signs nothing: the directory is a plain GET
                    using var client = new AcmeClient(plan.Directory, key, _options.For(plan.SkipCertificateCheck, relay));
                    return (await client.GetDirectoryAsync(cancellation).ConfigureAwait(false)).TermsOfService;
                });
            }
            catch (PkiException)
            {
            }
            return new PkiException(ErrorIds.TermsOfServiceNotAccepted, PkiErrorKind.InvalidOperation, plan.Directory.AbsoluteUri,
                terms == null ? Messages.TermsOfServiceNotAccepted.Format(plan.Directory) : Messages.TermsOfServiceNotAcceptedAt.Format(plan.Directory, terms));
        }

        public async Task<CertificateOrder> SubmitAsync(SubmitPlan plan, bool acceptTerms, OrderCallbacks relay, CancellationToken cancellation)
        {
            var options = _options.For(plan.SkipCertificateCheck, relay);
            var account = _accounts.Find(plan.Directory);
            var key = account?.Key ?? PrivateKey.Generate(AcmeAccountStore.KeySpec);
            var client = new AcmeClient(plan.Directory, key, options) { AccountUrl = account?.Url };
            var written = new List<ChallengeRecord>();
            try
            {
                relay.Report(Messages.ProgressReadingDirectory);
                var directory = await client.GetDirectoryAsync(cancellation).ConfigureAwait(false);
                var profile = SubmitPlanner.OfferedProfile(directory, plan);
                if (account == null)
                {
                    relay.Report(Messages.ProgressCreatingAccount);
                    var created = await client.CreateAccountAsync(new[] { plan.Email! }, true, plan.Eab, cancellation).ConfigureAwait(false);
                    account = _accounts.Keep(plan.Directory, key, created.Url, created.Contact, plan.Eab?.KeyId, cancellation);
                    if (account.Key != null)
                    {
                        // Another session kept an account for this server first: use that one, as every later order will.
                        client.Dispose();
                        key.Dispose();
                        key = account.Key;
                        client = new AcmeClient(plan.Directory, key, options) { AccountUrl = account.Url };
                    }
                }

                relay.Report(Messages.ProgressPlacingOrder);
                // "replaces" only to a server that offers renewal information, which is what defines the field.
                var replaces = directory.RenewalInfo != null ? plan.AriReplaces : null;
                var identifiers = plan.Domains
                    .Select(d => d.Type == SubjectAlternativeNameType.IpAddress ? AcmeIdentifier.Ip(d.Value) : AcmeIdentifier.Dns(d.Value))
                    .ToList();
                AcmeOrder order;
                try
                {
                    order = await NewOrderAsync(client, identifiers, profile, replaces, relay, cancellation).ConfigureAwait(false);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.AcmeAccountNotFound)
                {
                    // The server lost the account (a test server restarted, or it was deactivated elsewhere).
                    if (!acceptTerms)
                    {
                        throw new PkiException(ErrorIds.TermsOfServiceNotAccepted, PkiErrorKind.InvalidOperation, plan.Directory.AbsoluteUri,
                            Messages.AccountGone.Format(plan.Directory, account.Url), e);
                    }
                    relay.Report(Messages.ProgressCreatingAccount);
                    client.AccountUrl = null;
                    var contact = plan.Email != null ? new[] { plan.Email } : account.Record.Contact.ToArray();
                    var created = await client.CreateAccountAsync(contact, true, plan.Eab, cancellation).ConfigureAwait(false);
                    _accounts.Replace(account, created.Url, created.Contact, cancellation);
                    order = await NewOrderAsync(client, identifiers, profile, replaces, relay, cancellation).ConfigureAwait(false);
                }

                relay.Report(Messages.ProgressReadingAuthorizations);
                var challenges = new List<ChallengeRecord>();
                foreach (var url in order.Authorizations)
                {
                    challenges.Add(OrderState.ChallengeFor(await client.GetAuthorizationAsync(url, cancellation).ConfigureAwait(false), plan.Method));
                }
                if (plan.WebRoot != null)
                {
                    foreach (var challenge in challenges.Where(c => c.Type == AcmeChallenge.Http01 && c.Status == AcmeStatus.Pending && c.Token != null))
                    {
                        relay.Report(Messages.ProgressWritingChallengeFile.Format(challenge.Domain));
                        var path = WebRoot.FilePath(plan.WebRoot, challenge.Token!);
                        WebRoot.Write(path, challenge.KeyAuthorization!);
                        challenge.FilePath = path;
                        written.Add(challenge);
                    }
                }

                var now = DateTimeOffset.UtcNow;
                var record = new OrderRecord
                {
                    Server = plan.Directory.AbsoluteUri,
                    AccountUrl = account.Url.AbsoluteUri,
                    OrderUrl = order.Url.AbsoluteUri,
                    Status = order.Status,
                    Domains = plan.Domains.Select(d => d.Value).ToList(),
                    ChallengeType = plan.Method.ChallengeType(),
                    Profile = order.Profile ?? profile,
                    Expires = order.Expires,
                    Challenges = challenges,
                    CertificateUrl = order.Certificate?.AbsoluteUri,
                    CommonName = plan.Csr.CommonName,
                    CsrId = plan.CsrId,
                    Email = plan.Email,
                    Username = plan.Username,
                    Phone = plan.Phone,
                    SkipCertificateCheck = plan.SkipCertificateCheck,
                    WebRoot = plan.WebRoot,
                    PreferredChain = plan.PreferredChain,
                    CreatedAt = now,
                    CheckedAt = now,
                    ReplacesOrderId = plan.RenewalOf?.Id,
                    Replaces = plan.RenewalOf?.CertificateIdentifier,
                };
                relay.Report(Messages.ProgressWritingStore);
                _orders.Add(record, plan.Csr.Der, cancellation);
                written.Clear();
                return ToOutput(record);
            }
            finally
            {
                // Files for an order that was not kept would only confuse.
                written.ForEach(c => WebRoot.Delete(c.FilePath));
                client.Dispose();
                key.Dispose();
            }
        }

        /// <summary>
        /// newOrder, saying which certificate it replaces when <paramref name="replaces"/> is given (RFC 9773 §5). When the
        /// server answers that the certificate was replaced already (an order placed elsewhere), the order is placed again
        /// without it: it then stands on its own, as any new order does.
        /// </summary>
        private static async Task<AcmeOrder> NewOrderAsync(AcmeClient client, List<AcmeIdentifier> identifiers, string? profile, string? replaces,
            OrderCallbacks relay, CancellationToken cancellation)
        {
            if (replaces == null) return await client.NewOrderAsync(identifiers, profile, cancellation).ConfigureAwait(false);
            try
            {
                return await client.NewOrderAsync(identifiers, profile, cancellation, replaces).ConfigureAwait(false);
            }
            catch (PkiException e) when (e.Target is AcmeProblem { Type: AcmeProblem.AlreadyReplaced })
            {
                relay.Report(Messages.ProgressPlacingOrderWithoutReplaces);
                return await client.NewOrderAsync(identifiers, profile, cancellation).ConfigureAwait(false);
            }
        }

        private CertificateOrder ToOutput(OrderRecord record) => OrderOutput.From(record, _store.Root);
    }
}
