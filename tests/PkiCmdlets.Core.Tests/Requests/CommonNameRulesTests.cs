using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Requests;

/// <summary>
/// New-Csr says at once what is wrong with a common name, not at issue time: a name that cannot be right in any certificate
/// is refused, and one that names no server is made with a warning (a client certificate may rightly be CN=alice).
/// </summary>
public sealed class CommonNameRulesTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("web.*.corp.test", ErrorIds.MisplacedWildcard)]
    [InlineData("*web.corp.test", ErrorIds.MisplacedWildcard)]
    [InlineData("*", ErrorIds.MisplacedWildcard)]
    [InlineData("10.0.0.01", ErrorIds.InvalidIpAddress)]
    [InlineData("300.1.2.3", ErrorIds.InvalidIpAddress)]
    [InlineData("2001:db8:::1", ErrorIds.InvalidIpAddress)]
    public void A_common_name_that_cannot_be_right_is_refused_and_nothing_is_written(string commonName, string errorId)
    {
        var error = Assert.Throws<PkiException>(() =>
            Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = commonName, Algorithm = "ECC_256" }));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(_temp.Snapshot());
    }

    [Theory]
    [InlineData("my_host.corp.test")]
    [InlineData("Alice Example")]
    [InlineData("Contoso Web Team")]
    [InlineData("12345")]
    public void A_common_name_that_names_no_server_is_made_with_a_warning(string commonName)
    {
        var warnings = new List<string>();
        var csr = Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = commonName, Algorithm = "ECC_256", Warn = warnings.Add });
        Assert.Equal(commonName, csr.CommonName);
        var warning = Assert.Single(warnings);
        Assert.Contains("'" + commonName + "'", warning);
        Assert.Contains("no server certificate", warning);
    }

    [Theory]
    [InlineData("www.example.com", null)]
    [InlineData("*.example.com", null)]
    [InlineData("192.0.2.10", null)]
    [InlineData("2001:db8::10", null)]
    [InlineData("alice", "alice.example.com")]
    public void A_request_that_names_a_server_has_no_warning(string commonName, string? san)
    {
        var warnings = new List<string>();
        Services.Csrs(_temp.Open()).Create(new NewCsrRequest
        {
            CommonName = commonName, Algorithm = "ECC_256", Warn = warnings.Add, SubjectAlternativeNames = san == null ? null : new[] { san },
        });
        Assert.Empty(warnings);
    }

    [Fact]
    public void Set_Csr_refuses_the_same_common_names()
    {
        var csrs = Services.Csrs(_temp.Open());
        var draft = csrs.Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256", Draft = true });
        var error = Assert.Throws<PkiException>(() => csrs.Update(new SetCsrRequest { Id = draft.Id, CommonName = "web.*.example.com" }));
        Assert.Equal(ErrorIds.MisplacedWildcard, error.ErrorId);
        Assert.Equal("www.example.com", csrs.Get(draft.Id).CommonName);
    }
}
