using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Requests;

/// <summary>
/// Nothing is issued from a request whose signature does not hold: requests openssl signs with every
/// algorithm we accept verify, and a tampered, mislabelled or garbage signature is CsrSignatureInvalid.
/// </summary>
public sealed class CsrSignatureTests : IDisposable
{
    private const string Sm2Id = "distid:1234567812345678";

    private readonly TempStore _temp = new();

    public CsrSignatureTests() => Directory.CreateDirectory(_temp.Folder);

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> OpenSslSignatures => new()
    {
        { "RSA_2048", "-sha256" },
        { "RSA_2048", "-sha384" },
        { "RSA_2048", "-sha512" },
        { "RSA_4096", "-sha256" },
        { "ECC_256", "-sha256" },
        { "ECC_256", "-sha512" },
        { "ECC_384", "-sha384" },
        { "ECC_384", "-sha256" },
        { "ECC_521", "-sha512" },
        { "ECC_521", "-sha384" },
        { "SM2_256", "-sm3 -sigopt " + Sm2Id },
    };

    [Theory]
    [MemberData(nameof(OpenSslSignatures))]
    public void A_request_openssl_signed_verifies(string algorithm, string signOptions)
    {
        var csr = CsrContent.FromText(OpenSslCsr(algorithm, signOptions), "openssl");
        Assert.Equal(algorithm, csr.PublicKeyInfo.Description);
        Assert.Equal("openssl.example.com", csr.CommonName);
    }

    [Fact]
    public void An_sm2_request_signed_with_another_distinguishing_id_is_CsrSignatureInvalid() =>
        AssertRefused(Pem.Decode(OpenSslCsr("SM2_256", "-sm3 -sigopt distid:0000000000000000"), Pem.CertificateRequestLabel));

    [Fact]
    public void An_rsa_pss_request_with_sha256_is_CsrSignatureInvalid_as_before() =>
        AssertRefused(Pem.Decode(OpenSslCsr("RSA_2048", "-sha256 -sigopt rsa_padding_mode:pss"), Pem.CertificateRequestLabel));

    [Fact]
    public void An_rsa_pss_request_with_the_default_sha1_parameters_verifies() =>
        CsrContent.FromText(OpenSslCsr("RSA_2048", "-sha1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20"), "openssl");

    public static TheoryData<string> Families => new() { "RSA_2048", "ECC_256", "ECC_384", "ECC_521", "SM2_256" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Our_own_request_verifies_and_a_flipped_signature_bit_is_CsrSignatureInvalid(string algorithm)
    {
        var der = OurCsr(algorithm);
        Assert.Equal(algorithm, CsrContent.FromDer(der, "ours").PublicKeyInfo.Description);

        der[^1] ^= 0x01; // the signature's last byte: s for ECDSA and SM2, so its DER stays well formed
        AssertRefused(der);
    }

    public static TheoryData<string, string> WrongAlgorithms => new()
    {
        { "RSA_2048", "1.2.840.10045.4.3.2" },   // ecdsa-with-SHA256
        { "RSA_2048", "1.2.840.113549.1.1.12" }, // sha384WithRSAEncryption over a SHA-256 signature
        { "RSA_2048", "1.2.840.113549.1.1.10" }, // RSASSA-PSS over a PKCS#1 v1.5 signature
        { "RSA_2048", "1.2.156.10197.1.501" },   // SM2-with-SM3
        { "ECC_256", "1.2.840.113549.1.1.11" },  // sha256WithRSAEncryption
        { "ECC_256", "1.2.840.10045.4.3.3" },    // ecdsa-with-SHA384 over a SHA-256 signature
        { "ECC_256", "1.2.156.10197.1.501" },
        { "ECC_384", "1.2.840.10045.4.3.2" },
        { "ECC_521", "1.2.840.10045.4.3.3" },
        { "SM2_256", "1.2.840.10045.4.3.2" },
        { "SM2_256", "1.2.840.113549.1.1.11" },
        { "ECC_256", "1.2.3.4" },                // no signature algorithm at all
        { "RSA_2048", "1.3.101.112" },           // Ed25519
    };

    [Theory]
    [MemberData(nameof(WrongAlgorithms))]
    public void A_signature_labelled_with_the_wrong_algorithm_for_the_key_is_CsrSignatureInvalid(string algorithm, string claimed)
    {
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(OurCsr(algorithm)));
        var relabelled = new CertificationRequest(request.GetCertificationRequestInfo(),
            new AlgorithmIdentifier(new DerObjectIdentifier(claimed)), request.Signature);
        AssertRefused(relabelled.GetDerEncoded());
    }

    public static TheoryData<string, string> Garbage
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var algorithm in new[] { "RSA_2048", "ECC_256", "ECC_521", "SM2_256" })
            {
                foreach (var garbage in new[] { "", "00", "3000", "300602010102", "30060201010201", "3006020100020101", "30070201010201ff",
                    new string('f', 1024), new string('0', 512), "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" })
                {
                    data.Add(algorithm, garbage);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_signature_bytes_are_CsrSignatureInvalid(string algorithm, string signatureHex)
    {
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(OurCsr(algorithm)));
        var replaced = new CertificationRequest(request.GetCertificationRequestInfo(), request.SignatureAlgorithm,
            new DerBitString(Hex.Parse(signatureHex)));
        AssertRefused(replaced.GetDerEncoded());
    }

    private static byte[] OurCsr(string algorithm)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
        return CsrBuilder.Build(SubjectName.Create("ours.example.com"), new[] { NameRules.Parse("ours.example.com") }, key);
    }

    /// <summary>A request openssl makes and signs with the cached test key of <paramref name="algorithm"/>.</summary>
    private string OpenSslCsr(string algorithm, string signOptions)
    {
        var keyPath = Path.Combine(_temp.Folder, Guid.NewGuid().ToString("N") + ".key");
        using (var key = TestKeys.For(KeySpec.FromAlgorithmName(algorithm)))
        {
            File.WriteAllText(keyPath, Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
        }
        return OpenSsl.Ok($"req -new -key {keyPath} -subj /CN=openssl.example.com -addext subjectAltName=DNS:openssl.example.com {signOptions}");
    }

    private static void AssertRefused(byte[] der)
    {
        var error = Assert.Throws<PkiException>(() => CsrContent.FromDer(der, "tampered.csr"));
        Assert.Equal(ErrorIds.CsrSignatureInvalid, error.ErrorId);
        Assert.Contains("tampered.csr", error.Message);
    }
}
