using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>
/// Client and server-and-client certificates, judged by openssl (verify -purpose sslclient, the extensions it prints, a
/// mutual-TLS handshake with s_server -Verify that fails once the client certificate is revoked and the CRL given) and by
/// .NET's X509Chain asked for the clientAuth purpose.
/// </summary>
public sealed class ClientCertificateTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(20);

    private static IssuedCertificate IssueClient(InteropHierarchy h, string commonName, Action<NewCertificateRequest>? options = null) =>
        h.Issue(commonName, options: r =>
        {
            r.Profile = "Client";
            options?.Invoke(r);
        });

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    [InlineData("ECC_384")]
    public void A_client_certificate_verifies_for_client_use_and_not_for_server_use(string algorithm)
    {
        using var h = new InteropHierarchy(algorithm);
        var leaf = h.Write(IssueClient(h, "alice"));

        var client = OpenSsl.Run($"verify -x509_strict -purpose sslclient -CAfile \"{h.RootPath}\" -untrusted \"{h.SubPath}\" \"{leaf}\"");
        var server = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile \"{h.RootPath}\" -untrusted \"{h.SubPath}\" \"{leaf}\"");

        Assert.True(client.ExitCode == 0, client.All);
        Assert.Contains(": OK", client.Output);
        Assert.NotEqual(0, server.ExitCode);
        Assert.Contains("unsuitable certificate purpose", server.All);
    }

    [Fact]
    public void A_client_certificate_names_its_identities_as_openssl_reads_them()
    {
        using var h = new InteropHierarchy("ECC_256");
        var issued = IssueClient(h, "Alice Example", r =>
        {
            r.EmailAddresses = new[] { "alice@example.com" };
            r.UserPrincipalNames = new[] { "alice@corp.example.com" };
            r.Uris = new[] { "spiffe://example.org/ns/prod/sa/alice" };
            r.Domains = new[] { "alice-laptop.corp.example.com" };
        });
        var text = OpenSslText.Text(h.Write(issued));

        var basic = OpenSslText.Get(text, "X509v3 Basic Constraints");
        Assert.True(basic.Critical);
        Assert.Equal("CA:FALSE", basic.Value);
        var usage = OpenSslText.Get(text, "X509v3 Key Usage");
        Assert.True(usage.Critical);
        Assert.Equal("Digital Signature", usage.Value);
        Assert.Equal("TLS Web Client Authentication", OpenSslText.Get(text, "X509v3 Extended Key Usage").Value);
        var san = OpenSslText.Get(text, "X509v3 Subject Alternative Name").Value;
        Assert.Contains("DNS:alice-laptop.corp.example.com", san);
        Assert.Contains("email:alice@example.com", san);
        Assert.Contains("URI:spiffe://example.org/ns/prod/sa/alice", san);
        Assert.Contains("othername: UPN::alice@corp.example.com", san);
        Assert.Equal("Client", issued.Profile);
        Assert.Equal(new[] { "alice@example.com" }, issued.EmailAddresses);
        Assert.Equal(new[] { "alice@corp.example.com" }, issued.UserPrincipalNames);
        Assert.Equal(new[] { "spiffe://example.org/ns/prod/sa/alice" }, issued.Uris);
        Assert.Equal(new[] { "alice-laptop.corp.example.com" }, issued.DnsNames);

        // The journal keeps them: a listing shows what was issued.
        var listed = Services.Certificates(h.Hierarchy.Open()).Get(issued.Identifier);
        Assert.Equal(issued.Names, listed.Names);
        Assert.Equal("Client", listed.Profile);
    }

    [Fact]
    public void A_client_named_by_its_common_name_alone_has_no_subject_alternative_name_and_an_e_mail_common_name_is_named_as_one()
    {
        using var h = new InteropHierarchy("ECC_256");
        var plain = IssueClient(h, "alice");
        var mail = IssueClient(h, "bob@example.com");

        Assert.Null(OpenSslText.Find(OpenSslText.Text(h.Write(plain)), "X509v3 Subject Alternative Name"));
        Assert.Equal("email:bob@example.com", OpenSslText.Get(OpenSslText.Text(h.Write(mail)), "X509v3 Subject Alternative Name").Value);
    }

    [Fact]
    public void The_identities_of_a_csr_go_into_a_client_certificate()
    {
        using var h = new InteropHierarchy("ECC_256");
        var csr = Hierarchy.Csr(h.Spec, "carol", "carol@example.com", "carol.example.com");

        var issued = h.Hierarchy.Issue(csr, r => r.Profile = "Client");

        Assert.Equal(new[] { "carol@example.com" }, issued.EmailAddresses);
        Assert.Contains("carol.example.com", issued.DnsNames);
    }

    [Fact]
    public void A_server_and_client_certificate_verifies_for_both_uses()
    {
        using var h = new InteropHierarchy("ECC_256");
        var issued = h.Issue("svc.example.com", options: r =>
        {
            r.Profile = "ServerAndClient";
            r.Uris = new[] { "spiffe://example.org/svc" };
        });
        var leaf = h.Write(issued);

        foreach (var purpose in new[] { "sslclient", "sslserver" })
        {
            var result = OpenSsl.Run($"verify -x509_strict -purpose {purpose} -CAfile \"{h.RootPath}\" -untrusted \"{h.SubPath}\" \"{leaf}\"");
            Assert.True(result.ExitCode == 0, purpose + ": " + result.All);
        }
        Assert.Equal("ServerAndClient", issued.Profile);
        Assert.Equal(new[] { "spiffe://example.org/svc" }, issued.Uris);
        Assert.Equal("TLS Web Server Authentication, TLS Web Client Authentication", OpenSslText.Get(OpenSslText.Text(leaf), "X509v3 Extended Key Usage").Value);
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    public void DotNet_builds_the_chain_for_client_authentication_and_refuses_a_server_certificate_for_it(string algorithm)
    {
        using var h = new InteropHierarchy(algorithm);
        using var client = IssueClient(h, "alice").Certificate;
        using var server = h.Issue("www.example.com").Certificate;

        using var accepted = ClientAuthChain(h);
        Assert.True(accepted.Build(client), string.Join("; ", accepted.ChainStatus.Select(s => s.Status + ": " + s.StatusInformation)));
        Assert.Equal(3, accepted.ChainElements.Count);
        using var refused = ClientAuthChain(h);
        Assert.False(refused.Build(server));
        Assert.Contains(refused.ChainStatus, s => s.Status == X509ChainStatusFlags.NotValidForUsage);
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    public void Mutual_tls_with_openssl_succeeds_with_our_client_certificate_until_it_is_revoked_and_the_crl_is_given(string algorithm)
    {
        using var h = new InteropHierarchy(algorithm);
        var serverCertificate = h.Write(h.Issue("www.example.com"));
        var leafKey = h.WriteLeafKey();
        // The client's own key, distinct from the server's.
        using var clientKey = TestKeys.For(h.Spec, "client");
        var clientCsr = Pem.Encode(Pem.CertificateRequestLabel, CsrBuilder.Build(SubjectName.Create("alice"), Array.Empty<SubjectAlternativeName>(), clientKey));
        var client = h.Hierarchy.Issue(clientCsr, r => r.Profile = "Client");
        var clientPath = h.Write(client);
        var clientKeyPath = h.File("client.key", Pem.Encode(Pem.PrivateKeyLabel, clientKey.ExportPkcs8()));
        var emptyCrl = h.Publish("Sub", "sub-empty.crl.pem").Path!;

        OpenSsl.Result Connect(OpenSslServer server, string identity) => OpenSslText.RunWithin(ClientLimit,
            $"s_client -connect 127.0.0.1:{server.Port} -servername www.example.com -CAfile \"{h.RootPath}\" -verify_return_error -ign_eof {identity}",
            "GET / HTTP/1.0\r\n\r\n");
        var withCertificate = $"-cert \"{clientPath}\" -key \"{clientKeyPath}\" -cert_chain \"{h.SubPath}\"";
        var requireClient = $"-CAfile \"{h.RootPath}\" -Verify 2 -verify_return_error";

        OpenSsl.Result ok, anonymous, revoked;
        string printed;
        using (var server = OpenSslServer.Start(serverCertificate, leafKey, h.SubPath, $"{requireClient} -crl_check -CRL \"{emptyCrl}\""))
        {
            ok = Connect(server, withCertificate);
            anonymous = Connect(server, string.Empty);
            printed = server.Output;
        }
        h.Revoke(client, RevocationReason.KeyCompromise);
        var revokedCrl = h.Publish("Sub", "sub-revoked.crl.pem").Path!;
        using (var server = OpenSslServer.Start(serverCertificate, leafKey, h.SubPath, $"{requireClient} -crl_check -CRL \"{revokedCrl}\""))
        {
            revoked = Connect(server, withCertificate);
        }

        Assert.True(ok.ExitCode == 0 && ok.Output.Contains("HTTP/1.0 200 ok"), ok.All + printed);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.DoesNotContain("HTTP/1.0 200 ok", anonymous.Output);
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("certificate revoked", revoked.All);
        Assert.DoesNotContain("HTTP/1.0 200 ok", revoked.Output);
    }

    private static X509Chain ClientAuthChain(InteropHierarchy h)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(h.Hierarchy.Root.Certificate!);
        chain.ChainPolicy.ExtraStore.Add(h.Hierarchy.Sub.Certificate!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuth));
        return chain;
    }
}
