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

    /// <summary>RSA-PSS requests as openssl signs them (issue 16, item 16): an rsaEncryption key with PSS signatures of each hash and salt length.</summary>
    public static TheoryData<string> PssSignatures => new()
    {
        "-sha256 -sigopt rsa_padding_mode:pss",
        "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest",
        "-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max",
        "-sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:0",
    };

    [Theory]
    [MemberData(nameof(PssSignatures))]
    public void An_rsa_pss_request_verifies(string signOptions)
    {
        var csr = CsrContent.FromText(OpenSslCsr("RSA_2048", signOptions), "openssl");
        Assert.Equal("RSA_2048", csr.PublicKeyInfo.Description);
        Assert.False(csr.PublicKeyInfo.PssOnly);
    }

    [Fact]
    public void An_rsa_pss_request_with_a_flipped_signature_bit_is_CsrSignatureInvalid()
    {
        var der = Pem.Decode(OpenSslCsr("RSA_2048", "-sha256 -sigopt rsa_padding_mode:pss"), Pem.CertificateRequestLabel);
        der[^1] ^= 0x01;
        AssertRefused(der);
    }

    [Fact]
    public void A_request_for_a_key_restricted_to_rsa_pss_verifies()
    {
        var keyPath = Path.Combine(_temp.Folder, "pss.key");
        OpenSsl.Ok($"genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 -out {keyPath}");
        var csr = CsrContent.FromText(OpenSsl.Ok($"req -new -key {keyPath} -subj /CN=pss.example.com -addext subjectAltName=DNS:pss.example.com"), "openssl");
        Assert.True(csr.PublicKeyInfo.PssOnly);
        Assert.Equal("RSA-PSS_2048", csr.PublicKeyInfo.Description);
    }

    /// <summary>
    /// A certificate issued from an RSA-PSS request is signed the CA's way (PKCS#1 v1.5 with SHA-256 for an RSA CA), and
    /// for a key restricted to PSS has no keyEncipherment; openssl verifies both.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_certificate_from_an_rsa_pss_request_is_signed_with_the_cas_scheme_and_verifies(bool pssKey)
    {
        using var hierarchy = new Hierarchy("RSA_2048");
        var keyPath = Path.Combine(_temp.Folder, "leaf.key");
        if (pssKey) OpenSsl.Ok($"genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out {keyPath}");
        else OpenSsl.Ok($"genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {keyPath}");
        var csr = OpenSsl.Ok($"req -new -key {keyPath} -subj /CN=pss.example.com -sha256 -sigopt rsa_padding_mode:pss");

        var issued = hierarchy.Issue(csr);

        Assert.Equal("1.2.840.113549.1.1.11", issued.Certificate.SignatureAlgorithm.Value);
        var usage = issued.Certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509KeyUsageExtension>().Single().KeyUsages;
        Assert.Equal(!pssKey, usage.HasFlag(System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment));
        var root = Path.Combine(_temp.Folder, "root.pem");
        var sub = Path.Combine(_temp.Folder, "sub.pem");
        var leaf = Path.Combine(_temp.Folder, "leaf.pem");
        File.WriteAllText(root, hierarchy.Root.Pem);
        File.WriteAllText(sub, hierarchy.Sub.Pem);
        File.WriteAllText(leaf, issued.X509Certificate);
        OpenSsl.Ok($"verify -x509_strict -purpose sslserver -CAfile {root} -untrusted {sub} {leaf}");
    }

    /// <summary>PSS with SHA-1, the parameters' default, is refused like every SHA-1 signature.</summary>
    [Fact]
    public void An_rsa_pss_request_with_the_default_sha1_parameters_is_CsrSignatureAlgorithmNotAllowed()
    {
        var error = Assert.Throws<PkiException>(() => CsrContent.FromText(OpenSslCsr("RSA_2048", "-sha1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20"), "openssl"));
        Assert.Equal(ErrorIds.CsrSignatureAlgorithmNotAllowed, error.ErrorId);
        Assert.Contains("RSASSA-PSS with SHA-1", error.Message);
    }

    [Fact]
    public void A_request_signed_with_an_algorithm_that_is_none_is_CsrSignatureAlgorithmNotAllowed()
    {
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(OurCsr("ECC_256")));
        var relabelled = new CertificationRequest(request.GetCertificationRequestInfo(), new AlgorithmIdentifier(new DerObjectIdentifier("1.2.3.4")), request.Signature);
        Assert.Equal(ErrorIds.CsrSignatureAlgorithmNotAllowed, Assert.Throws<PkiException>(() => CsrContent.FromDer(relabelled.GetDerEncoded(), "x")).ErrorId);
    }

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
        { "RSA_2048", "1.2.156.10197.1.501" },   // SM2-with-SM3
        { "ECC_256", "1.2.840.113549.1.1.11" },  // sha256WithRSAEncryption
        { "ECC_256", "1.2.840.10045.4.3.3" },    // ecdsa-with-SHA384 over a SHA-256 signature
        { "ECC_256", "1.2.156.10197.1.501" },
        { "ECC_384", "1.2.840.10045.4.3.2" },
        { "ECC_521", "1.2.840.10045.4.3.3" },
        { "SM2_256", "1.2.840.10045.4.3.2" },
        { "SM2_256", "1.2.840.113549.1.1.11" },
        { "RSA_2048", "1.3.101.112" },           // Ed25519
    };

    [Fact]
    public void A_pkcs1_signature_labelled_rsa_pss_is_CsrSignatureInvalid()
    {
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(OurCsr("RSA_2048")));
        var sha256 = new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, DerNull.Instance);
        var pss = new RsassaPssParameters(sha256, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, sha256), DerInteger.ValueOf(32), DerInteger.ValueOf(1));
        var relabelled = new CertificationRequest(request.GetCertificationRequestInfo(), new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, pss), request.Signature);
        AssertRefused(relabelled.GetDerEncoded());
    }

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
