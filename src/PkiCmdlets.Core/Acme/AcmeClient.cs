using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// An RFC 8555 client for one account key at one server. Every POST is a JWS signed with the account
    /// key; a badNonce refusal is retried with the fresh nonce. One request at a time: not thread-safe.
    /// </summary>
    public sealed class AcmeClient : IDisposable
    {
        /// <summary>Retries after a badNonce refusal, beyond the first attempt.</summary>
        internal const int MaxBadNonceRetries = 5;

        private const string PemChainMediaType = "application/pem-certificate-chain";

        private readonly Uri _directoryUrl;
        private readonly AcmeClientOptions _options;
        private readonly AcmeTransport _transport;
        private readonly Jws _jws;
        private AcmeDirectory? _directory;

        /// <summary>
        /// A client for the directory at <paramref name="directoryUrl"/> (see <see cref="AcmeServer.Resolve"/>), signing with
        /// <paramref name="accountKey"/>: RSA or ECC on P-256, P-384 or P-521. The caller keeps ownership of the key.
        /// </summary>
        public AcmeClient(Uri directoryUrl, PrivateKey accountKey, AcmeClientOptions? options = null)
            : this(directoryUrl, accountKey, options ?? new AcmeClientOptions(), null)
        {
        }

        /// <summary>Lets tests put a fake server behind the client.</summary>
        internal AcmeClient(Uri directoryUrl, PrivateKey accountKey, AcmeClientOptions options, HttpMessageHandler? handler)
        {
            _jws = new Jws(accountKey);
            _directoryUrl = directoryUrl;
            _options = options;
            _transport = new AcmeTransport(handler ?? AcmeTransport.CreateHandler(options.SkipCertificateCheck), options);
        }

        /// <summary>
        /// The account URL that signs requests as "kid". Set by <see cref="CreateAccountAsync"/> and
        /// <see cref="FindAccountAsync"/>, or by the caller from an earlier session.
        /// </summary>
        public Uri? AccountUrl { get; set; }

        /// <summary>The directory, read once and then kept.</summary>
        public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellation = default)
        {
            if (_directory != null) return _directory;
            var response = await _transport.SendAsync(HttpMethod.Get, _directoryUrl, null, null, cancellation).ConfigureAwait(false);
            if (!response.IsSuccess) throw AcmeErrors.ForResponse(response, AcmeProblem.FromResponse(response));
            return _directory = AcmeDirectory.FromJson(response.JsonObject(), response);
        }

        /// <summary>
        /// Creates the account for this key (RFC 8555 §7.3), or returns the one the key already has.
        /// <paramref name="contactEmails"/> may carry "mailto:" or not; <paramref name="externalAccountBinding"/> is
        /// for CAs whose directory says externalAccountRequired.
        /// </summary>
        public async Task<AcmeAccount> CreateAccountAsync(IEnumerable<string>? contactEmails, bool termsOfServiceAgreed,
            AcmeExternalAccountBinding? externalAccountBinding = null, CancellationToken cancellation = default)
        {
            var contacts = (contactEmails ?? Enumerable.Empty<string>())
                .Select(e => "mailto:" + NameRules.NormalizeEmail(e.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? e.Substring(7) : e))
                .ToList();
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            var payload = new JObject { ["termsOfServiceAgreed"] = termsOfServiceAgreed };
            if (contacts.Count > 0) payload["contact"] = new JArray(contacts);
            if (externalAccountBinding != null)
            {
                payload["externalAccountBinding"] = _jws.ExternalAccountBinding(externalAccountBinding.KeyId, externalAccountBinding.MacKey, directory.NewAccount);
            }
            return await AccountRequestAsync(directory, payload, cancellation).ConfigureAwait(false);
        }

        /// <summary>Finds the account of this key without creating one (onlyReturnExisting); AcmeAccountNotFound when there is none.</summary>
        public async Task<AcmeAccount> FindAccountAsync(CancellationToken cancellation = default)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            return await AccountRequestAsync(directory, new JObject { ["onlyReturnExisting"] = true }, cancellation).ConfigureAwait(false);
        }

        /// <summary>
        /// Applies for a certificate (RFC 8555 §7.4). <paramref name="profile"/> is a name from
        /// <see cref="AcmeDirectory.Profiles"/>, or null for the server's default. <paramref name="replaces"/> is the
        /// <see cref="AcmeRenewalInfo.CertificateId"/> of the certificate this order renews (RFC 9773 §5), or null.
        /// </summary>
        public async Task<AcmeOrder> NewOrderAsync(IEnumerable<AcmeIdentifier> identifiers, string? profile = null, CancellationToken cancellation = default,
            string? replaces = null)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            var payload = new JObject { ["identifiers"] = new JArray(identifiers.Select(i => i.ToJson())) };
            if (profile != null) payload["profile"] = profile;
            if (replaces != null) payload["replaces"] = replaces;
            var response = await PostAsync(directory.NewOrder, payload.ToString(Formatting.None), false, null, cancellation).ConfigureAwait(false);
            return AcmeOrder.FromResponse(response, response.RequiredLocation());
        }

        /// <summary>
        /// The server's renewal window for a certificate (RFC 9773 §4.2), read with an unauthenticated GET of
        /// renewalInfo/&lt;certificate id&gt;; null when the server's directory offers no renewalInfo.
        /// </summary>
        public async Task<AcmeRenewalInfo?> GetRenewalInfoAsync(string certificateId, CancellationToken cancellation = default)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            if (directory.RenewalInfo == null) return null;
            var baseUrl = directory.RenewalInfo.AbsoluteUri;
            var url = new Uri(baseUrl.EndsWith("/", StringComparison.Ordinal) ? baseUrl + certificateId : baseUrl + "/" + certificateId);
            var response = await _transport.SendAsync(HttpMethod.Get, url, null, null, cancellation).ConfigureAwait(false);
            if (!response.IsSuccess) throw AcmeErrors.ForResponse(response, AcmeProblem.FromResponse(response));
            return AcmeRenewalInfo.FromResponse(response);
        }

        public async Task<AcmeOrder> GetOrderAsync(Uri orderUrl, CancellationToken cancellation = default)
        {
            var response = await PostAsGetAsync(orderUrl, null, cancellation).ConfigureAwait(false);
            return AcmeOrder.FromResponse(response, orderUrl);
        }

        public async Task<AcmeAuthorization> GetAuthorizationAsync(Uri authorizationUrl, CancellationToken cancellation = default)
        {
            var response = await PostAsGetAsync(authorizationUrl, null, cancellation).ConfigureAwait(false);
            return AcmeAuthorization.FromResponse(response, _jws.Jwk);
        }

        /// <summary>Tells the server the answer is in place (RFC 8555 §7.5.1): a POST of "{}".</summary>
        public async Task<AcmeChallenge> RespondToChallengeAsync(AcmeChallenge challenge, CancellationToken cancellation = default)
        {
            var response = await PostAsync(challenge.Url, "{}", false, null, cancellation).ConfigureAwait(false);
            return AcmeChallenge.FromJson(response.JsonObject(), response, _jws.Jwk);
        }

        /// <summary>Polls until the authorization is no longer pending; AcmeAuthorizationInvalid unless it is then valid.</summary>
        public async Task<AcmeAuthorization> WaitForAuthorizationAsync(Uri authorizationUrl, Action<AcmePollProgress>? progress = null,
            CancellationToken cancellation = default)
        {
            var authorization = await PollAsync(authorizationUrl, r => AcmeAuthorization.FromResponse(r, _jws.Jwk), a => a.Status,
                status => status == AcmeStatus.Pending, progress, cancellation).ConfigureAwait(false);
            if (authorization.Status != AcmeStatus.Valid)
            {
                throw AuthorizationFailed(authorization);
            }
            return authorization;
        }

        /// <summary>
        /// Polls while the order is pending or processing; returns it ready or valid, AcmeOrderInvalid otherwise.
        /// </summary>
        public async Task<AcmeOrder> WaitForOrderAsync(Uri orderUrl, Action<AcmePollProgress>? progress = null,
            CancellationToken cancellation = default)
        {
            var order = await PollAsync(orderUrl, r => AcmeOrder.FromResponse(r, orderUrl), o => o.Status,
                status => status == AcmeStatus.Pending || status == AcmeStatus.Processing, progress, cancellation).ConfigureAwait(false);
            if (order.Status != AcmeStatus.Ready && order.Status != AcmeStatus.Valid)
            {
                throw new PkiException(ErrorIds.AcmeOrderInvalid, PkiErrorKind.InvalidOperation, order,
                    Messages.AcmeOrderInvalid.Format(orderUrl, order.Status, order.Error?.ToString() ?? Messages.AcmeProblemWithoutDetail));
            }
            return order;
        }

        /// <summary>Sends the user's CSR (RFC 8555 §7.4); the order is then processing or already valid.</summary>
        public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csrDer, CancellationToken cancellation = default)
        {
            var payload = new JObject { ["csr"] = Base64Url.Encode(csrDer) };
            var response = await PostAsync(order.Finalize, payload.ToString(Formatting.None), false, null, cancellation).ConfigureAwait(false);
            return AcmeOrder.FromResponse(response, order.Url);
        }

        /// <summary>
        /// Downloads application/pem-certificate-chain and splits it into the leaf and its issuers. With
        /// <paramref name="preferredChain"/>, a chain that the server offers as an alternate (Link rel="alternate") is
        /// taken instead when its topmost issuer's common name, or the common name of one of its certificates, is that name;
        /// when no chain has it, the default chain is kept.
        /// </summary>
        public async Task<AcmeCertificateChain> DownloadCertificateAsync(Uri certificateUrl, CancellationToken cancellation = default, string? preferredChain = null)
        {
            var chain = await DownloadChainAsync(certificateUrl, cancellation).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(preferredChain) || chain.Names.Contains(preferredChain!.Trim(), StringComparer.OrdinalIgnoreCase)) return chain;
            foreach (var alternate in chain.Alternates)
            {
                var other = await DownloadChainAsync(alternate, cancellation).ConfigureAwait(false);
                if (other.Names.Contains(preferredChain.Trim(), StringComparer.OrdinalIgnoreCase)) return other;
            }
            _options.Log?.Invoke(Messages.AcmeLogPreferredChainMissing.Format(preferredChain, chain.Alternates.Count + 1));
            return chain;
        }

        private async Task<AcmeCertificateChain> DownloadChainAsync(Uri certificateUrl, CancellationToken cancellation)
        {
            var response = await PostAsGetAsync(certificateUrl, PemChainMediaType, cancellation).ConfigureAwait(false);
            IReadOnlyList<byte[]> certificates;
            try
            {
                certificates = Pem.DecodeAll(response.Body, Pem.CertificateLabel);
            }
            catch (PkiException e)
            {
                throw response.BadResponse(Messages.AcmeReasonNoCertificate, e);
            }
            if (certificates.Count == 0) throw response.BadResponse(Messages.AcmeReasonNoCertificate);
            return new AcmeCertificateChain(certificates[0], certificates.Skip(1).ToList(), response.Body) { Alternates = response.Alternates };
        }

        /// <summary>
        /// Revokes a certificate at the server (RFC 8555 §7.6) with an RFC 5280 reason code. Signed as the account
        /// (<see cref="AccountUrl"/>), which must have ordered it or hold authorizations for all its names, or, with
        /// <paramref name="signWithKey"/>, with the certificate's own key, which this client was made with (the key
        /// itself goes in the request, as for a new account).
        /// </summary>
        public async Task RevokeCertificateAsync(byte[] certificateDer, int reason, bool signWithKey, CancellationToken cancellation = default)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            var url = directory.RevokeCert
                ?? throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, directory.Url,
                    Messages.AcmeBadResponse.Format(HttpMethod.Get, directory.Url, Messages.AcmeReasonField.Format("revokeCert")));
            var payload = new JObject { ["certificate"] = Base64Url.Encode(certificateDer), ["reason"] = reason };
            await PostAsync(url, payload.ToString(Formatting.None), signWithKey, null, cancellation).ConfigureAwait(false);
        }

        /// <summary>
        /// Rolls the account over to <paramref name="newKey"/> (RFC 8555 §7.3.5): the new key signs that it takes over the
        /// account from the old one, and the old key signs the request. Afterwards only the new key speaks for the account.
        /// </summary>
        public async Task ChangeKeyAsync(PrivateKey newKey, CancellationToken cancellation = default)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            var url = directory.KeyChange
                ?? throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, directory.Url,
                    Messages.AcmeBadResponse.Format(HttpMethod.Get, directory.Url, Messages.AcmeReasonField.Format("keyChange")));
            var account = AccountUrl ?? throw new InvalidOperationException("No ACME account: call CreateAccountAsync or FindAccountAsync, or set AccountUrl.");
            var inner = new Jws(newKey).KeyChange(url, account, _jws.Jwk);
            await PostAsync(url, inner, false, null, cancellation).ConfigureAwait(false);
        }

        public void Dispose() => _transport.Dispose();

        private async Task<AcmeAccount> AccountRequestAsync(AcmeDirectory directory, JObject payload, CancellationToken cancellation)
        {
            var response = await PostAsync(directory.NewAccount, payload.ToString(Formatting.None), true, null, cancellation).ConfigureAwait(false);
            var account = AcmeAccount.FromResponse(response);
            AccountUrl = account.Url;
            return account;
        }

        /// <summary>RFC 8555 §6.3: reads are POSTs with an empty payload, so that they are authenticated.</summary>
        private Task<AcmeResponse> PostAsGetAsync(Uri url, string? accept, CancellationToken cancellation) =>
            PostAsync(url, string.Empty, false, accept, cancellation);

        private async Task<AcmeResponse> PostAsync(Uri url, string payload, bool embedJwk, string? accept, CancellationToken cancellation)
        {
            for (var retry = 0; ; retry++)
            {
                var nonce = _transport.TakeNonce() ?? await NewNonceAsync(cancellation).ConfigureAwait(false);
                var body = embedJwk
                    ? _jws.SignWithJwk(url, nonce, payload)
                    : _jws.SignWithKid(AccountUrl ?? throw new InvalidOperationException("No ACME account: call CreateAccountAsync or FindAccountAsync, or set AccountUrl."), url, nonce, payload);
                var response = await _transport.SendAsync(HttpMethod.Post, url, body, accept, cancellation).ConfigureAwait(false);
                if (response.IsSuccess) return response;

                var problem = AcmeProblem.FromResponse(response);
                // RFC 8555 §6.5: badNonce may be retried; the error response carries the fresh nonce to use.
                if (problem?.Type == AcmeProblem.BadNonce && retry < MaxBadNonceRetries) continue;
                throw AcmeErrors.ForResponse(response, problem);
            }
        }

        private async Task<string> NewNonceAsync(CancellationToken cancellation)
        {
            var directory = await GetDirectoryAsync(cancellation).ConfigureAwait(false);
            var response = await _transport.SendAsync(HttpMethod.Head, directory.NewNonce, null, null, cancellation).ConfigureAwait(false);
            if (!response.IsSuccess) throw AcmeErrors.ForResponse(response, AcmeProblem.FromResponse(response));
            return _transport.TakeNonce() ?? throw response.BadResponse(Messages.AcmeReasonNoNonce);
        }

        /// <summary>
        /// Polls <paramref name="url"/> while its status is one to wait on, pausing as Retry-After says (else
        /// <see cref="AcmeClientOptions.PollInterval"/>), until <see cref="AcmeClientOptions.PollTimeout"/>.
        /// </summary>
        private async Task<T> PollAsync<T>(Uri url, Func<AcmeResponse, T> read, Func<T, string> status, Func<string, bool> waitOn,
            Action<AcmePollProgress>? progress, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            for (var attempt = 1; ; attempt++)
            {
                var response = await PostAsGetAsync(url, null, cancellation).ConfigureAwait(false);
                var resource = read(response);
                var current = status(resource);
                if (!waitOn(current)) return resource;

                var remaining = _options.PollTimeout - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new PkiException(ErrorIds.AcmeTimeout, PkiErrorKind.OperationTimeout, url,
                        Messages.AcmeTimeout.Format(url, current, (int)Math.Round(clock.Elapsed.TotalSeconds)));
                }
                var delay = response.RetryAfterDelay ?? _options.PollInterval;
                if (delay > remaining) delay = remaining;
                progress?.Invoke(new AcmePollProgress(url, current, attempt, clock.Elapsed, delay));
                await AcmeTransport.DelayAsync(delay, url, cancellation).ConfigureAwait(false);
            }
        }

        private static PkiException AuthorizationFailed(AcmeAuthorization authorization)
        {
            var reasons = authorization.Challenges
                .Where(c => c.Error != null)
                .Select(c => Messages.AcmeChallengeFailed.Format(c.Type, Redacted(c.Error!.ToString(), c)))
                .ToList();
            return new PkiException(ErrorIds.AcmeAuthorizationInvalid, PkiErrorKind.InvalidOperation, authorization,
                Messages.AcmeAuthorizationInvalid.Format(authorization.Identifier.Type, authorization.Identifier.Value, authorization.Status,
                    reasons.Count > 0 ? string.Join(" ", reasons) : Messages.AcmeProblemWithoutDetail));
        }

        /// <summary>Servers quote the expected key authorization in http-01 failures; the token stays out of our messages.</summary>
        private static string Redacted(string text, AcmeChallenge challenge) =>
            challenge.Token.Length == 0 ? text : text.Replace(challenge.Token, Messages.AcmeRedactedToken);
    }
}
