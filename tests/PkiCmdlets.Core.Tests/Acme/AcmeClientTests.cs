using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using B64 = System.Buffers.Text.Base64Url;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>The client's protocol behaviour against <see cref="FakeAcmeServer"/>.</summary>
public sealed class AcmeClientTests
{
    private const string PendingOrder = """
        {"status":"pending","identifiers":[{"type":"dns","value":"a.example.com"}],
         "authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/order/1/finalize"}
        """;

    private static readonly Uri OrderUrl = new("https://acme.test/order/1");
    private static readonly Uri AuthorizationUrl = new("https://acme.test/authz/1");

    [Fact]
    public async Task Directory_is_read_once_with_its_meta()
    {
        var server = new FakeAcmeServer();
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var directory = await client.GetDirectoryAsync();
        await client.GetDirectoryAsync();

        Assert.Single(server.Requests);
        Assert.Equal(FakeAcmeServer.NewOrderUrl, directory.NewOrder);
        Assert.Equal("https://acme.test/terms", directory.TermsOfService);
        Assert.True(directory.ExternalAccountRequired);
        Assert.Equal(new[] { "acme.test" }, directory.CaaIdentities);
        Assert.Equal("Six days", directory.Profiles["shortlived"]);
        Assert.Null(directory.KeyChange);
    }

    [Fact]
    public async Task Bad_nonce_is_retried_exactly_once_with_the_fresh_nonce_from_the_refusal()
    {
        var server = new FakeAcmeServer()
            .ThenProblem(400, AcmeProblem.BadNonce, "JWS has an invalid anti-replay nonce", nonce: "fresh-nonce")
            .ThenJson(201, PendingOrder, OrderUrl.AbsoluteUri);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns("a.example.com") });

        Assert.Equal(OrderUrl, order.Url);
        var posts = server.Posts.ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("nonce1", (string?)posts[0].Protected["nonce"]);
        Assert.Equal("fresh-nonce", (string?)posts[1].Protected["nonce"]);
        Assert.Equal(posts[0].Payload, posts[1].Payload);
        Assert.Single(server.Requests, r => r.Method == HttpMethod.Head);
    }

    [Fact]
    public async Task Bad_nonce_retries_are_bounded()
    {
        var server = new FakeAcmeServer();
        for (var i = 0; i <= AcmeClient.MaxBadNonceRetries; i++) server.ThenProblem(400, AcmeProblem.BadNonce, "still bad");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetOrderAsync(OrderUrl));

        Assert.Equal(ErrorIds.AcmeProblem, e.ErrorId);
        Assert.Contains(AcmeProblem.BadNonce, e.Message);
        Assert.Equal(AcmeClient.MaxBadNonceRetries + 1, server.Posts.Count());
    }

    [Fact]
    public async Task Nonce_of_each_response_is_used_for_the_next_request()
    {
        var server = new FakeAcmeServer()
            .ThenJson(200, PendingOrder, nonce: "from-first")
            .ThenJson(200, PendingOrder);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        await client.GetOrderAsync(OrderUrl);
        await client.GetOrderAsync(OrderUrl);

        Assert.Equal("from-first", (string?)server.Posts.Last().Protected["nonce"]);
        Assert.Single(server.Requests, r => r.Method == HttpMethod.Head);
    }

    [Fact]
    public async Task Post_as_get_has_an_empty_payload_and_the_jose_media_type()
    {
        var server = new FakeAcmeServer().ThenJson(200, PendingOrder);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        await client.GetOrderAsync(OrderUrl);

        var post = server.Posts.Single();
        Assert.Equal("", (string?)post.Jws["payload"]);
        Assert.Equal("application/jose+json", post.ContentType);
        Assert.Equal(FakeAcmeServer.AccountUrl.AbsoluteUri, (string?)post.Protected["kid"]);
        Assert.Equal(OrderUrl.AbsoluteUri, (string?)post.Protected["url"]);
    }

    [Fact]
    public async Task New_account_embeds_the_jwk_contacts_and_the_external_account_binding()
    {
        var server = new FakeAcmeServer().ThenJson(201, """{"status":"valid","contact":["mailto:admin@example.com"]}""", "/account/42");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key, new AcmeClientOptions(), server);
        var macKey = RandomNumberGenerator.GetBytes(32);

        var account = await client.CreateAccountAsync(new[] { "Admin@Example.com", "mailto:ops@example.com" }, true,
            new AcmeExternalAccountBinding("kid-9", B64.EncodeToString(macKey)));

        Assert.Equal(new Uri("https://acme.test/account/42"), account.Url);
        Assert.Equal(account.Url, client.AccountUrl);
        Assert.True(account.Created);
        var post = server.Posts.Single();
        Assert.NotNull(post.Protected["jwk"]);
        Assert.Null(post.Protected["kid"]);
        var payload = System.Text.Json.Nodes.JsonNode.Parse(post.Payload)!;
        Assert.True((bool)payload["termsOfServiceAgreed"]!);
        Assert.Equal(new[] { "mailto:Admin@example.com", "mailto:ops@example.com" }, payload["contact"]!.AsArray().Select(c => (string?)c));
        var eabHeader = System.Text.Json.Nodes.JsonNode.Parse(FakeAcmeServer.Base64UrlText((string)payload["externalAccountBinding"]!["protected"]!))!;
        Assert.Equal("kid-9", (string?)eabHeader["kid"]);
        Assert.Equal(FakeAcmeServer.NewAccountUrl.AbsoluteUri, (string?)eabHeader["url"]);
    }

    [Fact]
    public async Task Find_account_asks_only_for_an_existing_one()
    {
        var server = new FakeAcmeServer().ThenJson(200, """{"status":"valid"}""", "https://acme.test/account/5");
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key, new AcmeClientOptions(), server);

        var account = await client.FindAccountAsync();

        Assert.False(account.Created);
        Assert.Equal("""{"onlyReturnExisting":true}""", server.Posts.Single().Payload);
    }

    [Fact]
    public async Task Kid_requests_need_an_account()
    {
        var server = new FakeAcmeServer();
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key, new AcmeClientOptions(), server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetOrderAsync(OrderUrl));
    }

    [Fact]
    public async Task New_order_sends_dns_and_ip_identifiers_and_the_profile_only_when_given()
    {
        var server = new FakeAcmeServer()
            .ThenJson(201, PendingOrder, OrderUrl.AbsoluteUri)
            .ThenJson(201, PendingOrder, OrderUrl.AbsoluteUri);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        await client.NewOrderAsync(new[] { AcmeIdentifier.Dns("a.example.com"), AcmeIdentifier.Ip("192.0.2.7") }, "shortlived");
        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns("a.example.com") });

        var posts = server.Posts.ToList();
        Assert.Equal("""{"identifiers":[{"type":"dns","value":"a.example.com"},{"type":"ip","value":"192.0.2.7"}],"profile":"shortlived"}""", posts[0].Payload);
        Assert.Equal("""{"identifiers":[{"type":"dns","value":"a.example.com"}]}""", posts[1].Payload);
        Assert.Equal(AcmeStatus.Pending, order.Status);
        Assert.Equal(AuthorizationUrl, order.Authorizations.Single());
        Assert.Equal("a.example.com", order.Identifiers.Single().Value);
    }

    [Fact]
    public async Task Authorization_works_out_each_challenges_answer()
    {
        var server = new FakeAcmeServer().ThenJson(200, """
            {"status":"pending","identifier":{"type":"dns","value":"example.com"},"wildcard":true,"expires":"2030-01-02T03:04:05Z",
             "challenges":[{"type":"dns-01","url":"https://acme.test/chall/1","status":"pending","token":"tok-dns"},
                           {"type":"http-01","url":"https://acme.test/chall/2","status":"pending","token":"tok-http"}]}
            """);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);
        var thumbprint = Jwk.For(key).Thumbprint;

        var authorization = await client.GetAuthorizationAsync(AuthorizationUrl);

        Assert.True(authorization.Wildcard);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), authorization.Expires);
        Assert.Equal("_acme-challenge.example.com", authorization.DnsRecordName);
        var dns = authorization.Challenge(AcmeChallenge.Dns01)!;
        Assert.Equal("tok-dns." + thumbprint, dns.KeyAuthorization);
        Assert.Equal(B64.EncodeToString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("tok-dns." + thumbprint))), dns.DnsTxtValue);
        var http = authorization.Challenge(AcmeChallenge.Http01)!;
        Assert.Equal("tok-http." + thumbprint, http.KeyAuthorization);
        Assert.Null(http.DnsTxtValue);
        Assert.Null(authorization.Challenge(AcmeChallenge.TlsAlpn01));
    }

    [Fact]
    public async Task Responding_to_a_challenge_posts_an_empty_object()
    {
        var challenge = """{"type":"http-01","url":"https://acme.test/chall/2","status":"pending","token":"tok"}""";
        var server = new FakeAcmeServer()
            .ThenJson(200, $$"""{"status":"pending","identifier":{"type":"dns","value":"example.com"},"challenges":[{{challenge}}]}""")
            .ThenJson(200, challenge.Replace("pending", "processing"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);
        var authorization = await client.GetAuthorizationAsync(AuthorizationUrl);

        var answered = await client.RespondToChallengeAsync(authorization.Challenges.Single());

        Assert.Equal(AcmeStatus.Processing, answered.Status);
        Assert.Equal("{}", server.Posts.Last().Payload);
        Assert.Equal("https://acme.test/chall/2", server.Posts.Last().Url.AbsoluteUri);
    }

    [Fact]
    public async Task Polling_honours_retry_after_in_seconds_and_as_a_date()
    {
        var authorization = """{"status":"STATUS","identifier":{"type":"dns","value":"example.com"},"challenges":[]}""";
        var server = new FakeAcmeServer()
            .ThenJson(200, authorization.Replace("STATUS", "pending"), retryAfter: "1")
            .ThenJson(200, authorization.Replace("STATUS", "pending"), retryAfter: DateTimeOffset.UtcNow.AddMinutes(-1).ToString("r"))
            .ThenJson(200, authorization.Replace("STATUS", "valid"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key,
            new AcmeClientOptions { PollInterval = TimeSpan.FromMinutes(10) }, server) { AccountUrl = FakeAcmeServer.AccountUrl };
        var progress = new List<AcmePollProgress>();

        var valid = await client.WaitForAuthorizationAsync(AuthorizationUrl, progress.Add);

        Assert.Equal(AcmeStatus.Valid, valid.Status);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.Zero }, progress.Select(p => p.NextPollIn));
        Assert.Equal(new[] { 1, 2 }, progress.Select(p => p.Attempt));
        Assert.All(progress, p => Assert.Equal(AcmeStatus.Pending, p.Status));
        // Task.Delay counts whole milliseconds of a tick counter, so one second may measure a little less.
        Assert.True(progress[1].Elapsed >= TimeSpan.FromSeconds(0.9), progress[1].Elapsed.ToString());
    }

    [Fact]
    public async Task Polling_stops_at_the_timeout()
    {
        var server = new FakeAcmeServer();
        for (var i = 0; i < 200; i++) server.ThenJson(200, PendingOrder.Replace("pending", "processing"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key, pollTimeout: TimeSpan.FromMilliseconds(200));

        var e = await Assert.ThrowsAsync<PkiException>(() => client.WaitForOrderAsync(OrderUrl));

        Assert.Equal(ErrorIds.AcmeTimeout, e.ErrorId);
        Assert.Equal(PkiErrorKind.OperationTimeout, e.Kind);
        Assert.Contains("'processing'", e.Message);
    }

    [Fact]
    public async Task Cancelling_a_poll_is_the_products_cancellation()
    {
        var server = new FakeAcmeServer().ThenJson(200, PendingOrder);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key,
            new AcmeClientOptions { PollInterval = TimeSpan.FromMinutes(10) }, server) { AccountUrl = FakeAcmeServer.AccountUrl };
        using var cancel = new CancellationTokenSource();

        var wait = client.WaitForOrderAsync(OrderUrl, _ => cancel.Cancel(), cancel.Token);
        var e = await Assert.ThrowsAsync<PkiException>(() => wait);

        Assert.Equal(ErrorIds.OperationCancelled, e.ErrorId);
        Assert.Equal(PkiErrorKind.OperationStopped, e.Kind);
    }

    [Fact]
    public async Task Invalid_order_reports_its_error()
    {
        var server = new FakeAcmeServer().ThenJson(200, PendingOrder.Replace("\"pending\"", "\"invalid\"").Replace("}", """
            ,"error":{"type":"urn:ietf:params:acme:error:badCSR","detail":"CSR names differ"}}
            """.Trim()));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.WaitForOrderAsync(OrderUrl));

        Assert.Equal(ErrorIds.AcmeOrderInvalid, e.ErrorId);
        Assert.Equal("urn:ietf:params:acme:error:badCSR", Assert.IsType<AcmeOrder>(e.Target).Error!.Type);
        Assert.Contains("CSR names differ (urn:ietf:params:acme:error:badCSR)", e.Message);
    }

    [Fact]
    public async Task Failed_validation_keeps_the_token_out_of_the_message()
    {
        var server = new FakeAcmeServer().ThenJson(200, """
            {"status":"invalid","identifier":{"type":"dns","value":"example.com"},
             "challenges":[{"type":"http-01","url":"https://acme.test/chall/2","status":"invalid","token":"secret-token",
               "error":{"type":"urn:ietf:params:acme:error:incorrectResponse","detail":"Expected \"secret-token.abc\", got \"nothing\""}}]}
            """);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.WaitForAuthorizationAsync(AuthorizationUrl));

        Assert.Equal(ErrorIds.AcmeAuthorizationInvalid, e.ErrorId);
        Assert.DoesNotContain("secret-token", e.Message);
        Assert.Contains("Expected \"<token>.abc\", got \"nothing\" (urn:ietf:params:acme:error:incorrectResponse)", e.Message);
        Assert.Contains("dns 'example.com'", e.Message);
    }

    [Fact]
    public async Task Finalize_sends_the_csr_as_base64url_der()
    {
        var csr = RandomNumberGenerator.GetBytes(300);
        var server = new FakeAcmeServer()
            .ThenJson(200, PendingOrder.Replace("pending", "ready"))
            .ThenJson(200, PendingOrder.Replace("pending", "processing"), retryAfter: "2");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);
        var order = await client.GetOrderAsync(OrderUrl);

        var processing = await client.FinalizeAsync(order, csr);

        Assert.Equal(AcmeStatus.Processing, processing.Status);
        Assert.Equal(OrderUrl, processing.Url);
        var post = server.Posts.Last();
        Assert.Equal("https://acme.test/order/1/finalize", post.Url.AbsoluteUri);
        Assert.Equal($$"""{"csr":"{{B64.EncodeToString(csr)}}"}""", post.Payload);
    }

    [Fact]
    public async Task Certificate_download_splits_the_pem_chain()
    {
        var certificates = Enumerable.Range(1, 3).Select(i => SelfSigned("CN=c" + i)).ToList();
        var pem = string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
        var server = new FakeAcmeServer().Then(() => FakeAcmeServer.Response(200, pem, "application/pem-certificate-chain"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var chain = await client.DownloadCertificateAsync(new Uri("https://acme.test/cert/1"));

        Assert.Equal(certificates[0].RawData, chain.Leaf);
        Assert.Equal(certificates.Skip(1).Select(c => c.RawData), chain.Chain);
        Assert.Equal(pem, chain.Pem);
        Assert.Equal("application/pem-certificate-chain", server.Posts.Single().Accept);
        Assert.Equal("", server.Posts.Single().Payload);
    }

    [Theory]
    [InlineData("no certificate here")]
    [InlineData("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")]
    public async Task Certificate_download_without_a_certificate_is_a_bad_response(string body)
    {
        var server = new FakeAcmeServer().Then(() => FakeAcmeServer.Response(200, body, "application/pem-certificate-chain"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.DownloadCertificateAsync(new Uri("https://acme.test/cert/1")));

        Assert.Equal(ErrorIds.AcmeBadResponse, e.ErrorId);
    }

    [Fact]
    public async Task Log_gets_method_url_and_status_only()
    {
        var log = new List<string>();
        var server = new FakeAcmeServer()
            .ThenProblem(400, AcmeProblem.BadNonce, "bad")
            .ThenJson(201, PendingOrder, OrderUrl.AbsoluteUri);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key, log.Add);

        await client.NewOrderAsync(new[] { AcmeIdentifier.Dns("a.example.com") });

        Assert.Equal(new[]
        {
            "GET https://acme.test/dir 200",
            "HEAD https://acme.test/nonce 200",
            "POST https://acme.test/new-order 400",
            "POST https://acme.test/new-order 201",
        }, log);
    }

    [Fact]
    public async Task Closed_port_is_unreachable_after_the_bounded_attempts()
    {
        var log = new List<string>();
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}/dir");
        using var client = new AcmeClient(url, key, new AcmeClientOptions
        {
            Log = log.Add,
            NetworkAttempts = 3,
            NetworkRetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetDirectoryAsync());

        Assert.Equal(ErrorIds.AcmeServerUnreachable, e.ErrorId);
        Assert.Equal(PkiErrorKind.ConnectionError, e.Kind);
        Assert.Contains($"after 3 attempt(s) (Connection refused ({url.Authority}))", e.Message);
        Assert.Equal(Enumerable.Repeat($"GET {url.AbsoluteUri} no response", 3), log);
    }

    [Fact]
    public async Task Request_time_out_counts_as_unreachable()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, key, new AcmeClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(100),
            NetworkAttempts = 2,
            NetworkRetryDelay = TimeSpan.FromMilliseconds(10),
        }, new SilentServer());

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetDirectoryAsync());

        Assert.Equal(ErrorIds.AcmeServerUnreachable, e.ErrorId);
        Assert.Contains("(no answer within 0.1 seconds)", e.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, certificateKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Never answers.</summary>
    private sealed class SilentServer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("not reached");
        }
    }
}
