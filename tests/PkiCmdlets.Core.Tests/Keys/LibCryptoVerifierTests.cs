using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X9;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Keys;

/// <summary>
/// The libcrypto fast path of CSR signature checks is chosen at run time, and agrees with the reference path (.NET's
/// providers and BouncyCastle) on good and tampered CSRs of every family, so turning it on or off never changes which
/// CSRs are refused.
/// </summary>
public sealed class LibCryptoVerifierTests
{
    public static TheoryData<string> Families => new() { "RSA_2048", "RSA_3072", "ECC_256", "ECC_384", "ECC_521", "SM2_256" };

    [Fact]
    public void The_fast_path_is_chosen_on_linux_with_openssl_3_and_only_there()
    {
        var openSsl3 = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && (SafeEvpPKeyHandle.OpenSslVersion >> 28) == 3;
        Assert.Equal(openSsl3, LibCryptoVerifier.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Fast_and_reference_paths_agree_on_good_and_tampered_csrs(string algorithm)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        var der = CsrBuilder.Build(SubjectName.Create("www.example.com"), new[] { NameRules.Parse("www.example.com") }, key);
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(der));
        var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(request.GetCertificationRequestInfo().SubjectPublicKeyInfo.GetDerEncoded(), "csr");
        var algorithmId = request.SignatureAlgorithm.GetDerEncoded();
        var info = request.GetCertificationRequestInfo().GetDerEncoded();
        var signature = request.Signature.GetOctets();

        var cases = new List<(string Name, byte[] Algorithm, byte[] Info, byte[] Signature, bool Valid)>
        {
            ("as signed", algorithmId, info, signature, true),
            ("a signature bit flipped", algorithmId, info, Flip(signature, signature.Length / 2), false),
            ("its last byte flipped", algorithmId, info, Flip(signature, signature.Length - 1), false),
            ("a request bit flipped", algorithmId, Flip(info, info.Length - 3), signature, false),
            ("the signature cut short", algorithmId, info, signature.Take(signature.Length - 1).ToArray(), false),
            ("a byte after the signature", algorithmId, info, signature.Append((byte)0).ToArray(), false),
            ("no signature", algorithmId, info, Array.Empty<byte>(), false),
            ("another family's algorithm", OtherAlgorithm(publicKey.Family), info, signature, false),
        };
        foreach (var (name, signatureAlgorithm, data, value, valid) in cases)
        {
            var reference = publicKey.Verify(signatureAlgorithm, data, value, fast: false);
            var withFastPath = publicKey.Verify(signatureAlgorithm, data, value, fast: true);
            Assert.True(valid == reference, $"{algorithm}, {name}: the reference path says {reference}");
            Assert.True(reference == withFastPath, $"{algorithm}, {name}: the reference path says {reference}, with the fast path {withFastPath}");
        }
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("RSA_4096")]
    [InlineData("ECC_256")]
    [InlineData("ECC_521")]
    public void Where_it_is_chosen_the_fast_path_itself_verifies_rsa_p256_and_p521_and_refuses_a_tampered_signature(string algorithm)
    {
        // Elsewhere the reference path does it all; the test above proves which machines those are.
        if (!LibCryptoVerifier.IsAvailable) return;
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        var data = "to be signed"u8.ToArray();
        var signature = key.Sign(data);
        var hash = key.Spec.Size == 521 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        var spki = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());
        if (key.Spec.Family == KeyFamily.Rsa)
        {
            var rsa = Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
            var (n, e) = (rsa.Modulus.ToByteArrayUnsigned(), rsa.PublicExponent.ToByteArrayUnsigned());
            Assert.True(LibCryptoVerifier.VerifiedRsa(n, e, hash, data, signature));
            Assert.False(LibCryptoVerifier.VerifiedRsa(n, e, hash, data, Flip(signature, 7)));
            Assert.False(LibCryptoVerifier.VerifiedRsa(n, e, hash, data.Append((byte)1).ToArray(), signature));
        }
        else
        {
            var point = spki.PublicKey.GetOctets();
            Assert.True(LibCryptoVerifier.VerifiedEcdsa(key.Spec.Size, point, hash, data, signature));
            Assert.False(LibCryptoVerifier.VerifiedEcdsa(key.Spec.Size, point, hash, data, Flip(signature, signature.Length - 1)));
            Assert.False(LibCryptoVerifier.VerifiedEcdsa(key.Spec.Size, point, hash, data.Append((byte)1).ToArray(), signature));
            // A point off the curve is refused by libcrypto itself.
            Assert.False(LibCryptoVerifier.VerifiedEcdsa(key.Spec.Size, Flip(point, point.Length - 1), hash, data, signature));
        }
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    /// <summary>A signature algorithm of another family than the key's: ECDSA-SHA256 for RSA keys, RSA-SHA256 for the rest.</summary>
    private static byte[] OtherAlgorithm(KeyFamily? family) =>
        new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(family == KeyFamily.Rsa ? X9ObjectIdentifiers.ECDsaWithSha256 : PkcsObjectIdentifiers.Sha256WithRsaEncryption)
            .GetDerEncoded();
}
