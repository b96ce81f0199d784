using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Orders public certificates over ACME (seed 003) and keeps the orders in the store: submit an order for a
    /// CSR, refresh it, answer its challenges, finalize it, and keep the certificate beside the store's own.
    /// Every input is checked before the first request to the certificate authority; a failed call leaves the
    /// store as it was, except that what the certificate authority decided (an order now invalid) is recorded.
    /// </summary>
    /// <remarks>
    /// The operations are synchronous: they run the asynchronous ACME client on the thread pool and deliver
    /// <see cref="OrderCallbacks"/> on the calling thread (<see cref="CallerThread"/>), so a cmdlet can pass
    /// WriteVerbose and WriteProgress. The network is never used while the store lock is held.
    /// </remarks>
    public sealed class CertificateOrderService
    {
        public const string DefaultServer = "LetsEncrypt";

        internal static readonly string Folder = Path.Combine("acme", "orders");

        private readonly PkiStore _store;
        private readonly AcmeAccountStore _accounts;
        private readonly Action<AcmeClientOptions>? _configure;

        public CertificateOrderService(PkiStore store)
            : this(store, null)
        {
        }

        /// <summary>Lets tests poll faster than a public CA would like.</summary>
        internal CertificateOrderService(PkiStore store, Action<AcmeClientOptions>? configure)
        {
            _store = store;
            _accounts = new AcmeAccountStore(store);
            _configure = configure;
        }

        /// <summary>
        /// Checks the request, then (when <paramref name="confirm"/>, given a description of the order, agrees)
        /// creates the account if the store has none for the server, places the order, reads what each domain
        /// must prove, writes the http-01 files under the web root, and keeps the order. Null when not confirmed.
        /// </summary>
        public CertificateOrder? Submit(SubmitCertificateOrderRequest request, Func<string, bool>? confirm = null,
            OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var plan = Plan(request);
            if (!_accounts.Exists(plan.Directory))
            {
                if (!request.AcceptTermsOfService) throw TermsOfServiceNotAccepted(plan, callbacks, cancellation);
                if (plan.Email == null)
                {
                    throw new PkiException(ErrorIds.ContactEmailRequired, PkiErrorKind.InvalidArgument, plan.Directory.AbsoluteUri,
                        Messages.ContactEmailRequired.Format(plan.Directory));
                }
            }
            var target = Messages.ShouldProcessSubmitOrderTarget.Format(string.Join(", ", plan.Domains.Select(d => d.Value)), plan.Directory);
            if (confirm != null && !confirm(target)) return null;
            cancellation.ThrowIfCancellationRequestedAsPki();
            return CallerThread.Run(callbacks, relay => SubmitAsync(plan, request.AcceptTermsOfService, relay, cancellation));
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
                records = LoadAll(problems);
            }
            else
            {
                records = new List<OrderRecord>();
                foreach (var id in orderIds.Distinct())
                {
                    try
                    {
                        records.Add(Load(id));
                    }
                    catch (PkiException e) when (e.ErrorId == ErrorIds.OrderNotFound || e.ErrorId == ErrorIds.StoreRecordCorrupt)
                    {
                        problems.Add(e);
                    }
                }
            }
            var unfinished = records.Where(r => !IsFinished(r)).ToList();
            if (unfinished.Count > 0)
            {
                problems.AddRange(CallerThread.Run(callbacks, relay => RefreshAllAsync(unfinished, relay, cancellation)));
            }
            return new Listing<CertificateOrder>(records.Select(ToOutput).ToList(), problems);
        }

        /// <summary>One order, refreshed as <see cref="Find"/> does; any problem is thrown.</summary>
        public CertificateOrder Get(int orderId, OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var listing = Find(new[] { orderId }, callbacks, cancellation);
            if (listing.Problems.Count > 0) throw listing.Problems[0];
            return listing.Items[0];
        }

        /// <summary>
        /// Moves the order on as far as it goes. Pending: writes the web root files again, tells the certificate
        /// authority each pending challenge is ready; ready: finalizes with the order's CSR; valid: downloads the
        /// certificate with its chain and keeps it (<see cref="ServerCertificateService.RecordExternal"/>). Without
        /// <see cref="CompleteCertificateOrderRequest.Wait"/> it never waits: it returns the order as the certificate
        /// authority then reports it. With Wait it polls (honouring Retry-After) until the certificate is stored, or
        /// fails with AcmeOrderInvalid carrying the certificate authority's problem, or AcmeTimeout.
        /// An order already invalid is OrderStateError; one whose certificate is stored is returned as it is.
        /// </summary>
        public CertificateOrder Complete(CompleteCertificateOrderRequest request, OrderCallbacks? callbacks = null, CancellationToken cancellation = default)
        {
            var seconds = request.TimeoutSeconds ?? CompleteCertificateOrderRequest.DefaultTimeoutSeconds;
            if (seconds < 1 || seconds > CompleteCertificateOrderRequest.MaxTimeoutSeconds)
            {
                throw new PkiException(ErrorIds.InvalidTimeout, PkiErrorKind.InvalidArgument, seconds, Messages.InvalidTimeout.Format(seconds));
            }
            var record = Load(request.OrderId);
            if (record.Status == AcmeStatus.Invalid) throw StateError(record);
            if (record.CertificateIdentifier != null) return ToOutput(record);
            cancellation.ThrowIfCancellationRequestedAsPki();
            return CallerThread.Run(callbacks, relay => CompleteAsync(record, request.Wait, TimeSpan.FromSeconds(seconds), relay, cancellation));
        }

        /// <summary>
        /// Deletes the order and its CSR copy from the store (and its http-01 files from the web root). The
        /// certificate authority is not told, the account stays, and an issued certificate stays in the store.
        /// Returns what was removed, or null when the record was too damaged to read.
        /// </summary>
        public CertificateOrder? Remove(int orderId, CancellationToken cancellation = default)
        {
            EnsureExists(orderId); // before the lock, which would create a store that is not there
            using (_store.Lock(cancellation))
            {
                EnsureExists(orderId);
                OrderRecord? record = null;
                try
                {
                    record = Load(orderId);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    // Damaged: nothing to return, and the files go all the same.
                }
                try
                {
                    // The record first: it is what makes the order exist.
                    _store.DeleteFile(RecordPath(orderId));
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreNotWritable)
                {
                    throw new PkiException(ErrorIds.OrderRemoveFailed, PkiErrorKind.PermissionDenied, orderId,
                        Messages.OrderRemoveFailed.Format(orderId, _store.Root, e.InnerException?.Message ?? e.Message), e);
                }
                try
                {
                    _store.DeleteFile(CsrPath(orderId));
                }
                catch (PkiException)
                {
                    // An orphaned copy of a CSR harms nothing; the order is gone.
                }
                record?.Challenges.ForEach(c => WebRoot.Delete(c.FilePath));
                return record == null ? null : ToOutput(record);
            }
        }

        private NumberedRecords Records => new NumberedRecords(_store, Folder);

        internal static string RecordPath(int id) => Path.Combine(Folder, id.ToString(CultureInfo.InvariantCulture) + ".json");

        internal static string CsrPath(int id) => Path.Combine(Folder, id.ToString(CultureInfo.InvariantCulture) + ".csr.pem");

        // ---- Submit ----------------------------------------------------------------------------------------

        private SubmitPlan Plan(SubmitCertificateOrderRequest request)
        {
            var csr = CsrContent.FromTextOrFile(request.Csr, request.CsrPath);
            var key = csr.PublicKeyInfo;
            if (!(key.Family == KeyFamily.Ecc || (key.Family == KeyFamily.Rsa && key.Size >= KeySpec.RsaSizes[0])))
            {
                throw new PkiException(ErrorIds.KeyAlgorithmNotAllowed, PkiErrorKind.InvalidData, key.Description,
                    Messages.KeyAlgorithmNotAllowed.Format(key.Description));
            }
            var domains = Domains(csr);

            var webRoot = string.IsNullOrWhiteSpace(request.WebRoot) ? null : request.WebRoot!;
            var method = ValidationMethods.Parse(request.ValidationMethod) ?? (webRoot != null ? ValidationMethod.Http : ValidationMethod.Dns);
            if (webRoot != null && method != ValidationMethod.Http)
            {
                throw new PkiException(ErrorIds.WebRootRequiresHttp, PkiErrorKind.InvalidArgument, webRoot, Messages.WebRootRequiresHttp.Format(webRoot));
            }
            foreach (var domain in domains)
            {
                if (method == ValidationMethod.Http && domain.Type == SubjectAlternativeNameType.Dns && domain.Value.StartsWith("*.", StringComparison.Ordinal))
                {
                    throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain.Value,
                        Messages.ValidationMethodWildcard.Format(domain.Value));
                }
                if (method == ValidationMethod.Dns && domain.Type == SubjectAlternativeNameType.IpAddress)
                {
                    throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain.Value,
                        Messages.ValidationMethodIpAddress.Format(domain.Value));
                }
            }
            if (webRoot != null) webRoot = WebRoot.Require(webRoot);

            var directory = AcmeServer.Resolve(string.IsNullOrWhiteSpace(request.Server) ? DefaultServer : request.Server);
            string? email = null;
            if (!string.IsNullOrWhiteSpace(request.Email))
            {
                var text = request.Email!.Trim();
                email = NameRules.NormalizeEmail(text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? text.Substring(7) : text);
            }
            return new SubmitPlan(csr, domains, method, directory)
            {
                Email = email,
                Username = Blank(request.Username),
                Phone = Blank(request.Phone),
                Profile = Blank(request.Profile),
                Eab = ExternalAccountBinding(request),
                WebRoot = webRoot,
                SkipCertificateCheck = request.SkipCertificateCheck,
                CsrId = new CsrService(_store).FindIdByPublicKey(key.SubjectPublicKeyInfo),
            };
        }

        /// <summary>The CSR's common name when it is a DNS name or IP address, then its subjectAltNames: exactly what finalize will ask for.</summary>
        private static List<SubjectAlternativeName> Domains(CsrContent csr)
        {
            var names = new List<SubjectAlternativeName>();
            var fromCommonName = csr.CommonName == null ? null : NameRules.FromCommonName(csr.CommonName);
            if (fromCommonName != null && fromCommonName.Type != SubjectAlternativeNameType.Email) names.Add(fromCommonName);
            foreach (var name in csr.Names) NameRules.AddDistinct(names, name);
            if (names.Count == 0)
            {
                throw new PkiException(ErrorIds.NoServerName, PkiErrorKind.InvalidArgument, csr.CommonName, Messages.OrderNoDomain.Format(csr.CommonName));
            }
            return names;
        }

        private static AcmeExternalAccountBinding? ExternalAccountBinding(SubmitCertificateOrderRequest request)
        {
            var hasKeyId = !string.IsNullOrWhiteSpace(request.EabKeyId);
            var hasMacKey = request.EabHmacKey != null && request.EabHmacKey.Length > 0;
            if (hasKeyId != hasMacKey)
            {
                throw new PkiException(ErrorIds.ExternalAccountBindingIncomplete, PkiErrorKind.InvalidArgument, hasKeyId ? request.EabKeyId : null,
                    Messages.ExternalAccountBindingIncomplete.Format(hasKeyId ? "-EabKeyId" : "-EabHmacKey"));
            }
            if (!hasKeyId) return null;
            var chars = KeyProtection.CopyChars(request.EabHmacKey!);
            try
            {
                return new AcmeExternalAccountBinding(request.EabKeyId!.Trim(), new string(chars));
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        private PkiException TermsOfServiceNotAccepted(SubmitPlan plan, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            // Worth one request: the message can then name the terms to read. Without them it is still the same error.
            string? terms = null;
            try
            {
                terms = CallerThread.Run(callbacks, async relay =>
                {
                    using var key = PrivateKey.Generate(AcmeAccountStore.KeySpec); // signs nothing: the directory is a plain GET
                    using var client = new AcmeClient(plan.Directory, key, Options(plan.SkipCertificateCheck, relay));
                    return (await client.GetDirectoryAsync(cancellation).ConfigureAwait(false)).TermsOfService;
                });
            }
            catch (PkiException)
            {
            }
            return new PkiException(ErrorIds.TermsOfServiceNotAccepted, PkiErrorKind.InvalidOperation, plan.Directory.AbsoluteUri,
                terms == null ? Messages.TermsOfServiceNotAccepted.Format(plan.Directory) : Messages.TermsOfServiceNotAcceptedAt.Format(plan.Directory, terms));
        }

        private async Task<CertificateOrder> SubmitAsync(SubmitPlan plan, bool acceptTerms, OrderCallbacks relay, CancellationToken cancellation)
        {
            var options = Options(plan.SkipCertificateCheck, relay);
            var account = _accounts.Find(plan.Directory);
            var key = account?.Key ?? PrivateKey.Generate(AcmeAccountStore.KeySpec);
            var client = new AcmeClient(plan.Directory, key, options) { AccountUrl = account?.Url };
            var written = new List<ChallengeRecord>();
            try
            {
                relay.Report(Messages.ProgressReadingDirectory);
                var directory = await client.GetDirectoryAsync(cancellation).ConfigureAwait(false);
                var profile = CheckProfile(directory, plan);
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
                var identifiers = plan.Domains
                    .Select(d => d.Type == SubjectAlternativeNameType.IpAddress ? AcmeIdentifier.Ip(d.Value) : AcmeIdentifier.Dns(d.Value))
                    .ToList();
                AcmeOrder order;
                try
                {
                    order = await client.NewOrderAsync(identifiers, profile, cancellation).ConfigureAwait(false);
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
                    order = await client.NewOrderAsync(identifiers, profile, cancellation).ConfigureAwait(false);
                }

                relay.Report(Messages.ProgressReadingAuthorizations);
                var challenges = new List<ChallengeRecord>();
                foreach (var url in order.Authorizations)
                {
                    challenges.Add(ChallengeFor(await client.GetAuthorizationAsync(url, cancellation).ConfigureAwait(false), plan.Method));
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
                    CreatedAt = now,
                    CheckedAt = now,
                };
                relay.Report(Messages.ProgressWritingStore);
                _store.EnsureCreated(Folder);
                using (_store.Lock(cancellation))
                {
                    record.Id = Records.NextId();
                    _store.WriteAllOrNothing(new[]
                    {
                        new KeyValuePair<string, byte[]>(CsrPath(record.Id), PkiStore.Utf8(Pem.Encode(Pem.CertificateRequestLabel, plan.Csr.Der))),
                        new KeyValuePair<string, byte[]>(RecordPath(record.Id), PkiStore.Json(record)),
                        new KeyValuePair<string, byte[]>(Records.CounterFile, PkiStore.Utf8((record.Id + 1).ToString(CultureInfo.InvariantCulture))),
                    });
                }
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

        /// <summary>The profile name as the server spells it, or AcmeProfileNotOffered; null when none was asked for.</summary>
        private static string? CheckProfile(AcmeDirectory directory, SubmitPlan plan)
        {
            if (plan.Profile == null) return null;
            if (directory.Profiles.Count == 0)
            {
                throw new PkiException(ErrorIds.AcmeProfileNotOffered, PkiErrorKind.InvalidArgument, plan.Profile,
                    Messages.AcmeNoProfiles.Format(plan.Directory, plan.Profile));
            }
            return directory.Profiles.Keys.FirstOrDefault(p => string.Equals(p, plan.Profile, StringComparison.OrdinalIgnoreCase))
                ?? throw new PkiException(ErrorIds.AcmeProfileNotOffered, PkiErrorKind.InvalidArgument, plan.Profile,
                    Messages.AcmeProfileNotOffered.Format(plan.Directory, plan.Profile, string.Join(", ", directory.Profiles.Keys.OrderBy(k => k, StringComparer.Ordinal))));
        }

        /// <summary>The challenge of the order's type in one authorization; an authorization already valid may have been won another way.</summary>
        private static ChallengeRecord ChallengeFor(AcmeAuthorization authorization, ValidationMethod method)
        {
            var type = method.ChallengeType();
            var domain = (authorization.Wildcard ? "*." : string.Empty) + authorization.Identifier.Value;
            var challenge = authorization.Challenge(type);
            if (challenge == null && authorization.Status == AcmeStatus.Valid)
            {
                challenge = authorization.Challenges.FirstOrDefault(c => c.Status == AcmeStatus.Valid);
            }
            if (challenge == null)
            {
                throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain,
                    Messages.ValidationMethodNotOffered.Format(type, domain, string.Join(", ", authorization.Challenges.Select(c => c.Type))));
            }
            var record = new ChallengeRecord
            {
                Domain = domain,
                IdentifierType = authorization.Identifier.Type,
                AuthorizationUrl = authorization.Url.AbsoluteUri,
                Type = challenge.Type,
                Url = challenge.Url.AbsoluteUri,
                Token = challenge.Token.Length == 0 ? null : challenge.Token,
                KeyAuthorization = challenge.Type == AcmeChallenge.Http01 && challenge.Token.Length > 0 ? challenge.KeyAuthorization : null,
                TxtValue = challenge.Token.Length > 0 ? challenge.DnsTxtValue : null,
            };
            Apply(record, authorization);
            return record;
        }

        // ---- Refresh and complete ------------------------------------------------------------------------

        private async Task<List<PkiException>> RefreshAllAsync(List<OrderRecord> records, OrderCallbacks relay, CancellationToken cancellation)
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
                            client ??= new AcmeClient(new Uri(record.Server), account.Key!, Options(record.SkipCertificateCheck, relay)) { AccountUrl = account.Url };
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
            Apply(record, order);
            if (order.Status == AcmeStatus.Pending || order.Status == AcmeStatus.Invalid)
            {
                foreach (var challenge in record.Challenges)
                {
                    var authorization = await client.GetAuthorizationAsync(new Uri(challenge.AuthorizationUrl), cancellation).ConfigureAwait(false);
                    authorizations[challenge.AuthorizationUrl] = authorization;
                    Apply(challenge, authorization);
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
            record.Error = order.Status == AcmeStatus.Invalid ? Problem(record, order) : null;
            return (order, authorizations);
        }

        private static PkiException OrderInvalid(AcmeOrder order) =>
            new PkiException(ErrorIds.AcmeOrderInvalid, PkiErrorKind.InvalidOperation, order,
                Messages.AcmeOrderInvalid.Format(order.Url, order.Status, order.Error?.ToString() ?? Messages.AcmeProblemWithoutDetail));

        private async Task<CertificateOrder> CompleteAsync(OrderRecord record, bool wait, TimeSpan timeout, OrderCallbacks relay, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var options = Options(record.SkipCertificateCheck, relay);
            using var account = RequireAccount(record);
            using var client = new AcmeClient(new Uri(record.Server), account.Key!, options) { AccountUrl = account.Url };
            var orderUrl = new Uri(record.OrderUrl);

            relay.Report(Messages.ProgressRefreshingOrder.Format(record.Id));
            var (order, authorizations) = await RefreshAsync(client, record, cancellation).ConfigureAwait(false);
            if (order.Status == AcmeStatus.Invalid)
            {
                Save(record);
                throw StateError(record);
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
                                if (order.Status == AcmeStatus.Invalid) throw OrderInvalid(order);
                                return Save(record);
                            }
                            foreach (var challenge in record.Challenges.Where(c => c.Status != AcmeStatus.Valid))
                            {
                                Budget(options, clock, timeout, record);
                                var valid = await client.WaitForAuthorizationAsync(new Uri(challenge.AuthorizationUrl),
                                    p => relay.Report(Waiting(challenge.Domain, p)), cancellation).ConfigureAwait(false);
                                Apply(challenge, valid);
                            }
                            Budget(options, clock, timeout, record);
                            order = await client.WaitForOrderAsync(orderUrl, p => relay.Report(Waiting(OrderName(record), p)), cancellation).ConfigureAwait(false);
                            break;
                        case AcmeStatus.Ready when !finalized:
                            relay.Report(Messages.ProgressFinalizing);
                            order = await client.FinalizeAsync(order, ReadCsr(record.Id), cancellation).ConfigureAwait(false);
                            finalized = true;
                            break;
                        case AcmeStatus.Pending:
                        case AcmeStatus.Processing:
                            if (!wait)
                            {
                                Apply(record, order);
                                return Save(record);
                            }
                            Budget(options, clock, timeout, record);
                            order = await client.WaitForOrderAsync(orderUrl, p => relay.Report(Waiting(OrderName(record), p)), cancellation).ConfigureAwait(false);
                            break;
                        case AcmeStatus.Valid:
                            Apply(record, order);
                            return await StoreCertificateAsync(client, record, order, relay, cancellation).ConfigureAwait(false);
                        case AcmeStatus.Invalid:
                            throw OrderInvalid(order);
                        default:
                            // Ready again after finalizing: the server did not take the CSR and said nothing.
                            Apply(record, order);
                            Save(record);
                            throw new PkiException(ErrorIds.OrderStateError, PkiErrorKind.InvalidOperation, ToOutput(record),
                                Messages.OrderUnexpectedStatus.Format(record.Id, order.Status));
                    }
                    Apply(record, order);
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
                throw TimedOut(record, timeout, e);
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
            var csr = CsrContent.FromDer(ReadCsr(record.Id), _store.FullPath(CsrPath(record.Id)));
            if (!csr.PublicKeyInfo.SubjectPublicKeyInfo.SequenceEqual(LeafPublicKey(chain.Leaf)))
            {
                throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, order.Certificate,
                    Messages.AcmeBadResponse.Format(HttpMethod.Post, order.Certificate, Messages.OrderCertificateKeyMismatch));
            }

            relay.Report(Messages.ProgressWritingStore);
            // Another session may have stored it while we downloaded.
            var current = Load(record.Id);
            if (current.CertificateIdentifier == null)
            {
                var stored = new ServerCertificateService(_store).RecordExternal(chain.Leaf, chain.Chain, cancellation);
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
            record.Error ??= Problem(record, null);
            if (record.Error == Messages.AcmeProblemWithoutDetail) record.Error = failure.Message;
            record.Challenges.ForEach(c => WebRoot.Delete(c.FilePath));
            var order = Save(record);
            return new PkiException(ErrorIds.AcmeOrderInvalid, PkiErrorKind.InvalidOperation, order,
                Messages.OrderFailed.Format(record.Id, string.Join(", ", record.Domains), record.Error), failure);
        }

        private void Budget(AcmeClientOptions options, Stopwatch clock, TimeSpan timeout, OrderRecord record)
        {
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero) throw TimedOut(record, timeout, null);
            // The client reads its options at each poll, so each wait gets what is left of the whole time-out.
            options.PollTimeout = remaining;
        }

        private PkiException TimedOut(OrderRecord record, TimeSpan timeout, Exception? inner) =>
            new PkiException(ErrorIds.AcmeTimeout, PkiErrorKind.OperationTimeout, ToOutput(record),
                Messages.OrderTimeout.Format(record.Id, record.Status, (int)timeout.TotalSeconds), inner);

        private PkiException StateError(OrderRecord record) =>
            new PkiException(ErrorIds.OrderStateError, PkiErrorKind.InvalidOperation, ToOutput(record),
                Messages.OrderIsInvalid.Format(record.Id, string.Join(", ", record.Domains), record.Error ?? Messages.AcmeProblemWithoutDetail));

        private static string Waiting(string what, AcmePollProgress progress) =>
            Messages.ProgressWaiting.Format(what, progress.Status, progress.Attempt, Math.Round(progress.NextPollIn.TotalSeconds, 1));

        private static string OrderName(OrderRecord record) => Messages.ShouldProcessOrderTarget.Format(record.Id);

        // ---- Records -----------------------------------------------------------------------------------------

        private static void Apply(OrderRecord record, AcmeOrder order)
        {
            record.Status = order.Status;
            record.Expires = order.Expires ?? record.Expires;
            record.CertificateUrl = order.Certificate?.AbsoluteUri ?? record.CertificateUrl;
            record.CheckedAt = DateTimeOffset.UtcNow;
        }

        private static void Apply(ChallengeRecord record, AcmeAuthorization authorization)
        {
            var challenge = authorization.Challenge(record.Type);
            record.Status = authorization.Status == AcmeStatus.Pending && challenge != null ? challenge.Status : authorization.Status;
            var problem = challenge?.Error ?? authorization.Challenges.Select(c => c.Error).FirstOrDefault(e => e != null);
            record.Error = problem == null ? null : Messages.AcmeChallengeFailed.Format(challenge?.Type ?? record.Type, Redacted(problem.ToString(), record.Token));
        }

        /// <summary>The order's own problem, then each domain's.</summary>
        private static string Problem(OrderRecord record, AcmeOrder? order)
        {
            var parts = new List<string>();
            if (order?.Error != null) parts.Add(Redacted(order.Error.ToString(), null));
            parts.AddRange(record.Challenges.Where(c => c.Error != null).Select(c => Messages.OrderProblemFor.Format(c.Domain, c.Error)));
            return parts.Count == 0 ? Messages.AcmeProblemWithoutDetail : string.Join(" ", parts);
        }

        /// <summary>Servers quote the expected key authorization in http-01 failures; the token stays out of messages.</summary>
        private static string Redacted(string text, string? token) =>
            string.IsNullOrEmpty(token) ? text : text.Replace(token, Messages.AcmeRedactedToken);

        private static bool IsFinished(OrderRecord record) =>
            record.Status == AcmeStatus.Invalid || (record.Status == AcmeStatus.Valid && record.CertificateIdentifier != null);

        /// <summary>Writes what the network told about an order, keeping a certificate another session stored meanwhile.</summary>
        private CertificateOrder Save(OrderRecord record)
        {
            using (_store.Lock(CancellationToken.None))
            {
                var current = Load(record.Id);
                record.CertificateIdentifier ??= current.CertificateIdentifier;
                record.CertificateNotAfter ??= current.CertificateNotAfter;
                _store.WriteJson(RecordPath(record.Id), record);
            }
            return ToOutput(record);
        }

        private StoredAccount RequireAccount(OrderRecord record) =>
            _accounts.Find(new Uri(record.Server))
            ?? throw _store.Corrupt(AcmeAccountStore.RecordPath(AcmeAccountStore.Id(new Uri(record.Server))),
                "the ACME account of order " + record.Id.ToString(CultureInfo.InvariantCulture) + " is missing", null);

        private byte[] ReadCsr(int id)
        {
            try
            {
                return Pem.Decode(_store.ReadText(CsrPath(id)), Pem.CertificateRequestLabel);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem)
            {
                throw _store.Corrupt(CsrPath(id), e.Message, e);
            }
        }

        private static byte[] LeafPublicKey(byte[] leaf)
        {
            var certificate = Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(leaf));
            return certificate.SubjectPublicKeyInfo.GetDerEncoded();
        }

        private void EnsureExists(int id)
        {
            if (id <= 0 || !_store.Exists(RecordPath(id)))
            {
                throw new PkiException(ErrorIds.OrderNotFound, PkiErrorKind.ObjectNotFound, id, Messages.OrderNotFound.Format(id, _store.Root));
            }
        }

        private OrderRecord Load(int id)
        {
            EnsureExists(id);
            var record = _store.ReadJson<OrderRecord>(RecordPath(id));
            if (record.Id != id || !Uri.TryCreate(record.OrderUrl, UriKind.Absolute, out _) || !Uri.TryCreate(record.Server, UriKind.Absolute, out _))
            {
                throw _store.Corrupt(RecordPath(id), Messages.ReasonOrderRecordInvalid, null);
            }
            return record;
        }

        /// <summary>The orders as the store keeps them, without asking any CA (for tab completion); damaged records are left out.</summary>
        public IReadOnlyList<CertificateOrder> ListStored() => LoadAll(new List<PkiException>()).Select(ToOutput).ToList();

        private List<OrderRecord> LoadAll(List<PkiException> problems) => Records.LoadAll(Load, ErrorIds.OrderNotFound, problems);


        private AcmeClientOptions Options(bool skipCertificateCheck, OrderCallbacks relay)
        {
            var options = new AcmeClientOptions { SkipCertificateCheck = skipCertificateCheck, Log = relay.Log };
            _configure?.Invoke(options);
            return options;
        }

        private CertificateOrder ToOutput(OrderRecord record) => new CertificateOrder
        {
            OrderId = record.Id,
            Status = OrderStatuses.FromAcme(record.Status).ToString(),
            Domains = record.Domains.ToArray(),
            ValidationMethod = ValidationMethods.FromChallengeType(record.ChallengeType).ToString(),
            Challenges = record.Challenges.Select(ChallengeOutput).ToArray(),
            Expires = record.Expires,
            Server = record.Server,
            Profile = record.Profile,
            CertificateIdentifier = record.CertificateIdentifier,
            NotAfter = record.CertificateNotAfter,
            Error = record.Error,
            CommonName = record.CommonName,
            CsrId = record.CsrId,
            Email = record.Email,
            Username = record.Username,
            Phone = record.Phone,
            AccountUrl = record.AccountUrl,
            OrderUrl = record.OrderUrl,
            SkipCertificateCheck = record.SkipCertificateCheck,
            WebRoot = record.WebRoot,
            CreatedAt = record.CreatedAt,
            CheckedAt = record.CheckedAt,
            StorePath = _store.Root,
        };

        private static OrderChallenge ChallengeOutput(ChallengeRecord record)
        {
            var challenge = new OrderChallenge { Domain = record.Domain, Type = record.Type, Status = record.Status, Error = record.Error };
            if (record.Type == AcmeChallenge.Dns01 && record.TxtValue != null)
            {
                // A wildcard's TXT record sits at the base domain (RFC 8555 §8.4).
                var domain = record.Domain.StartsWith("*.", StringComparison.Ordinal) ? record.Domain.Substring(2) : record.Domain;
                challenge.RecordName = "_acme-challenge." + domain;
                challenge.RecordType = "TXT";
                challenge.RecordValue = record.TxtValue;
            }
            else if (record.Type == AcmeChallenge.Http01 && record.Token != null)
            {
                var host = record.IdentifierType == AcmeIdentifier.IpType && record.Domain.IndexOf(':') >= 0 ? "[" + record.Domain + "]" : record.Domain;
                challenge.Url = "http://" + host + "/.well-known/acme-challenge/" + record.Token;
                challenge.FileName = record.Token;
                challenge.FileContent = record.KeyAuthorization;
                challenge.FilePath = record.FilePath;
            }
            return challenge;
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private sealed class SubmitPlan
        {
            public SubmitPlan(CsrContent csr, List<SubjectAlternativeName> domains, ValidationMethod method, Uri directory)
            {
                Csr = csr;
                Domains = domains;
                Method = method;
                Directory = directory;
            }

            public CsrContent Csr { get; }
            public List<SubjectAlternativeName> Domains { get; }
            public ValidationMethod Method { get; }
            public Uri Directory { get; }
            public string? Email { get; set; }
            public string? Username { get; set; }
            public string? Phone { get; set; }
            public string? Profile { get; set; }
            public AcmeExternalAccountBinding? Eab { get; set; }
            public string? WebRoot { get; set; }
            public bool SkipCertificateCheck { get; set; }
            public int? CsrId { get; set; }
        }
    }
}
