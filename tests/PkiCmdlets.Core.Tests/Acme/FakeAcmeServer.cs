using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>
/// An in-memory ACME server for the client's unit tests: it serves a directory and nonces itself and
/// answers each POST with the next scripted response, recording every request.
/// </summary>
internal sealed class FakeAcmeServer : HttpMessageHandler
{
    public static readonly Uri DirectoryUrl = new("https://acme.test/dir");
    public static readonly Uri NonceUrl = new("https://acme.test/nonce");
    public static readonly Uri NewAccountUrl = new("https://acme.test/new-account");
    public static readonly Uri NewOrderUrl = new("https://acme.test/new-order");
    public static readonly Uri AccountUrl = new("https://acme.test/account/1");

    private readonly Queue<Func<HttpResponseMessage>> _posts = new();
    private int _nonces;

    public sealed record Request(HttpMethod Method, Uri Url, string? Body, string? ContentType, string? Accept)
    {
        public JsonObject Jws => JsonNode.Parse(Body!)!.AsObject();
        public JsonObject Protected => JsonNode.Parse(Base64UrlText((string)Jws["protected"]!))!.AsObject();
        public string Payload => Base64UrlText((string)Jws["payload"]!);
    }

    public List<Request> Requests { get; } = new();

    public IEnumerable<Request> Posts => Requests.Where(r => r.Method == HttpMethod.Post);

    public string DirectoryJson { get; set; } = $$"""
        {"newNonce":"{{NonceUrl}}","newAccount":"{{NewAccountUrl}}","newOrder":"{{NewOrderUrl}}",
         "meta":{"termsOfService":"https://acme.test/terms","externalAccountRequired":true,
                 "profiles":{"classic":"The usual","shortlived":"Six days"},"caaIdentities":["acme.test"]} }
        """;

    private readonly Dictionary<string, Func<HttpResponseMessage>> _gets = new();

    /// <summary>Every GET of <paramref name="url"/> gets this answer.</summary>
    public FakeAcmeServer Get(string url, Func<HttpResponseMessage> response)
    {
        _gets[url] = response;
        return this;
    }

    /// <summary>The next POST gets this answer.</summary>
    public FakeAcmeServer Then(Func<HttpResponseMessage> response)
    {
        _posts.Enqueue(response);
        return this;
    }

    public FakeAcmeServer ThenJson(int status, string json, string? location = null, string? retryAfter = null, string? nonce = null) =>
        Then(() => Response(status, json, "application/json", location, retryAfter, nonce));

    public FakeAcmeServer ThenProblem(int status, string type, string detail, string? retryAfter = null, string? nonce = null, string extra = "") =>
        Then(() => Response(status, $$"""{"type":"{{type}}","detail":"{{detail}}","status":{{status}}""" + extra + "}",
            "application/problem+json", null, retryAfter, nonce));

    /// <summary>A client on this server with tiny delays, signing with <paramref name="key"/>, its account already known.</summary>
    public AcmeClient Client(PrivateKey key, Action<string>? log = null, TimeSpan? pollTimeout = null) =>
        new(DirectoryUrl, key, new AcmeClientOptions
        {
            Log = log,
            PollInterval = TimeSpan.FromMilliseconds(10),
            PollTimeout = pollTimeout ?? TimeSpan.FromSeconds(5),
            NetworkRetryDelay = TimeSpan.FromMilliseconds(10),
        }, this)
        {
            AccountUrl = AccountUrl,
        };

    public static HttpResponseMessage Response(int status, string body, string mediaType, string? location = null, string? retryAfter = null, string? nonce = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        if (location != null) response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        if (retryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        if (nonce != null) response.Headers.Add("Replay-Nonce", nonce);
        return response;
    }

    public static string Base64UrlText(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new Request(request.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.ToString(),
            request.Headers.Accept.ToString()));

        HttpResponseMessage response;
        if (request.RequestUri == DirectoryUrl)
        {
            response = Response(200, DirectoryJson, "application/json");
        }
        else if (request.RequestUri == NonceUrl)
        {
            response = new HttpResponseMessage(HttpStatusCode.OK);
        }
        else if (request.Method == HttpMethod.Get && _gets.TryGetValue(request.RequestUri!.AbsoluteUri, out var get))
        {
            response = get();
        }
        else if (request.Method == HttpMethod.Post && _posts.Count > 0)
        {
            response = _posts.Dequeue()();
        }
        else
        {
            throw new InvalidOperationException($"The fake server has no answer for {request.Method} {request.RequestUri}.");
        }
        // Like Pebble, answers to POSTs and to newNonce carry a fresh nonce (unless the script gave one).
        if ((request.Method == HttpMethod.Post || request.RequestUri == NonceUrl) && !response.Headers.Contains("Replay-Nonce"))
        {
            response.Headers.Add("Replay-Nonce", $"nonce{++_nonces}");
        }
        return response;
    }
}
