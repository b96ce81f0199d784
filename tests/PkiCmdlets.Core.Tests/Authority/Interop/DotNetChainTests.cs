using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>.NET's own chain engine (OpenSSL-backed on Linux, CryptoAPI on Windows) accepts our hierarchy when told to trust our root, and only then.</summary>
public sealed class DotNetChainTests : IClassFixture<HierarchyFixture>
{
    private readonly HierarchyFixture _hierarchies;

    public DotNetChainTests(HierarchyFixture hierarchies) => _hierarchies = hierarchies;

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    [InlineData("ECC_384")]
    [InlineData("ECC_521")]
    public void Chain_builds_to_our_root_as_a_custom_trust_anchor(string algorithm)
    {
        var h = _hierarchies[algorithm];
        using var leaf = h.Issue("www.example.com").Certificate!;
        using var chain = Chain(h.Hierarchy.Root.Certificate!, h.Hierarchy.Sub.Certificate!);

        var built = chain.Build(leaf);

        Assert.True(built, string.Join("; ", chain.ChainStatus.Select(s => s.Status + ": " + s.StatusInformation)));
        Assert.Equal(
            new[] { leaf.Thumbprint, h.Hierarchy.Sub.Thumbprint, h.Hierarchy.Root.Thumbprint },
            chain.ChainElements.Select(e => e.Certificate.Thumbprint));
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    public void Chain_does_not_build_to_a_root_of_the_same_name_with_another_key(string algorithm)
    {
        var h = _hierarchies[algorithm];
        using var leaf = h.Issue("www.example.com").Certificate!;
        // Same subject as the real root, so only the signature check can tell them apart.
        using var temp = new TempStore();
        var impostor = Services.Cas(temp.Open(), keyRole: "impostor-root").CreateRoot(new NewCaRequest
        {
            Name = "Root", CommonName = "Test Root CA", Organization = "Example Org", Country = "US", Algorithm = algorithm, NoPassword = true,
        });
        Assert.Equal(h.Hierarchy.Root.Subject, impostor.Subject);
        Assert.NotEqual(h.Hierarchy.Root.Thumbprint, impostor.Thumbprint);
        using var chain = Chain(impostor.Certificate!, h.Hierarchy.Sub.Certificate!);

        Assert.False(chain.Build(leaf));
        Assert.NotEmpty(chain.ChainStatus);
    }

    [Fact]
    public void Chain_does_not_build_without_the_intermediate()
    {
        var h = _hierarchies["ECC_256"];
        using var leaf = h.Issue("www.example.com").Certificate!;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(h.Hierarchy.Root.Certificate!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        Assert.False(chain.Build(leaf));
    }

    private static X509Chain Chain(X509Certificate2 root, X509Certificate2 sub)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(sub);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain;
    }
}
