using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>
/// A real TLS handshake on the loopback: openssl s_server presents an issued certificate and the
/// intermediate, and openssl s_client, trusting only our root, checks the chain, the host name and the CRL.
/// </summary>
public sealed class TlsHandshakeTests
{
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    public void Client_trusting_our_root_completes_the_handshake_until_the_certificate_is_revoked(string algorithm)
    {
        using var h = new InteropHierarchy(algorithm);
        var issued = h.Issue("www.example.com", new[] { "api.example.com" });
        var emptyCrl = h.Publish("Sub", "empty.crl.pem").Path;
        using var server = OpenSslServer.Start(h.Write(issued), h.WriteLeafKey(), h.SubPath);
        OpenSsl.Result Connect(string hostName, string extra = "") => OpenSslText.RunWithin(ClientLimit,
            $"s_client -connect 127.0.0.1:{server.Port} -servername {hostName} -CAfile \"{h.RootPath}\" -verify_return_error -verify_hostname {hostName} {extra}");

        var ok = Connect("www.example.com");
        var san = Connect("api.example.com", $"-crl_check -CRL \"{emptyCrl}\"");
        var wrongName = Connect("www.example.org");
        h.Revoke(issued, RevocationReason.KeyCompromise);
        var crl = h.Publish("Sub", "revoked.crl.pem").Path;
        var revoked = Connect("www.example.com", $"-crl_check -CRL \"{crl}\"");

        Assert.True(ok.ExitCode == 0 && ok.Output.Contains("Verify return code: 0 (ok)"), ok.All + server.Output);
        // Trusting only the root, the client needed the intermediate the server sent.
        Assert.Contains("depth=1 C = US, ST = Zhejiang, L = Hangzhou, O = Example Org, OU = Ops, CN = Test Sub CA", ok.All);
        Assert.Contains("depth=2 C = US, O = Example Org, CN = Test Root CA", ok.All);
        Assert.True(san.ExitCode == 0 && san.Output.Contains("Verify return code: 0 (ok)"), san.All + server.Output);
        Assert.NotEqual(0, wrongName.ExitCode);
        Assert.Contains("Verify return code: 62 (hostname mismatch)", wrongName.All);
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("Verify return code: 23 (certificate revoked)", revoked.All);
    }
}
