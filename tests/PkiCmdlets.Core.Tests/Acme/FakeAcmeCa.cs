using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>
/// A small ACME certificate authority on http://127.0.0.1 (plain http is accepted for loopback) for what Pebble 2.4
/// lacks: renewal information (RFC 9773). Every authorization is valid from the start, so orders go straight to ready;
/// finalize issues a certificate for the CSR's key, signed by its own CA with an authority key identifier, of the
/// lifetime the test sets. Its renewalInfo answers with the window, explanation and Retry-After the test sets; newOrder
/// can refuse a "replaces" once with 409 alreadyReplaced. JWS signatures are not checked: the client's are
/// tested against Pebble. Every request is recorded.
/// </summary>
public sealed class FakeAcmeCa : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly ConcurrentDictionary<int, JsonObject> _orders = new();
    private readonly ConcurrentDictionary<int, string> _certificates = new();
    private int _orderCount;
    private int _nonce;

    public FakeAcmeCa()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        var request = new CertificateRequest("CN=Fake ARI CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        _ = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public string DirectoryUrl => BaseUrl + "dir";

    /// <summary>Whether the directory offers renewalInfo.</summary>
    public bool OffersRenewalInfo { get; set; } = true;

    /// <summary>What renewalInfo answers: the window (null: 404), its explanation page, and Retry-After in seconds.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? Window { get; set; }

    public string? ExplanationUrl { get; set; }

    public int? RetryAfterSeconds { get; set; }

    /// <summary>renewalInfo answers 500 (a server in trouble).</summary>
    public bool RenewalInfoFails { get; set; }

    /// <summary>The next newOrder that says what it replaces is refused with 409 alreadyReplaced.</summary>
    public bool RefuseReplacesOnce { get; set; }

    /// <summary>How long issued certificates live, from an hour ago.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(6);

    public X509Certificate2 Root => _ca;

    /// <summary>Every request: method, path, and the decoded JWS payload of a POST.</summary>
    public ConcurrentQueue<(string Method, string Path, JsonNode? Payload)> Requests { get; } = new();

    public IEnumerable<JsonNode?> NewOrders => Requests.Where(r => r.Path == "/new-order").Select(r => r.Payload);

    public int RenewalInfoRequests => Requests.Count(r => r.Path.StartsWith("/renewal-info/", StringComparison.Ordinal));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _caKey.Dispose();
        _ca.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                return;
            }
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is IOException)
            {
                // The client went away.
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        JsonNode? payload = null;
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var jws = JsonNode.Parse(reader.ReadToEnd())!;
            var encoded = (string)jws["payload"]!;
            payload = encoded.Length == 0 ? null : JsonNode.Parse(FakeAcmeServer.Base64UrlText(encoded));
        }
        Requests.Enqueue((request.HttpMethod, path, payload));
        var response = context.Response;
        response.Headers["Replay-Nonce"] = "nonce" + Interlocked.Increment(ref _nonce);

        if (path == "/dir")
        {
            var directory = new JsonObject
            {
                ["newNonce"] = BaseUrl + "nonce",
                ["newAccount"] = BaseUrl + "new-account",
                ["newOrder"] = BaseUrl + "new-order",
                ["meta"] = new JsonObject
                {
                    ["termsOfService"] = BaseUrl + "terms",
                    ["profiles"] = new JsonObject { ["classic"] = "90 days", ["shortlived"] = "6 days" },
                },
            };
            if (OffersRenewalInfo) directory["renewalInfo"] = BaseUrl + "renewal-info/";
            Json(response, 200, directory);
        }
        else if (path == "/nonce")
        {
            response.StatusCode = 200;
            response.Close();
        }
        else if (path == "/new-account")
        {
            response.Headers["Location"] = BaseUrl + "account/1";
            Json(response, 201, new JsonObject { ["status"] = "valid", ["contact"] = payload?["contact"]?.DeepClone() });
        }
        else if (path == "/new-order")
        {
            if (payload?["replaces"] != null && RefuseReplacesOnce)
            {
                RefuseReplacesOnce = false;
                Problem(response, 409, "urn:ietf:params:acme:error:alreadyReplaced", "the certificate was replaced already");
                return;
            }
            var id = Interlocked.Increment(ref _orderCount);
            var order = new JsonObject
            {
                ["status"] = "ready",
                ["identifiers"] = payload!["identifiers"]!.DeepClone(),
                ["authorizations"] = new JsonArray(BaseUrl + "authz/" + id),
                ["finalize"] = BaseUrl + "finalize/" + id,
                ["expires"] = DateTimeOffset.UtcNow.AddDays(7).ToString("o"),
            };
            _orders[id] = order;
            response.Headers["Location"] = BaseUrl + "order/" + id;
            Json(response, 201, order);
        }
        else if (path.StartsWith("/authz/", StringComparison.Ordinal))
        {
            var order = _orders[Id(path)];
            Json(response, 200, new JsonObject
            {
                ["status"] = "valid",
                ["identifier"] = order["identifiers"]![0]!.DeepClone(),
                ["challenges"] = new JsonArray(new JsonObject
                {
                    ["type"] = "dns-01", ["url"] = BaseUrl + "challenge/" + Id(path), ["status"] = "valid", ["token"] = "token" + Id(path),
                }),
            });
        }
        else if (path.StartsWith("/order/", StringComparison.Ordinal))
        {
            Json(response, 200, _orders[Id(path)]);
        }
        else if (path.StartsWith("/finalize/", StringComparison.Ordinal))
        {
            var id = Id(path);
            _certificates[id] = Issue(Base64UrlBytes((string)payload!["csr"]!));
            var order = _orders[id];
            order["status"] = "valid";
            order["certificate"] = BaseUrl + "certificate/" + id;
            Json(response, 200, order);
        }
        else if (path.StartsWith("/certificate/", StringComparison.Ordinal))
        {
            var body = Encoding.ASCII.GetBytes(_certificates[Id(path)] + _ca.ExportCertificatePem() + "\n");
            response.StatusCode = 200;
            response.ContentType = "application/pem-certificate-chain";
            response.OutputStream.Write(body);
            response.Close();
        }
        else if (path.StartsWith("/renewal-info/", StringComparison.Ordinal))
        {
            if (RetryAfterSeconds.HasValue) response.Headers["Retry-After"] = RetryAfterSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (RenewalInfoFails)
            {
                Problem(response, 500, "urn:ietf:params:acme:error:serverInternal", "renewal information is down");
                return;
            }
            if (Window is not { } window)
            {
                Problem(response, 404, "urn:ietf:params:acme:error:malformed", "no such certificate");
                return;
            }
            var info = new JsonObject { ["suggestedWindow"] = new JsonObject { ["start"] = window.Start.ToString("o"), ["end"] = window.End.ToString("o") } };
            if (ExplanationUrl != null) info["explanationURL"] = ExplanationUrl;
            Json(response, 200, info);
        }
        else
        {
            Problem(response, 404, "urn:ietf:params:acme:error:malformed", "no such resource " + path);
        }
    }

    private string Issue(byte[] csrDer)
    {
        var request = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        using var certificate = request.Create(_ca, notBefore, notBefore + CertificateLifetime, serial);
        return certificate.ExportCertificatePem() + "\n";
    }

    private static int Id(string path) => int.Parse(path[(path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static void Json(HttpListenerResponse response, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.OutputStream.Write(bytes);
        response.Close();
    }

    private static void Problem(HttpListenerResponse response, int status, string type, string detail)
    {
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["detail"] = detail, ["status"] = status }.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        response.OutputStream.Write(bytes);
        response.Close();
    }

    private static byte[] Base64UrlBytes(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
