using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using B64 = System.Buffers.Text.Base64Url;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>
/// What the client adds for renewal, revocation and key rollover, against <see cref="FakeAcmeServer"/>: renewal
/// information and "replaces", alternate chains, revokeCert signed by the account or by the certificate's key, and
/// keyChange's inner JWS.
/// </summary>
public sealed class AcmeRenewalClientTests
{
    private static readonly string Directory = $$"""
        {"newNonce":"{{FakeAcmeServer.NonceUrl}}","newAccount":"{{FakeAcmeServer.NewAccountUrl}}","newOrder":"{{FakeAcmeServer.NewOrderUrl}}",
         "revokeCert":"https://acme.test/revoke","keyChange":"https://acme.test/key-change","renewalInfo":"https://acme.test/renewal-info"}
        """;

    private static FakeAcmeServer Server() => new() { DirectoryJson = Directory };

    [Fact]
    public async Task Renewal_information_is_read_with_a_get_of_the_certificate_id_and_its_window_and_retry_after()
    {
        var server = Server();
        server.Get("https://acme.test/renewal-info/abc.def", () => FakeAcmeServer.Response(200,
            """{"suggestedWindow":{"start":"2026-12-01T00:00:00Z","end":"2026-12-03T00:00:00Z"},"explanationURL":"https://acme.test/why"}""",
            "application/json", retryAfter: "21600"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var info = await client.GetRenewalInfoAsync("abc.def");

        Assert.NotNull(info);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), info!.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), info.WindowEnd);
        Assert.Equal("https://acme.test/why", info.ExplanationUrl);
        Assert.Equal(TimeSpan.FromHours(6), info.RetryAfter);
        Assert.Equal(HttpMethod.Get, server.Requests.Last().Method);
    }

    [Theory]
    [InlineData("""{"suggestedWindow":{"start":"2026-12-03T00:00:00Z","end":"2026-12-01T00:00:00Z"}}""")]
    [InlineData("""{"suggestedWindow":{"start":"2026-12-01T00:00:00Z"}}""")]
    [InlineData("""{"explanationURL":"https://acme.test/why"}""")]
    public async Task A_window_that_is_missing_or_ends_before_it_starts_is_a_bad_response(string body)
    {
        var server = Server();
        server.Get("https://acme.test/renewal-info/abc.def", () => FakeAcmeServer.Response(200, body, "application/json"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetRenewalInfoAsync("abc.def"));

        Assert.Equal(ErrorIds.AcmeBadResponse, e.ErrorId);
    }

    [Fact]
    public async Task A_server_without_renewal_information_is_not_asked()
    {
        var server = new FakeAcmeServer();
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        Assert.Null(await client.GetRenewalInfoAsync("abc.def"));
        Assert.Single(server.Requests); // the directory
    }

    [Fact]
    public async Task A_new_order_says_what_it_replaces()
    {
        var server = Server().ThenJson(201, """
            {"status":"pending","identifiers":[{"type":"dns","value":"a.example.com"}],"authorizations":[],"finalize":"https://acme.test/finalize/1"}
            """, "https://acme.test/order/1");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        await client.NewOrderAsync(new[] { AcmeIdentifier.Dns("a.example.com") }, null, default, "abc.def");

        Assert.Equal("abc.def", (string?)JsonNode.Parse(server.Posts.Single().Payload)!["replaces"]);
    }

    [Fact]
    public async Task A_preferred_chain_is_taken_from_the_alternates_the_server_links()
    {
        var (defaultChain, defaultRoot) = Chain("Default Root");
        var (otherChain, otherRoot) = Chain("Other Root");
        var server = new FakeAcmeServer()
            .Then(() => Linked(defaultChain, "<https://acme.test/cert/1/1>;rel=\"alternate\", <https://acme.test/dir>;rel=\"index\""))
            .Then(() => FakeAcmeServer.Response(200, otherChain, "application/pem-certificate-chain"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var chain = await client.DownloadCertificateAsync(new Uri("https://acme.test/cert/1"), default, "other root");

        Assert.Equal(otherChain, chain.Pem);
        Assert.Equal("Other Root", chain.Names[0]);
        Assert.Equal(new Uri("https://acme.test/cert/1/1"), server.Posts.Last().Url);
        Assert.NotEqual(defaultRoot, otherRoot);
    }

    [Fact]
    public async Task Without_a_matching_alternate_the_default_chain_is_kept_and_logged()
    {
        var (defaultChain, _) = Chain("Default Root");
        var (otherChain, _) = Chain("Other Root");
        var log = new List<string>();
        var server = new FakeAcmeServer()
            .Then(() => Linked(defaultChain, "<https://acme.test/cert/1/1>; rel=alternate"))
            .Then(() => FakeAcmeServer.Response(200, otherChain, "application/pem-certificate-chain"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key, log.Add);

        var chain = await client.DownloadCertificateAsync(new Uri("https://acme.test/cert/1"), default, "Third Root");

        Assert.Equal(defaultChain, chain.Pem);
        Assert.Contains(log, l => l.Contains("'Third Root'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_chain_is_kept_without_asking_for_alternates_when_it_is_the_preferred_one()
    {
        var (defaultChain, _) = Chain("Default Root");
        var server = new FakeAcmeServer().Then(() => Linked(defaultChain, "<https://acme.test/cert/1/1>;rel=\"alternate\""));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var chain = await client.DownloadCertificateAsync(new Uri("https://acme.test/cert/1"), default, "Default Root");

        Assert.Equal(defaultChain, chain.Pem);
        Assert.Single(server.Posts);
    }

    [Fact]
    public async Task Revocation_by_the_account_is_signed_with_its_kid()
    {
        var server = Server().Then(() => FakeAcmeServer.Response(200, string.Empty, "application/json"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 };

        await client.RevokeCertificateAsync(der, 1, false);

        var post = server.Posts.Single();
        Assert.Equal("https://acme.test/revoke", post.Url.AbsoluteUri);
        Assert.Equal(FakeAcmeServer.AccountUrl.AbsoluteUri, (string?)post.Protected["kid"]);
        Assert.Null(post.Protected["jwk"]);
        var payload = JsonNode.Parse(post.Payload)!;
        Assert.Equal(B64.EncodeToString(der), (string?)payload["certificate"]);
        Assert.Equal(1, (int)payload["reason"]!);
    }

    [Fact]
    public async Task Revocation_by_the_certificate_key_carries_the_key_itself()
    {
        var server = Server().Then(() => FakeAcmeServer.Response(200, string.Empty, "application/json"));
        using var certificateKey = TestKeys.For(KeySpec.Rsa(2048));
        using var client = new AcmeClient(FakeAcmeServer.DirectoryUrl, certificateKey, new AcmeClientOptions(), server);

        await client.RevokeCertificateAsync(new byte[] { 0x30, 0x00 }, 4, true);

        var post = server.Posts.Single();
        Assert.Null(post.Protected["kid"]);
        Assert.Equal("RSA", (string?)post.Protected["jwk"]!["kty"]);
        Assert.Equal("RS256", (string?)post.Protected["alg"]);
    }

    [Fact]
    public async Task A_key_change_posts_the_new_keys_signature_over_the_account_and_the_old_key()
    {
        var server = Server().Then(() => FakeAcmeServer.Response(200, "{}", "application/json"));
        using var oldKey = TestKeys.For(KeySpec.Ecc(256), "old");
        using var newKey = TestKeys.For(KeySpec.Ecc(256), "new");
        using var client = server.Client(oldKey);

        await client.ChangeKeyAsync(newKey);

        var post = server.Posts.Single();
        Assert.Equal("https://acme.test/key-change", post.Url.AbsoluteUri);
        Assert.Equal(FakeAcmeServer.AccountUrl.AbsoluteUri, (string?)post.Protected["kid"]);
        var inner = JsonNode.Parse(post.Payload)!.AsObject();
        var header = JsonNode.Parse(FakeAcmeServer.Base64UrlText((string)inner["protected"]!))!.AsObject();
        Assert.Equal("https://acme.test/key-change", (string?)header["url"]);
        Assert.Null(header["nonce"]);
        Assert.Null(header["kid"]);
        var body = JsonNode.Parse(FakeAcmeServer.Base64UrlText((string)inner["payload"]!))!;
        Assert.Equal(FakeAcmeServer.AccountUrl.AbsoluteUri, (string?)body["account"]);
        Assert.Equal(Coordinate(oldKey, "x"), (string?)body["oldKey"]!["x"]);
        // The inner JWS verifies with the new key, named in its own header.
        Assert.Equal(Coordinate(newKey, "x"), (string?)header["jwk"]!["x"]);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = B64.DecodeFromChars((string)header["jwk"]!["x"]!), Y = B64.DecodeFromChars((string)header["jwk"]!["y"]!) },
        });
        var signed = Encoding.ASCII.GetBytes((string)inner["protected"]! + "." + (string)inner["payload"]!);
        Assert.True(verifier.VerifyData(signed, B64.DecodeFromChars((string)inner["signature"]!), HashAlgorithmName.SHA256));
    }

    private static string Coordinate(PrivateKey key, string name) =>
        (string)JsonNode.Parse(Jwk.For(key).ToJson().ToString())![name]!;

    private static HttpResponseMessage Linked(string pem, string link)
    {
        var response = FakeAcmeServer.Response(200, pem, "application/pem-certificate-chain");
        response.Headers.TryAddWithoutValidation("Link", link);
        return response;
    }

    /// <summary>A leaf and an intermediate under a root named <paramref name="rootName"/>, as PEM (the root left out, as CAs send it), and the root's subject.</summary>
    private static (string Pem, string Root) Chain(string rootName)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=" + rootName, rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var intermediateRequest = new CertificateRequest("CN=Issuing under " + rootName, intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var intermediate = intermediateRequest.Create(root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6), new byte[] { 1, 2, 3 })
            .CopyWithPrivateKey(intermediateKey);
        using var leaf = new CertificateRequest("CN=www.example.com", leafKey, HashAlgorithmName.SHA256)
            .Create(intermediate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(6), new byte[] { 4, 5, 6 });
        return (leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n", root.Subject);
    }
}
