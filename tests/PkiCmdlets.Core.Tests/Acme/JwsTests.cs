using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using B64 = System.Buffers.Text.Base64Url;

namespace PkiCmdlets.Core.Tests.Acme;

/// <summary>Signatures checked with .NET's own ECDsa, RSA and HMAC, not with anything of ours.</summary>
public sealed class JwsTests
{
    private static readonly Uri Url = new("https://acme.test/order/7");
    private static readonly Uri Account = new("https://acme.test/account/1");

    [Theory]
    [InlineData(256, "ES256", 64)]
    [InlineData(384, "ES384", 96)]
    [InlineData(521, "ES512", 132)]
    public void Ecdsa_jws_verifies_as_raw_r_and_s_over_protected_dot_payload(int size, string algorithm, int signatureLength)
    {
        using var key = TestKeys.For(KeySpec.Ecc(size));
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);

        var jws = Parse(new Jws(key).SignWithKid(Account, Url, "nonce-1", """{"status":"deactivated"}"""));

        var signature = B64.DecodeFromChars((string)jws["signature"]!);
        Assert.Equal(signatureLength, signature.Length);
        var hash = size switch { 256 => HashAlgorithmName.SHA256, 384 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        Assert.True(verifier.VerifyData(SigningInput(jws), signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var header = Protected(jws);
        Assert.Equal(algorithm, (string?)header["alg"]);
        Assert.Equal(Account.AbsoluteUri, (string?)header["kid"]);
        Assert.Equal("nonce-1", (string?)header["nonce"]);
        Assert.Equal(Url.AbsoluteUri, (string?)header["url"]);
        Assert.Null(header["jwk"]);
        Assert.Equal("""{"status":"deactivated"}""", Encoding.UTF8.GetString(B64.DecodeFromChars((string)jws["payload"]!)));
    }

    [Fact]
    public void Rs256_jws_with_embedded_jwk_verifies()
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);

        var jws = Parse(new Jws(key).SignWithJwk(Url, "nonce-2", """{"termsOfServiceAgreed":true}"""));

        Assert.True(verifier.VerifyData(SigningInput(jws), B64.DecodeFromChars((string)jws["signature"]!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var header = Protected(jws);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.Null(header["kid"]);
        Assert.Equal(B64.EncodeToString(verifier.ExportParameters(false).Modulus), (string?)header["jwk"]!["n"]);
        Assert.Equal(new[] { "payload", "protected", "signature" }, jws.Select(m => m.Key).OrderBy(k => k));
    }

    [Fact]
    public void Empty_payload_stays_empty_for_post_as_get()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));

        var jws = Parse(new Jws(key).SignWithKid(Account, Url, "nonce-3", ""));

        Assert.Equal("", (string?)jws["payload"]);
    }

    [Fact]
    public void External_account_binding_is_hs256_over_the_account_jwk()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var macKey = RandomNumberGenerator.GetBytes(32);
        var newAccount = new Uri("https://acme.test/new-account");
        var signer = new Jws(key);

        var eab = Parse(signer.ExternalAccountBinding("kid-7", macKey, newAccount).ToString(Formatting.None));

        var header = Protected(eab);
        Assert.Equal(new[] { "alg", "kid", "url" }, header.Select(m => m.Key));
        Assert.Equal("HS256", (string?)header["alg"]);
        Assert.Equal("kid-7", (string?)header["kid"]);
        Assert.Equal(newAccount.AbsoluteUri, (string?)header["url"]);
        Assert.Equal(signer.Jwk.ToJson().ToString(Formatting.None), Encoding.UTF8.GetString(B64.DecodeFromChars((string)eab["payload"]!)));
        Assert.Equal(HMACSHA256.HashData(macKey, SigningInput(eab)), B64.DecodeFromChars((string)eab["signature"]!));
    }

    [Theory]
    [InlineData("not base64url!")]
    [InlineData("")]
    [InlineData("abcde")]
    public void External_account_mac_key_must_be_base64url_and_never_appears_in_the_error(string macKey)
    {
        var e = Assert.Throws<PkiException>(() => new AcmeExternalAccountBinding("kid-1", macKey));

        Assert.Equal(ErrorIds.AcmeExternalAccountKeyInvalid, e.ErrorId);
        Assert.Contains("kid-1", e.Message);
        if (macKey.Length > 0) Assert.DoesNotContain(macKey, e.Message);
    }

    [Fact]
    public void External_account_mac_key_may_carry_padding()
    {
        var binding = new AcmeExternalAccountBinding("kid-1", "AQID_w==");

        Assert.Equal(new byte[] { 1, 2, 3, 0xff }, binding.MacKey);
    }

    private static JsonObject Parse(string jws) => JsonNode.Parse(jws)!.AsObject();

    private static JsonObject Protected(JsonObject jws) =>
        JsonNode.Parse(B64.DecodeFromChars((string)jws["protected"]!))!.AsObject();

    private static byte[] SigningInput(JsonObject jws) =>
        Encoding.ASCII.GetBytes((string)jws["protected"]! + "." + (string)jws["payload"]!);
}
