using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>Error responses as PkiExceptions: problem documents by type, and answers that are not ACME at all.</summary>
public sealed class AcmeProblemTests
{
    private static readonly AcmeIdentifier[] Names = { AcmeIdentifier.Dns("a.example.com") };

    [Fact]
    public async Task Problem_document_with_subproblems_becomes_AcmeProblem()
    {
        var server = new FakeAcmeServer().ThenProblem(400, "urn:ietf:params:acme:error:rejectedIdentifier", "Some names were refused", extra: """
            ,"subproblems":[
              {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"Policy forbids this name","identifier":{"type":"dns","value":"bad.example.com"}},
              {"type":"urn:ietf:params:acme:error:caa","detail":"CAA forbids issuance","identifier":{"type":"dns","value":"caa.example.com"}}]
            """);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(Names));

        Assert.Equal(ErrorIds.AcmeProblem, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidOperation, e.Kind);
        var problem = Assert.IsType<AcmeProblem>(e.Target);
        Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", problem.Type);
        Assert.Equal("Some names were refused", problem.Detail);
        Assert.Equal(400, problem.Status);
        Assert.Equal(2, problem.Subproblems.Count);
        Assert.Equal("caa.example.com", problem.Subproblems[1].Identifier!.Value);
        Assert.Equal("urn:ietf:params:acme:error:caa", problem.Subproblems[1].Type);
        Assert.Equal(
            "The ACME server refused POST https://acme.test/new-order: Some names were refused (urn:ietf:params:acme:error:rejectedIdentifier) " +
            "For dns 'bad.example.com': Policy forbids this name (urn:ietf:params:acme:error:rejectedIdentifier) " +
            "For dns 'caa.example.com': CAA forbids issuance (urn:ietf:params:acme:error:caa)",
            e.Message);
    }

    [Fact]
    public async Task Rate_limit_says_when_to_try_again()
    {
        var server = new FakeAcmeServer().ThenProblem(429, "urn:ietf:params:acme:error:rateLimited", "Too many new orders", retryAfter: "3600");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);
        var before = DateTimeOffset.UtcNow;

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(Names));

        Assert.Equal(ErrorIds.AcmeRateLimited, e.ErrorId);
        Assert.Equal(PkiErrorKind.LimitsExceeded, e.Kind);
        Assert.Contains("Too many new orders", e.Message);
        var retryAt = DateTimeOffset.ParseExact(e.Message[(e.Message.IndexOf("Try again after ", StringComparison.Ordinal) + 16)..^1], "u", null);
        Assert.InRange(retryAt, before.AddHours(1).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(1).AddSeconds(1));
    }

    [Fact]
    public async Task Unauthorized_is_its_own_error()
    {
        var server = new FakeAcmeServer().ThenProblem(403, "urn:ietf:params:acme:error:unauthorized", "Account does not own this order");
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.GetOrderAsync(new Uri("https://acme.test/order/9")));

        Assert.Equal(ErrorIds.AcmeUnauthorized, e.ErrorId);
        Assert.Equal(PkiErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("Account does not own this order", e.Message);
    }

    [Fact]
    public async Task Problem_without_type_or_detail_still_reads()
    {
        var server = new FakeAcmeServer().Then(() => FakeAcmeServer.Response(400, """{"detail":"Something"}""", "application/problem+json"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(Names));

        Assert.Equal("about:blank", Assert.IsType<AcmeProblem>(e.Target).Type);
        Assert.EndsWith("Something (about:blank)", e.Message);
    }

    [Fact]
    public async Task Error_status_without_problem_document_is_a_bad_response()
    {
        var server = new FakeAcmeServer().Then(() => FakeAcmeServer.Response(502, "<html>Bad gateway</html>", "text/html"));
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(Names));

        Assert.Equal(ErrorIds.AcmeBadResponse, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidData, e.Kind);
        Assert.Contains("502", e.Message);
        Assert.Contains("https://acme.test/new-order", e.Message);
    }

    [Theory]
    [InlineData("{\"status\":", null)]
    [InlineData("[1,2]", null)]
    [InlineData("", null)]
    [InlineData("""{"identifiers":[],"authorizations":[],"finalize":"https://acme.test/f"}""", "https://acme.test/order/1")]
    [InlineData("""{"status":"pending","identifiers":[],"authorizations":[7],"finalize":"https://acme.test/f"}""", "https://acme.test/order/1")]
    [InlineData("""{"status":"pending","identifiers":[],"authorizations":[],"finalize":"mailto:x@example.com"}""", "https://acme.test/order/1")]
    [InlineData("""{"status":"pending","identifiers":[],"authorizations":[],"finalize":"https://acme.test/f"}""", null)]
    public async Task Malformed_success_is_a_bad_response(string body, string? location)
    {
        var server = new FakeAcmeServer().ThenJson(201, body, location);
        using var key = TestKeys.For(KeySpec.Ecc(256));
        using var client = server.Client(key);

        var e = await Assert.ThrowsAsync<PkiException>(() => client.NewOrderAsync(Names));

        Assert.Equal(ErrorIds.AcmeBadResponse, e.ErrorId);
        Assert.StartsWith("The ACME server's answer to POST https://acme.test/new-order is not valid ACME: ", e.Message);
    }
}
