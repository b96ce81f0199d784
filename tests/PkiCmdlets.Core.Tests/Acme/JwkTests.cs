using System.Security.Cryptography;
using System.Text;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using B64 = System.Buffers.Text.Base64Url;

namespace PkiCmdlets.Core.Tests.Acme;

public sealed class JwkTests
{
    [Fact]
    public void Thumbprint_matches_the_rfc_7638_example()
    {
        // RFC 7638 §3.1.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

        var jwk = Jwk.Rsa(B64.DecodeFromChars(n), B64.DecodeFromChars("AQAB"));

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", jwk.Thumbprint);
        Assert.Equal("RS256", jwk.Algorithm);
    }

    [Fact]
    public void Rsa_account_key_gives_its_modulus_and_exponent()
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        var p = rsa.ExportParameters(false);

        var json = Jwk.For(key).ToJson();

        Assert.Equal(new[] { "e", "kty", "n" }, json.Properties().Select(m => m.Name));
        Assert.Equal(B64.EncodeToString(p.Modulus), (string?)json["n"]);
        Assert.Equal("AQAB", (string?)json["e"]);
    }

    [Theory]
    [InlineData(256, "ES256", "P-256")]
    [InlineData(384, "ES384", "P-384")]
    [InlineData(521, "ES512", "P-521")]
    public void Ec_thumbprint_is_sha256_of_the_canonical_members(int size, string algorithm, string curve)
    {
        using var key = TestKeys.For(KeySpec.Ecc(size));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        var q = ecdsa.ExportParameters(false).Q;
        var canonical = $$"""{"crv":"{{curve}}","kty":"EC","x":"{{B64.EncodeToString(q.X)}}","y":"{{B64.EncodeToString(q.Y)}}"}""";

        var jwk = Jwk.For(key);

        Assert.Equal(algorithm, jwk.Algorithm);
        Assert.Equal(B64.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), jwk.Thumbprint);
        Assert.Equal(canonical, jwk.ToJson().ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public void Key_authorization_and_dns01_value_follow_rfc_8555()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var jwk = Jwk.For(key);
        const string token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

        var keyAuthorization = jwk.KeyAuthorization(token);

        Assert.Equal(token + "." + jwk.Thumbprint, keyAuthorization);
        Assert.Equal(B64.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization))), Jwk.Dns01TxtValue(keyAuthorization));
        Assert.Equal(43, Jwk.Dns01TxtValue(keyAuthorization).Length);
    }

    [Fact]
    public void Sm2_key_cannot_be_an_account_key()
    {
        using var key = TestKeys.For(KeySpec.Sm2());

        var e = Assert.Throws<PkiException>(() => Jwk.For(key));

        Assert.Equal(ErrorIds.AcmeAccountKeyUnsupported, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("SM2", e.Message);
    }
}
