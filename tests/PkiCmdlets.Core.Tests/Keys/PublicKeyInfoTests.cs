using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Security;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Keys;

/// <summary>
/// Signature checks on the edges of their encodings: ECDSA's DER integers (short, with a sign byte, not
/// minimal), RSA signatures shorter than the modulus, and one key object checking many signatures; each on the
/// libcrypto fast path (where this machine has it) and on the reference path alone (fast: false).
/// </summary>
public sealed class PublicKeyInfoTests
{
    private static readonly byte[] Data = "to be signed"u8.ToArray();

    [Theory]
    [InlineData("RSA_2048", "RSA")]
    [InlineData("RSA_4096", "RSA")]
    [InlineData("ECC_256", "ECDsa")]
    [InlineData("ECC_521", "ECDsa")]
    [InlineData("ECC_384", null)] // OpenSSL 3.0's P-384 is slower than BouncyCastle's
    [InlineData("SM2_256", null)]
    public void Rsa_and_ecdsa_keys_verify_on_the_native_provider_sm2_and_p384_on_bouncycastle(string algorithm, string? native)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        if (native == null)
        {
            Assert.Null(publicKey.NativeKey);
        }
        else
        {
            Assert.Equal(native, publicKey.NativeKey is RSA ? "RSA" : publicKey.NativeKey is ECDsa ? "ECDsa" : "other");
            Assert.Equal(key.Spec.Size, publicKey.NativeKey!.KeySize);
        }
        Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, key.Sign(Data)));
    }

    [Theory]
    [InlineData("ECC_256", true)]
    [InlineData("ECC_256", false)]
    [InlineData("ECC_384", true)]
    [InlineData("ECC_521", true)]
    [InlineData("ECC_521", false)]
    public void Ecdsa_signatures_with_short_integers_or_a_sign_byte_verify(string algorithm, bool fast)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        var fieldLength = (key.Spec.Size + 7) / 8;
        bool sawShort = false, sawSignByte = false;
        for (var i = 0; i < 5000 && !(sawShort && sawSignByte); i++)
        {
            var signature = key.Sign(Data);
            var lengths = Integers(signature).Select(v => v.Length).ToList();
            sawShort |= lengths.Any(l => l < fieldLength);
            // P-521's integers are 66 bytes with 7 spare bits at the top: they never need a sign byte.
            sawSignByte |= lengths.Any(l => l > fieldLength) || key.Spec.Size == 521;
            Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, signature, fast));
        }
        Assert.True(sawShort && sawSignByte, "5000 signatures and never a short integer or never a sign byte");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_ecdsa_signature_that_is_not_minimal_der_is_refused(bool fast)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        var signature = key.Sign(Data);
        var integers = Integers(signature);
        Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, signature, fast));

        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data, Sequence(new byte[] { 0 }.Concat(integers[0]).ToArray(), integers[1]), fast));
        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data, signature.Append((byte)0).ToArray(), fast));
        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data, Sequence(integers[0], integers[1], new byte[] { 1 }), fast));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_rsa_signature_shorter_than_the_modulus_verifies_as_before(bool fast)
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        for (var i = 0; ; i++)
        {
            var data = BitConverter.GetBytes(i);
            var signature = key.Sign(data);
            if (signature[0] != 0) continue;
            Assert.True(publicKey.Verify(key.SignatureAlgorithm, data, signature, fast));
            Assert.True(publicKey.Verify(key.SignatureAlgorithm, data, signature.Skip(1).ToArray(), fast));
            Assert.False(publicKey.Verify(key.SignatureAlgorithm, data, signature.Append((byte)0).ToArray(), fast));
            break;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_rsa_signature_whose_digest_info_has_no_null_parameters_verifies_as_before(bool fast)
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8());
        var digestInfo = new DigestInfo(new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256), SHA256.HashData(Data)).GetDerEncoded();
        var pkcs1 = new Pkcs1Encoding(new RsaEngine());
        pkcs1.Init(true, privateKey);
        var signature = pkcs1.ProcessBlock(digestInfo, 0, digestInfo.Length);

        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, signature, fast));
        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data.Append((byte)1).ToArray(), signature, fast));
    }

    [Theory]
    [InlineData("RSA_2048", true)]
    [InlineData("RSA_2048", false)]
    [InlineData("ECC_256", true)]
    [InlineData("ECC_256", false)]
    [InlineData("SM2_256", true)]
    public void One_key_checks_many_signatures(string algorithm, bool fast)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "key");
        var signature = key.Sign(Data);
        var tampered = (byte[])signature.Clone();
        tampered[^1] ^= 0x80;
        Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, signature, fast));
        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data, tampered, fast));
        Assert.False(publicKey.Verify(key.SignatureAlgorithm, Data.Append((byte)1).ToArray(), signature, fast));
        Assert.True(publicKey.Verify(key.SignatureAlgorithm, Data, signature, fast));
    }

    [Theory]
    [InlineData(3, 0, "small prime factor")]   // modulus × 3
    [InlineData(743, 0, "small prime factor")] // the largest prime BouncyCastle checks
    [InlineData(2, 0, "even")]                 // modulus × 2
    public void An_rsa_key_bouncycastle_would_not_take_is_KeyUnreadable_as_before(int modulusFactor, int exponentAdd, string reason)
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportSubjectPublicKeyInfo()));
        var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
        var bad = new SubjectPublicKeyInfo(info.Algorithm, new RsaPublicKeyStructure(
            rsa.Modulus.Multiply(Org.BouncyCastle.Math.BigInteger.ValueOf(modulusFactor)),
            rsa.PublicExponent.Add(Org.BouncyCastle.Math.BigInteger.ValueOf(exponentAdd))));

        var error = Assert.Throws<Errors.PkiException>(() => PublicKeyInfo.FromSubjectPublicKeyInfo(bad.GetDerEncoded(), "bad.csr"));
        Assert.Equal(Errors.ErrorIds.KeyUnreadable, error.ErrorId);
        Assert.Contains("bad.csr", error.Message);
        Assert.Contains(reason, error.Message);
    }

    /// <summary>The CA/Browser Forum's rule (issue 16, item 5): odd, and from 3 up (to 2^256 - 1, which also keeps a check cheap).</summary>
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("65538")]
    [InlineData("0")]
    [InlineData("-65537")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639937")] // 2^256 + 1
    public void An_rsa_public_exponent_that_is_even_1_or_huge_is_RsaExponentNotAllowed(string exponent)
    {
        var error = Assert.Throws<Errors.PkiException>(() => PublicKeyInfo.FromSubjectPublicKeyInfo(WithExponent(new Org.BouncyCastle.Math.BigInteger(exponent)), "bad.csr"));
        Assert.Equal(Errors.ErrorIds.RsaExponentNotAllowed, error.ErrorId);
        Assert.Equal("bad.csr", error.Target);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("65537")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")] // 2^256 - 1
    public void An_odd_rsa_public_exponent_from_3_to_2_to_the_256_minus_1_reads(string exponent)
    {
        Assert.Equal("RSA_2048", PublicKeyInfo.FromSubjectPublicKeyInfo(WithExponent(new Org.BouncyCastle.Math.BigInteger(exponent)), "ok.csr").Description);
    }

    [Fact]
    public void An_rsa_modulus_over_16384_bits_is_RsaModulusTooLarge()
    {
        var modulus = Org.BouncyCastle.Math.BigInteger.One.ShiftLeft(PublicKeyInfo.MaxRsaBits).Add(Org.BouncyCastle.Math.BigInteger.One);
        var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, Org.BouncyCastle.Math.BigInteger.ValueOf(65537)));
        Assert.Equal(Errors.ErrorIds.RsaModulusTooLarge, Assert.Throws<Errors.PkiException>(() => PublicKeyInfo.FromSubjectPublicKeyInfo(spki.GetDerEncoded(), "big.csr")).ErrorId);
    }

    private static byte[] WithExponent(Org.BouncyCastle.Math.BigInteger exponent)
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportSubjectPublicKeyInfo()));
        var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
        return new SubjectPublicKeyInfo(info.Algorithm, new DerSequence(new DerInteger(rsa.Modulus), new DerInteger(exponent))).GetDerEncoded();
    }

    [Fact]
    public void An_rsa_key_whose_smallest_factor_is_above_743_reads()
    {
        using var key = TestKeys.For(KeySpec.Rsa(2048));
        var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportSubjectPublicKeyInfo()));
        var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
        var modulus = rsa.Modulus.Multiply(Org.BouncyCastle.Math.BigInteger.ValueOf(751));
        var odd = new SubjectPublicKeyInfo(info.Algorithm, new RsaPublicKeyStructure(modulus, rsa.PublicExponent));

        Assert.Equal("RSA_" + modulus.BitLength, PublicKeyInfo.FromSubjectPublicKeyInfo(odd.GetDerEncoded(), "odd.csr").Description);
    }

    /// <summary>The contents of the two INTEGERs of a DER ECDSA signature, as encoded (sign byte included).</summary>
    private static List<byte[]> Integers(byte[] signature) =>
        ((Asn1Sequence)Asn1Object.FromByteArray(signature)).Cast<Asn1Encodable>()
            .Select(e => ((DerInteger)e).GetEncoded().Skip(2).ToArray()).ToList();

    /// <summary>A SEQUENCE of INTEGERs with exactly these contents (short-form lengths: fine for P-256).</summary>
    private static byte[] Sequence(params byte[][] integers)
    {
        var body = integers.SelectMany(i => new byte[] { 0x02, (byte)i.Length }.Concat(i)).ToArray();
        return new byte[] { 0x30, (byte)body.Length }.Concat(body).ToArray();
    }
}
