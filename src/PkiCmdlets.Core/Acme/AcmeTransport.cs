using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// HTTP for the ACME client: bounded retries on network failures and time-outs, the latest
    /// Replay-Nonce from any response, and one log line per request.
    /// </summary>
    internal sealed class AcmeTransport : IDisposable
    {
        private const string JoseMediaType = "application/jose+json";

        private readonly HttpClient _http;
        private readonly AcmeClientOptions _options;
        private string? _nonce;

        public AcmeTransport(HttpMessageHandler handler, AcmeClientOptions options)
        {
            _options = options;
            // Each request gets its own time-out below, so that a time-out is told apart from cancellation.
            _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            // RFC 8555 §6.1: clients must send a User-Agent.
            var version = typeof(AcmeTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
            _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PkiCmdlets", version.Split('+')[0]));
        }

        public static HttpMessageHandler CreateHandler(bool skipCertificateCheck)
        {
            var handler = new HttpClientHandler();
            if (skipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => true;
            }
            return handler;
        }

        /// <summary>The nonce from the latest response, if any; each nonce is handed out once.</summary>
        public string? TakeNonce() => Interlocked.Exchange(ref _nonce, null);

        /// <summary>Sends one request; <paramref name="joseBody"/> is the signed JWS of a POST, null for GET and HEAD.</summary>
        public async Task<AcmeResponse> SendAsync(HttpMethod method, Uri url, string? joseBody, string? accept, CancellationToken cancellation)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var request = new HttpRequestMessage(method, url);
                if (joseBody != null)
                {
                    // Exactly application/jose+json: Pebble, like RFC 8555 §6.2, refuses a charset parameter.
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(joseBody));
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(JoseMediaType);
                }
                if (accept != null) request.Headers.Accept.ParseAdd(accept);

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(_options.RequestTimeout);
                Exception failure;
                string reason;
                try
                {
                    using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    _options.Log?.Invoke(Messages.AcmeLogResponse.Format(method, url.AbsoluteUri, (int)response.StatusCode));
                    return Read(method, url, response, body);
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw AcmeErrors.Cancelled(url);
                }
                catch (OperationCanceledException e)
                {
                    failure = e;
                    reason = Messages.AcmeRequestTimedOut.Format(_options.RequestTimeout.TotalSeconds);
                }
                catch (HttpRequestException e)
                {
                    failure = e;
                    // "Connection refused (host:port)" wraps "Connection refused"; a TLS failure explains itself only inside.
                    var messages = Causes(e).Select(c => c.Message).Distinct().ToList();
                    reason = string.Join(" ", messages.Where(m => !messages.Any(other => other != m && other.Contains(m))));
                }

                _options.Log?.Invoke(Messages.AcmeLogNoResponse.Format(method, url.AbsoluteUri));
                // A TLS certificate the platform does not trust will not become trusted by asking again.
                var hopeless = Causes(failure).Any(c => c is AuthenticationException);
                if (hopeless || attempt >= _options.NetworkAttempts)
                {
                    throw AcmeErrors.Unreachable(method, url, attempt, reason, failure);
                }
                await DelayAsync(TimeSpan.FromTicks(_options.NetworkRetryDelay.Ticks * attempt), url, cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>Waits, turning cancellation into the product's own error.</summary>
        public static async Task DelayAsync(TimeSpan delay, Uri url, CancellationToken cancellation)
        {
            try
            {
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw AcmeErrors.Cancelled(url);
            }
        }

        public void Dispose() => _http.Dispose();

        private AcmeResponse Read(HttpMethod method, Uri url, HttpResponseMessage response, string body)
        {
            // RFC 8555 §6.5.1: a client must ignore a Replay-Nonce that is not base64url.
            if (response.Headers.TryGetValues("Replay-Nonce", out var nonces)
                && nonces.FirstOrDefault() is { Length: > 0 } nonce
                && Base64Url.TryDecode(nonce, out _))
            {
                _nonce = nonce;
            }
            var location = response.Headers.Location;
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            var alternates = response.Headers.TryGetValues("Link", out var links) ? Alternates(url, links) : null;
            return new AcmeResponse(method, url, (int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType,
                location is null ? null : new Uri(url, location), retryAfter, DateTimeOffset.UtcNow, alternates);
        }

        /// <summary>The targets of Link headers (RFC 8288) whose rel is "alternate", resolved against the request's URL.</summary>
        private static List<Uri> Alternates(Uri url, IEnumerable<string> links)
        {
            var alternates = new List<Uri>();
            foreach (var header in links)
            {
                foreach (Match link in LinkPattern.Matches(header))
                {
                    var relations = link.Groups["rel"].Value.Split(' ');
                    if (relations.Contains("alternate", StringComparer.OrdinalIgnoreCase) && Uri.TryCreate(url, link.Groups["target"].Value, out var target))
                    {
                        alternates.Add(target);
                    }
                }
            }
            return alternates;
        }

        private static readonly Regex LinkPattern = new Regex(@"<(?<target>[^>]*)>[^,<]*?;\s*rel\s*=\s*""?(?<rel>[^"";,]*)""?", RegexOptions.CultureInvariant);

        private static IEnumerable<Exception> Causes(Exception e)
        {
            for (Exception? c = e; c != null; c = c.InnerException) yield return c;
        }
    }
}
