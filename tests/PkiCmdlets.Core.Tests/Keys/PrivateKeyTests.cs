using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Keys;

public sealed class PrivateKeyTests
{
    public static TheoryData<string> AllAlgorithms => new() { "RSA_2048", "RSA_3072", "RSA_4096", "ECC_256", "ECC_384", "ECC_521", "SM2_256" };

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public void Generates_a_key_of_the_requested_kind_that_openssl_reads(string algorithm)
    {
        var spec = KeySpec.FromAlgorithmName(algorithm);
        using var key = PrivateKey.Generate(spec);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
            var text = OpenSsl.Ok($"pkey -in {path} -noout -text");
            Assert.Contains(spec.Family switch
            {
                KeyFamily.Rsa => $"Private-Key: ({spec.Size} bit, 2 primes)",
                KeyFamily.Ecc => $"NIST CURVE: P-{spec.Size}",
                _ => "SM2",
            }, text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public void Pkcs8_round_trip_keeps_the_key(string algorithm)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        using var copy = PrivateKey.FromPkcs8(key.ExportPkcs8(), "copy");
        Assert.Equal(key.Spec, copy.Spec);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), copy.ExportSubjectPublicKeyInfo());
        Assert.Equal(key.ExportPkcs8(), copy.ExportPkcs8());
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(4096)]
    public void An_RSA_key_s_SubjectPublicKeyInfo_is_the_DER_the_platform_writes(int size)
    {
        using var key = TestKeys.For(KeySpec.Rsa(size));
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Two_generated_keys_differ()
    {
        using var a = PrivateKey.Generate(KeySpec.Ecc(256));
        using var b = PrivateKey.Generate(KeySpec.Ecc(256));
        Assert.NotEqual(a.ExportSubjectPublicKeyInfo(), b.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Reads_keys_openssl_wrote()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            OpenSsl.Ok($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out {folder}/ec.pem");
            OpenSsl.Ok($"genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {folder}/rsa.pem");
            OpenSsl.Ok($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out {folder}/sm2.pem");
            Assert.Equal("ECC_384", Load($"{folder}/ec.pem").Spec.AlgorithmName);
            Assert.Equal("RSA_2048", Load($"{folder}/rsa.pem").Spec.AlgorithmName);
            Assert.Equal("SM2_256", Load($"{folder}/sm2.pem").Spec.AlgorithmName);
        }
        finally
        {
            Directory.Delete(folder, true);
        }

        static PrivateKey Load(string path) =>
            PrivateKey.FromPkcs8(Pem.Decode(File.ReadAllText(path), Pem.PrivateKeyLabel), path);
    }

    [Fact]
    public void Garbage_is_KeyUnreadable_naming_the_source()
    {
        var e = Assert.Throws<PkiException>(() => PrivateKey.FromPkcs8(new byte[] { 0x30, 0x03, 0x02, 0x01 }, "broken.pem"));
        Assert.Equal(ErrorIds.KeyUnreadable, e.ErrorId);
        Assert.Contains("broken.pem", e.Message);
    }
}

public class EcPublicPointTests
{
    [Fact]
    public void A_pkcs8_whose_public_point_is_not_its_keys_is_refused()
    {
        using var a = TestKeys.For(KeySpec.Ecc(256));
        using var b = TestKeys.For(KeySpec.Ecc(256), "other");
        var aInfo = Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo.GetInstance(a.ExportPkcs8());
        var d = Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure.GetInstance(aInfo.ParsePrivateKey()).GetKey();
        var bSpki = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(b.ExportSubjectPublicKeyInfo());
        var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByOid(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1);
        var qB = curve.Curve.DecodePoint(bSpki.PublicKey.GetBytes());
        var forged = EcEncoding.PrivateKeyInfo(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, 256, d, qB);

        var error = Assert.Throws<Errors.PkiException>(() => PrivateKey.FromPkcs8(forged, "forged"));
        Assert.Equal(Errors.ErrorIds.KeyUnreadable, error.ErrorId);
    }

    [Fact]
    public void The_public_point_in_the_pkcs8_is_the_keys()
    {
        using var key = TestKeys.For(KeySpec.Ecc(384));
        using var again = PrivateKey.FromPkcs8(key.ExportPkcs8(), "again");
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), again.ExportSubjectPublicKeyInfo());
        var signature = again.Sign(new byte[] { 1, 2, 3 });
        Assert.True(PublicKeyInfo.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), "k").Verify(again.SignatureAlgorithm, new byte[] { 1, 2, 3 }, signature));
    }
}
