using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;
using Xunit.Abstractions;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>The ACME client against a real Pebble: whole orders, failures as Pebble reports them, accounts.</summary>
[Collection(PebbleCollection.Name)]
public sealed class PebbleTests
{
    private readonly PebbleFixture _pebble;
    private readonly ITestOutputHelper _output;

    public PebbleTests(PebbleFixture pebble, ITestOutputHelper output)
    {
        _pebble = pebble;
        _output = output;
    }

    [Fact]
    public async Task Dns01_order_ends_valid_with_a_chain_to_pebbles_root()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey);
        await client.CreateAccountAsync(new[] { "admin@example.com" }, termsOfServiceAgreed: true);
        var domain = PebbleFixture.UniqueDomain();
        var names = new[] { domain, "www." + domain };

        var clock = Stopwatch.StartNew();
        var order = await client.NewOrderAsync(names.Select(AcmeIdentifier.Dns));
        foreach (var url in order.Authorizations)
        {
            var authorization = await client.GetAuthorizationAsync(url);
            var challenge = authorization.Challenge(AcmeChallenge.Dns01)!;
            await _pebble.SetTxtAsync(authorization.Identifier.Value, challenge.DnsTxtValue!);
            await client.RespondToChallengeAsync(challenge);
            await client.WaitForAuthorizationAsync(url);
        }
        var chain = await FinishAsync(client, order, names);
        clock.Stop();
        _output.WriteLine($"dns-01 order for {names.Length} names (order, challenges, valid, certificate downloaded): {clock.ElapsedMilliseconds} ms");

        using var leaf = X509CertificateLoader.LoadCertificate(chain.Leaf);
        Assert.Equal(names.OrderBy(n => n), DnsNames(leaf).OrderBy(n => n));
        await AssertChainsToPebbleAsync(chain);
    }

    [Fact]
    public async Task Http01_order_ends_valid()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);
        var domain = PebbleFixture.UniqueDomain();

        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns(domain) });
        var authorization = await client.GetAuthorizationAsync(order.Authorizations.Single());
        var challenge = authorization.Challenge(AcmeChallenge.Http01)!;
        await _pebble.AddHttp01Async(challenge.Token, challenge.KeyAuthorization);
        await client.RespondToChallengeAsync(challenge);
        var valid = await client.WaitForAuthorizationAsync(authorization.Url);

        Assert.Equal(AcmeStatus.Valid, valid.Status);
        var chain = await FinishAsync(client, order, new[] { domain });
        await AssertChainsToPebbleAsync(chain);
    }

    [Fact]
    public async Task Ip_identifier_order_ends_valid_by_http01()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Rsa(2048));
        using var client = _pebble.Client(accountKey);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);

        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Ip("127.0.0.1") });
        var authorization = await client.GetAuthorizationAsync(order.Authorizations.Single());
        Assert.Equal(AcmeIdentifier.IpType, authorization.Identifier.Type);
        var challenge = authorization.Challenge(AcmeChallenge.Http01)!;
        await _pebble.AddHttp01Async(challenge.Token, challenge.KeyAuthorization);
        await client.RespondToChallengeAsync(challenge);
        await client.WaitForAuthorizationAsync(authorization.Url);

        var csr = Csr(new[] { new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, "127.0.0.1") }, "127.0.0.1");
        var chain = await FinishAsync(client, order, csr);
        using var leaf = X509CertificateLoader.LoadCertificate(chain.Leaf);
        Assert.Contains("127.0.0.1", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()));
    }

    [Fact]
    public async Task Unanswered_challenge_ends_invalid_with_pebbles_problem()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);
        var domain = PebbleFixture.UniqueDomain();

        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns(domain) });
        var authorization = await client.GetAuthorizationAsync(order.Authorizations.Single());
        var challenge = authorization.Challenge(AcmeChallenge.Dns01)!;
        await client.RespondToChallengeAsync(challenge);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.WaitForAuthorizationAsync(authorization.Url));
        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.AcmeAuthorizationInvalid, e.ErrorId);
        var failed = Assert.IsType<AcmeAuthorization>(e.Target);
        Assert.Equal(AcmeStatus.Invalid, failed.Status);
        var problem = failed.Challenge(AcmeChallenge.Dns01)!.Error!;
        Assert.StartsWith(AcmeProblem.ErrorNamespace, problem.Type);
        Assert.Contains(domain, e.Message);
        Assert.Contains(problem.Type, e.Message);
        Assert.Contains(problem.Detail!, e.Message);
        Assert.DoesNotContain(challenge.Token, e.Message);

        var invalid = await Assert.ThrowsAsync<PkiException>(() => client.WaitForOrderAsync(order.Url));
        Assert.Equal(ErrorIds.AcmeOrderInvalid, invalid.ErrorId);
    }

    [Fact]
    public async Task Blocked_identifier_is_refused_with_pebbles_problem_document()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(new[] { AcmeIdentifier.Dns(PebbleFixture.BlockedDomain) }));

        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.AcmeProblem, e.ErrorId);
        var problem = Assert.IsType<AcmeProblem>(e.Target);
        Assert.Equal(AcmeProblem.ErrorNamespace + "rejectedIdentifier", problem.Type);
        Assert.Contains(problem.Type, e.Message);
        Assert.Contains(PebbleFixture.BlockedDomain, e.Message);
    }

    [Fact]
    public async Task Directory_tells_terms_of_service_and_whether_eab_is_required()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var plain = _pebble.Client(accountKey);
        using var eab = _pebble.Client(accountKey, eab: true);

        var directory = await plain.GetDirectoryAsync();
        var eabDirectory = await eab.GetDirectoryAsync();

        Assert.False(directory.ExternalAccountRequired);
        Assert.True(eabDirectory.ExternalAccountRequired);
        Assert.StartsWith("data:text/plain,", directory.TermsOfService);
        Assert.Equal(_pebble.DirectoryUrl.GetLeftPart(UriPartial.Authority), directory.NewOrder.GetLeftPart(UriPartial.Authority));
    }

    [Fact]
    public async Task Same_key_finds_the_same_account()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(384));
        using var first = _pebble.Client(accountKey);
        var created = await first.CreateAccountAsync(new[] { "mailto:ops@example.com" }, termsOfServiceAgreed: true);

        using var second = _pebble.Client(accountKey);
        var found = await second.FindAccountAsync();
        var again = await second.CreateAccountAsync(null, termsOfServiceAgreed: true);

        Assert.True(created.Created);
        Assert.Equal(new[] { "mailto:ops@example.com" }, created.Contact);
        Assert.Equal(created.Url, found.Url);
        Assert.Equal(created.Url, second.AccountUrl);
        Assert.False(again.Created);
        Assert.Equal(created.Url, again.Url);
    }

    [Fact]
    public async Task Unknown_key_has_no_account()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.FindAccountAsync());

        Assert.Equal(ErrorIds.AcmeAccountNotFound, e.ErrorId);
        Assert.Equal(PkiErrorKind.ObjectNotFound, e.Kind);
        Assert.Null(client.AccountUrl);
    }

    [Fact]
    public async Task Eab_account_is_created_against_a_pebble_that_requires_it()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey, eab: true);

        var account = await client.CreateAccountAsync(null, termsOfServiceAgreed: true,
            new AcmeExternalAccountBinding(PebbleFixture.EabKeyId, _pebble.EabMacKey));

        Assert.True(account.Created);
        Assert.Equal(AcmeStatus.Valid, account.Status);
    }

    [Fact]
    public async Task Eab_pebble_refuses_an_account_without_binding()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey, eab: true);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.CreateAccountAsync(null, termsOfServiceAgreed: true));

        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.AcmeProblem, e.ErrorId);
        Assert.Equal(AcmeProblem.ErrorNamespace + "externalAccountRequired", Assert.IsType<AcmeProblem>(e.Target).Type);
    }

    [Fact]
    public async Task Eab_pebble_refuses_a_binding_with_the_wrong_mac_key()
    {
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey, eab: true);
        var wrongKey = Convert.ToBase64String(new byte[32]).TrimEnd('=');

        var e = await Assert.ThrowsAsync<PkiException>(() => client.CreateAccountAsync(null, termsOfServiceAgreed: true,
            new AcmeExternalAccountBinding(PebbleFixture.EabKeyId, wrongKey)));

        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.AcmeUnauthorized, e.ErrorId);
        Assert.DoesNotContain(_pebble.EabMacKey, e.Message);
        Assert.DoesNotContain(wrongKey, e.Message);
    }

    [Fact]
    public async Task Bad_nonce_refusals_are_retried_transparently()
    {
        // Pebble rejects 5% of good nonces; a refused request shows up in the log as a 400 followed by the
        // same URL again, and the call still succeeds.
        var log = new List<string>();
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey, log.Add);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);
        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns(PebbleFixture.UniqueDomain()) });

        var reads = 0;
        while (!log.Any(line => line.EndsWith(" 400", StringComparison.Ordinal)) && reads < 500)
        {
            Assert.Equal(order.Url, (await client.GetOrderAsync(order.Url)).Url);
            reads++;
        }

        _output.WriteLine($"first badNonce after {reads} reads");
        var refused = log.FindIndex(line => line.EndsWith(" 400", StringComparison.Ordinal));
        Assert.True(refused >= 0, "Pebble refused no nonce in 500 requests; is PEBBLE_WFE_NONCEREJECT set to 0?");
        // The retry goes to the same URL (and may itself meet another rejection, 5% of the time).
        var retried = log[refused][..^" 400".Length];
        Assert.StartsWith(retried + " ", log[refused + 1]);
    }

    [Fact]
    public async Task Log_has_one_line_per_request_and_no_secrets()
    {
        var log = new List<string>();
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = _pebble.Client(accountKey, log.Add);
        await client.CreateAccountAsync(null, termsOfServiceAgreed: true);
        var order = await client.NewOrderAsync(new[] { AcmeIdentifier.Dns(PebbleFixture.UniqueDomain()) });
        var authorization = await client.GetAuthorizationAsync(order.Authorizations.Single());

        Assert.All(log, line => Assert.Matches(@"^(GET|HEAD|POST) https://127\.0\.0\.1:\d+/\S* \d{3}$", line));
        Assert.Contains(log, line => line.StartsWith("GET " + _pebble.DirectoryUrl.AbsoluteUri + " 200", StringComparison.Ordinal));
        foreach (var challenge in authorization.Challenges)
        {
            Assert.DoesNotContain(log, line => line.Contains(challenge.Token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Default_trust_refuses_pebbles_self_made_tls_certificate_without_retrying()
    {
        var log = new List<string>();
        using var accountKey = PrivateKey.Generate(KeySpec.Ecc(256));
        using var client = new AcmeClient(_pebble.DirectoryUrl, accountKey, new AcmeClientOptions { Log = log.Add });

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetDirectoryAsync());

        Assert.Equal(ErrorIds.AcmeServerUnreachable, e.ErrorId);
        Assert.Equal(PkiErrorKind.ConnectionError, e.Kind);
        Assert.Contains("certificate", e.Message);
        Assert.Single(log);
    }

    private async Task<AcmeCertificateChain> FinishAsync(AcmeClient client, AcmeOrder order, IReadOnlyList<string> names) =>
        await FinishAsync(client, order, Csr(names.Select(n => new SubjectAlternativeName(SubjectAlternativeNameType.Dns, n)).ToList(), names[0]));

    private static async Task<AcmeCertificateChain> FinishAsync(AcmeClient client, AcmeOrder order, byte[] csr)
    {
        var ready = await client.WaitForOrderAsync(order.Url);
        Assert.Equal(AcmeStatus.Ready, ready.Status);
        await client.FinalizeAsync(ready, csr);
        var valid = await client.WaitForOrderAsync(order.Url);
        Assert.Equal(AcmeStatus.Valid, valid.Status);
        return await client.DownloadCertificateAsync(valid.Certificate!);
    }

    private static byte[] Csr(IReadOnlyList<SubjectAlternativeName> sans, string commonName)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        return CsrBuilder.Build(SubjectName.Create(commonName), sans, key);
    }

    private async Task AssertChainsToPebbleAsync(AcmeCertificateChain chain)
    {
        var (root, intermediate) = await _pebble.IssuersAsync();
        using var leaf = X509CertificateLoader.LoadCertificate(chain.Leaf);
        var issuers = chain.Chain.Select(X509CertificateLoader.LoadCertificate).ToList();
        Assert.Equal(intermediate.Thumbprint, issuers.First().Thumbprint);

        using var x509Chain = new X509Chain();
        x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        x509Chain.ChainPolicy.CustomTrustStore.Add(root);
        x509Chain.ChainPolicy.ExtraStore.AddRange(issuers.ToArray());
        x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(x509Chain.Build(leaf), string.Join("; ", x509Chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(root.Thumbprint, x509Chain.ChainElements[^1].Certificate.Thumbprint);
    }

    private static IEnumerable<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames();
}
