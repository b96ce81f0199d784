using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Keys;
using B64 = System.Buffers.Text.Base64Url;

namespace PkiCmdlets.Core.Tests.Acme;

[CollectionDefinition(Name)]
public sealed class PebbleCollection : ICollectionFixture<PebbleFixture>
{
    public const string Name = "Pebble";
}

/// <summary>
/// Pebble (Debian's pebble package) on 127.0.0.1 for one test collection: pebble-challtestsrv answers
/// DNS (and so dns-01) and http-01 for every name; one Pebble takes accounts freely and a second one
/// requires external account binding. A third one validates http-01 against <see cref="WebRoot"/>, a folder
/// served by <see cref="WebRootServer"/> as a web server serves its document root. Both run with PEBBLE_VA_NOSLEEP=1 and Pebble's default 5% of
/// good nonces rejected as bad, so every test also exercises the badNonce retry.
/// </summary>
public sealed class PebbleFixture : IDisposable
{
    public const string EabKeyId = "kid-pkicmdlets";
    public const string BlockedDomain = "blocked.example.org";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly List<(string Name, Process Process, StringBuilder Output)> _processes = new();
    private readonly HttpClient _http;
    private readonly Uri _challengeServer;
    private readonly Uri _management;
    private readonly WebRootServer? _webRootServer;
    private readonly Uri _webRootManagement;

    public PebbleFixture()
    {
        var pebble = FindExecutable("pebble");
        var challtestsrv = FindExecutable("pebble-challtestsrv");
        if (pebble is null || challtestsrv is null)
        {
            throw new InvalidOperationException(
                "The ACME integration tests need Pebble: install it with 'apt-get install -y pebble' (Debian's package gives /usr/bin/pebble and /usr/bin/pebble-challtestsrv).");
        }

        _folder = Directory.CreateTempSubdirectory("pki-pebble-").FullName;
        _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        try
        {
            WriteTlsCertificate();
            EabMacKey = B64.EncodeToString(RandomNumberGenerator.GetBytes(32));

            int dnsPort = FreePort(), httpPort = FreePort(), tlsPort = FreePort(), managementPort = FreePort();
            // Only DNS (for dns-01 and for the A records http-01 follows) and http-01; no AAAA answers, so the
            // validation authority never tries ::1.
            Start("pebble-challtestsrv", challtestsrv,
                $"-dns01 127.0.0.1:{dnsPort} -http01 127.0.0.1:{httpPort} -https01 \"\" -tlsalpn01 \"\" " +
                $"-management 127.0.0.1:{managementPort} -defaultIPv4 127.0.0.1 -defaultIPv6 \"\"", pebbleEnvironment: false);
            _challengeServer = new Uri($"http://127.0.0.1:{managementPort}/");

            int listenPort = FreePort(), pebbleManagementPort = FreePort();
            File.WriteAllText(Path.Combine(_folder, "pebble.json"), Config(listenPort, pebbleManagementPort, httpPort, tlsPort, eabRequired: false));
            Start("pebble", pebble, $"-config {Path.Combine(_folder, "pebble.json")} -dnsserver 127.0.0.1:{dnsPort}", pebbleEnvironment: true);
            DirectoryUrl = new Uri($"https://127.0.0.1:{listenPort}/dir");
            _management = new Uri($"https://127.0.0.1:{pebbleManagementPort}/");

            int eabListenPort = FreePort(), eabManagementPort = FreePort();
            File.WriteAllText(Path.Combine(_folder, "pebble-eab.json"), Config(eabListenPort, eabManagementPort, httpPort, tlsPort, eabRequired: true));
            Start("pebble (EAB)", pebble, $"-config {Path.Combine(_folder, "pebble-eab.json")} -dnsserver 127.0.0.1:{dnsPort}", pebbleEnvironment: true);
            EabDirectoryUrl = new Uri($"https://127.0.0.1:{eabListenPort}/dir");

            WebRoot = Directory.CreateDirectory(Path.Combine(_folder, "webroot")).FullName;
            _webRootServer = new WebRootServer(WebRoot);
            int webRootListenPort = FreePort(), webRootManagementPort = FreePort();
            File.WriteAllText(Path.Combine(_folder, "pebble-webroot.json"),
                Config(webRootListenPort, webRootManagementPort, _webRootServer.Port, tlsPort, eabRequired: false));
            Start("pebble (web root)", pebble, $"-config {Path.Combine(_folder, "pebble-webroot.json")} -dnsserver 127.0.0.1:{dnsPort}", pebbleEnvironment: true);
            WebRootDirectoryUrl = new Uri($"https://127.0.0.1:{webRootListenPort}/dir");
            _webRootManagement = new Uri($"https://127.0.0.1:{webRootManagementPort}/");

            WaitUntilAnswering(() => _http.GetAsync(DirectoryUrl));
            WaitUntilAnswering(() => _http.GetAsync(EabDirectoryUrl));
            WaitUntilAnswering(() => _http.GetAsync(WebRootDirectoryUrl));
            WaitUntilAnswering(() => _http.PostAsJsonAsync(new Uri(_challengeServer, "set-default-ipv4"), new { ip = "127.0.0.1" }));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Uri DirectoryUrl { get; }
    public Uri EabDirectoryUrl { get; }

    /// <summary>A Pebble whose http-01 validation fetches from <see cref="WebRoot"/> (through <see cref="WebRootServer"/>).</summary>
    public Uri WebRootDirectoryUrl { get; }

    /// <summary>The document root the web-root Pebble's validation authority reads challenge files from.</summary>
    public string WebRoot { get; } = string.Empty;

    /// <summary>The web server in front of <see cref="WebRoot"/>.</summary>
    public WebRootServer WebRootServer => _webRootServer!;

    /// <summary>The HMAC key the EAB Pebble accepts for <see cref="EabKeyId"/>, base64url.</summary>
    public string EabMacKey { get; }

    /// <summary>A client that trusts Pebble's self-made TLS certificate and polls quickly.</summary>
    public AcmeClient Client(PrivateKey accountKey, Action<string>? log = null, bool eab = false) =>
        new(eab ? EabDirectoryUrl : DirectoryUrl, accountKey, new AcmeClientOptions
        {
            SkipCertificateCheck = true,
            Log = log,
            PollInterval = TimeSpan.FromMilliseconds(50),
            PollTimeout = TimeSpan.FromSeconds(30),
        });

    /// <summary>A DNS name no other test uses, so that Pebble has no valid authorization to reuse for it.</summary>
    public static string UniqueDomain() => $"t{Guid.NewGuid():N}"[..13] + ".example.com";

    public Task SetTxtAsync(string domain, string value) =>
        ManageAsync("set-txt", new { host = "_acme-challenge." + domain + ".", value });

    public Task AddHttp01Async(string token, string content) =>
        ManageAsync("add-http01", new { token, content });

    /// <summary>Pebble's issuing chain, made fresh at each start: /roots/0 and /intermediates/0 of its management interface.</summary>
    public async Task<(X509Certificate2 Root, X509Certificate2 Intermediate)> IssuersAsync(bool webRoot = false)
    {
        var management = webRoot ? _webRootManagement : _management;
        var root = await _http.GetStringAsync(new Uri(management, "roots/0"));
        var intermediate = await _http.GetStringAsync(new Uri(management, "intermediates/0"));
        return (X509Certificate2.CreateFromPem(root), X509Certificate2.CreateFromPem(intermediate));
    }

    public void Dispose()
    {
        foreach (var (_, process, _) in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        _processes.Clear();
        _webRootServer?.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task ManageAsync(string command, object body)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_challengeServer, command), body);
        Assert.True(response.IsSuccessStatusCode, $"pebble-challtestsrv /{command} answered {(int)response.StatusCode}");
    }

    private string Config(int listenPort, int managementPort, int httpPort, int tlsPort, bool eabRequired)
    {
        var pebble = new Dictionary<string, object>
        {
            ["listenAddress"] = $"127.0.0.1:{listenPort}",
            ["managementListenAddress"] = $"127.0.0.1:{managementPort}",
            ["certificate"] = Path.Combine(_folder, "tls-cert.pem"),
            ["privateKey"] = Path.Combine(_folder, "tls-key.pem"),
            // The validation authority connects to these ports on the identifier's address (127.0.0.1 via challtestsrv's DNS).
            ["httpPort"] = httpPort,
            ["tlsPort"] = tlsPort,
            ["ocspResponderURL"] = "",
            ["externalAccountBindingRequired"] = eabRequired,
            ["domainBlocklist"] = new[] { BlockedDomain },
        };
        if (eabRequired)
        {
            pebble["externalAccountMACKeys"] = new Dictionary<string, string> { [EabKeyId] = EabMacKey };
        }
        return JsonSerializer.Serialize(new { pebble }, new JsonSerializerOptions { WriteIndented = true });
    }

    private void WriteTlsCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(Path.Combine(_folder, "tls-cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "tls-key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private void Start(string name, string executable, string arguments, bool pebbleEnvironment)
    {
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        if (pebbleEnvironment)
        {
            // No random 0-15 s sleeps before validation; nonce rejection stays at Pebble's default.
            start.Environment["PEBBLE_VA_NOSLEEP"] = "1";
            start.Environment.Remove("PEBBLE_WFE_NONCEREJECT");
        }
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        // Pebble logs every request: the pipes must be drained or it blocks.
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((name, process, output));
    }

    private void WaitUntilAnswering(Func<Task<HttpResponseMessage>> request)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var (name, process, output) in _processes)
            {
                if (process.HasExited)
                {
                    lock (output) throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{output}");
                }
            }
            try
            {
                using var response = request().GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"Pebble or pebble-challtestsrv did not answer within {StartTimeout.TotalSeconds} s.");
            }
            Thread.Sleep(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
