using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Tests.Acme;

public sealed class AcmeServerTests
{
    [Theory]
    [InlineData("LetsEncrypt", "https://acme-v02.api.letsencrypt.org/directory")]
    [InlineData("letsencrypt", "https://acme-v02.api.letsencrypt.org/directory")]
    [InlineData(" LetsEncryptStaging ", "https://acme-staging-v02.api.letsencrypt.org/directory")]
    [InlineData("https://acme.example.com/directory", "https://acme.example.com/directory")]
    [InlineData("https://127.0.0.1:14000/dir", "https://127.0.0.1:14000/dir")]
    [InlineData("http://127.0.0.1:14000/dir", "http://127.0.0.1:14000/dir")]
    [InlineData("http://127.0.0.2/dir", "http://127.0.0.2/dir")]
    [InlineData("http://localhost:4001/directory", "http://localhost:4001/directory")]
    [InlineData("http://[::1]:4001/directory", "http://[::1]:4001/directory")]
    public void Resolves_short_names_and_urls(string server, string expected)
    {
        Assert.Equal(new Uri(expected), AcmeServer.Resolve(server));
    }

    [Theory]
    [InlineData("LetsEncryptProduction")]
    [InlineData("http://acme.example.com/directory")]
    [InlineData("ftp://acme.example.com/directory")]
    [InlineData("acme.example.com/directory")]
    [InlineData("/directory")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_anything_else_naming_the_value_and_the_short_names(string? server)
    {
        var e = Assert.Throws<PkiException>(() => AcmeServer.Resolve(server));

        Assert.Equal(ErrorIds.AcmeServerInvalid, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(server, e.Target);
        Assert.Contains($"'{server}'", e.Message);
        Assert.Contains("LetsEncrypt, LetsEncryptStaging", e.Message);
    }
}
