using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Requests;

/// <summary>openssl judges every CSR we write: its signature verifies, and its text shows exactly what we set.</summary>
public sealed class CsrOpenSslTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, string> Algorithms => new()
    {
        { "RSA_2048", "Public-Key: (2048 bit)", "sha256WithRSAEncryption" },
        { "RSA_3072", "Public-Key: (3072 bit)", "sha256WithRSAEncryption" },
        { "RSA_4096", "Public-Key: (4096 bit)", "sha256WithRSAEncryption" },
        { "ECC_256", "NIST CURVE: P-256", "ecdsa-with-SHA256" },
        { "ECC_384", "NIST CURVE: P-384", "ecdsa-with-SHA384" },
        { "ECC_521", "NIST CURVE: P-521", "ecdsa-with-SHA512" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Csr_verifies_and_shows_exactly_the_subject_and_sans_we_set(string algorithm, string keyLine, string signatureAlgorithm)
    {
        var csr = CreateFull(algorithm);
        var path = Write(csr);

        var verify = OpenSsl.Ok($"req -in {path} -noout -verify");
        Assert.Contains("verify OK", verify, StringComparison.OrdinalIgnoreCase);

        var text = OpenSsl.Ok($"req -in {path} -noout -text -nameopt RFC2253");
        Assert.Contains(keyLine, text);
        Assert.Contains("Signature Algorithm: " + signatureAlgorithm, text);
        AssertSubjectAndSans(path, text);
    }

    [Fact]
    public void Sm2_csr_verifies_with_openssl_3_given_the_default_distinguishing_id()
    {
        var csr = CreateFull("SM2");
        var path = Write(csr);

        // OpenSSL 3.0 verifies an SM2 signature with the distinguishing id it is told, and is told none
        // by default: -vfyopt distid:1234567812345678 (GM/T 0009's default, which we sign with) is needed.
        // Without it the check fails, and `openssl req -verify` still exits 0: read its words, not its code.
        var withoutId = OpenSsl.Run($"req -in {path} -noout -verify");
        Assert.Contains("verify failure", withoutId.All);
        Assert.Equal(0, withoutId.ExitCode);

        var verify = OpenSsl.Ok($"req -in {path} -noout -verify -vfyopt distid:1234567812345678");
        Assert.Contains("verify OK", verify, StringComparison.OrdinalIgnoreCase);

        var text = OpenSsl.Ok($"req -in {path} -noout -text -nameopt RFC2253");
        Assert.Contains("SM2", text);
        Assert.Contains("Signature Algorithm: SM2-with-SM3", text);
        AssertSubjectAndSans(path, text);
    }

    [Fact]
    public void Sm2_csr_fails_openssl_verification_with_a_different_distinguishing_id()
    {
        var path = Write(CreateFull("SM2"));
        var wrong = OpenSsl.Run($"req -in {path} -noout -verify -vfyopt distid:0000000000000000");
        Assert.DoesNotContain("verify OK", wrong.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Public_key_fingerprints_match_what_openssl_computes_from_the_csr()
    {
        var csr = CreateFull("ECC_256");
        var path = Write(csr);
        var spki = Path.Combine(_temp.Folder, "spki.der");
        OpenSsl.Ok($"req -in {path} -noout -pubkey -out {spki}.pem");
        OpenSsl.Ok($"pkey -pubin -in {spki}.pem -outform DER -out {spki}");

        Assert.Contains(csr.PublicKeyMd5!, OpenSsl.Ok($"dgst -md5 {spki}"));
        Assert.Contains(csr.PublicKeySha256!, OpenSsl.Ok($"dgst -sha256 {spki}"));
    }

    [Fact]
    public void Unencrypted_key_matches_the_csr_public_key()
    {
        var csr = CreateFull("ECC_384");
        var fromKey = OpenSsl.Ok($"pkey -in {csr.KeyPath} -pubout");
        var fromCsr = OpenSsl.Ok($"req -in {Write(csr)} -noout -pubkey");
        Assert.Equal(fromCsr.Trim(), fromKey.Trim());
    }

    private CertificateSigningRequest CreateFull(string algorithm) =>
        Services.Csrs(_temp.Open()).Create(new NewCsrRequest
        {
            CommonName = "www.example.com",
            SubjectAlternativeNames = new[] { "example.com, bücher.example", "192.0.2.10", "2001:db8::1", "ops@example.com" },
            Country = "de",
            State = "Berlin",
            Locality = "Berlin",
            Organization = "Contoso, Ltd",
            OrganizationalUnit = "IT",
            Email = "admin@example.com",
            Algorithm = algorithm,
        });

    private string Write(CertificateSigningRequest csr)
    {
        var path = Path.Combine(_temp.Folder, csr.Id + ".csr");
        File.WriteAllText(path, csr.Csr);
        return path;
    }

    private static void AssertSubjectAndSans(string path, string text)
    {
        var subject = OpenSsl.Ok($"req -in {path} -noout -subject -nameopt RFC2253").Trim();
        Assert.Equal(@"subject=emailAddress=admin@example.com,CN=www.example.com,OU=IT,O=Contoso\, Ltd,L=Berlin,ST=Berlin,C=DE", subject);
        Assert.Contains("DNS:www.example.com, DNS:example.com, DNS:xn--bcher-kva.example, IP Address:192.0.2.10, IP Address:2001:DB8:0:0:0:0:0:1, email:ops@example.com", text);
    }
}
