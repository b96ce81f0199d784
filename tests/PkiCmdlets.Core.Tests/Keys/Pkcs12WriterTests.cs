using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Keys;

/// <summary>openssl and .NET's own loader judge every PFX we write.</summary>
public sealed class Pkcs12WriterTests : IDisposable
{
    private const string Password = "correct horse";

    private readonly string _folder = Directory.CreateTempSubdirectory().FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    public static TheoryData<string, PfxEncryption> KeysAndEncryptions => new()
    {
        { "RSA_2048", PfxEncryption.Aes256Sha256 },
        { "RSA_2048", PfxEncryption.TripleDesSha1 },
        { "ECC_256", PfxEncryption.Aes256Sha256 },
        { "ECC_256", PfxEncryption.TripleDesSha1 },
    };

    public static TheoryData<PfxEncryption> Encryptions => new() { PfxEncryption.Aes256Sha256, PfxEncryption.TripleDesSha1 };

    [Fact]
    public void The_default_form_is_pbes2_aes256_with_a_sha256_mac_and_10000_iterations()
    {
        var chain = Chain.Create("ECC_256");
        var info = OpenSsl.Ok($"pkcs12 -in {WritePfx(chain, PfxEncryption.Aes256Sha256)} -info -noout -passin file:{WritePassword(Password)}");
        Assert.Contains("MAC: sha256, Iteration 10000", info);
        Assert.Contains("MAC length: 32", info);
        Assert.Contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256", info);
        Assert.Contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256", info);
        Assert.Equal(2, Regex.Matches(info, "Certificate bag").Count);
    }

    [Fact]
    public void The_legacy_form_is_3des_with_a_sha1_mac_and_10000_iterations()
    {
        var chain = Chain.Create("ECC_256");
        var info = OpenSsl.Ok($"pkcs12 -in {WritePfx(chain, PfxEncryption.TripleDesSha1)} -info -noout -passin file:{WritePassword(Password)}");
        Assert.Contains("MAC: sha1, Iteration 10000", info);
        Assert.Contains("MAC length: 20", info);
        Assert.Contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 10000", info);
        Assert.Contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 10000", info);
        Assert.DoesNotContain("PBES2", info);
        Assert.Equal(2, Regex.Matches(info, "Certificate bag").Count);
    }

    [Theory]
    [MemberData(nameof(KeysAndEncryptions))]
    public void Openssl_extracts_the_leaf_key_and_every_certificate_in_order(string algorithm, PfxEncryption encryption)
    {
        var chain = Chain.Create(algorithm);
        var pem = Path.Combine(_folder, "out.pem");
        OpenSsl.Ok($"pkcs12 -in {WritePfx(chain, encryption)} -nodes -passin file:{WritePassword(Password)} -out {pem}");

        Assert.Equal(chain.Certificates, PemBlocks(File.ReadAllText(pem), "CERTIFICATE"));
        var publicKey = Path.Combine(_folder, "public.der");
        OpenSsl.Ok($"pkey -in {pem} -pubout -outform DER -out {publicKey}");
        Assert.Equal(chain.LeafPublicKey, File.ReadAllBytes(publicKey));
    }

    [Fact]
    public void The_leaf_and_its_key_share_a_localKeyId_and_the_friendly_name()
    {
        var chain = Chain.Create("ECC_256");
        var path = Path.Combine(_folder, "named.pfx");
        File.WriteAllBytes(path, Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(Password), PfxEncryption.Aes256Sha256, "Web server"));

        var text = OpenSsl.Ok($"pkcs12 -in {path} -nodes -passin file:{WritePassword(Password)}");
        var localKeyId = string.Join(" ", SHA1.HashData(chain.Certificates[0]).Select(b => b.ToString("X2")));
        // The leaf certificate and the key carry both attributes; the root carries none.
        Assert.Equal(2, Regex.Matches(text, "localKeyID: " + localKeyId).Count);
        Assert.Equal(2, Regex.Matches(text, "localKeyID").Count);
        Assert.Equal(2, Regex.Matches(text, "friendlyName: Web server").Count);
        Assert.Equal(2, Regex.Matches(text, "friendlyName").Count);

        Assert.DoesNotContain("friendlyName", OpenSsl.Ok($"pkcs12 -in {WritePfx(chain, PfxEncryption.Aes256Sha256)} -nodes -passin file:{WritePassword(Password)}"));
    }

    [Theory]
    [MemberData(nameof(KeysAndEncryptions))]
    public void Dotnet_loads_the_leaf_with_a_key_that_signs_for_its_public_key(string algorithm, PfxEncryption encryption)
    {
        var chain = Chain.Create(algorithm);
        var pfx = Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(Password), encryption);

        using var leaf = X509CertificateLoader.LoadPkcs12(pfx, Password);
        Assert.Equal(chain.Certificates[0], leaf.RawData);
        Assert.True(leaf.HasPrivateKey);
        var data = "to be signed"u8.ToArray();
        if (algorithm.StartsWith("RSA", StringComparison.Ordinal))
        {
            using var key = leaf.GetRSAPrivateKey()!;
            using var publicKey = leaf.GetRSAPublicKey()!;
            var signature = key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        else
        {
            using var key = leaf.GetECDsaPrivateKey()!;
            using var publicKey = leaf.GetECDsaPublicKey()!;
            var signature = key.SignData(data, HashAlgorithmName.SHA256);
            Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }

        var collection = X509CertificateLoader.LoadPkcs12Collection(pfx, Password);
        try
        {
            AssertSameCertificates(chain.Certificates, collection);
            Assert.Equal(chain.Certificates[0], Assert.Single(collection, c => c.HasPrivateKey).RawData);
        }
        finally
        {
            foreach (var certificate in collection) certificate.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Encryptions))]
    public void A_wrong_password_fails_the_mac_in_openssl_and_dotnet(PfxEncryption encryption)
    {
        var chain = Chain.Create("ECC_256");
        var path = WritePfx(chain, encryption);

        var result = OpenSsl.Run($"pkcs12 -in {path} -info -noout -passin pass:wrong");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Mac verify error", result.All);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), "wrong"));
    }

    [Theory]
    [MemberData(nameof(Encryptions))]
    public void A_certificate_only_pfx_opens_in_openssl_and_dotnet_without_a_key(PfxEncryption encryption)
    {
        var chain = Chain.Create("ECC_256");
        var path = Path.Combine(_folder, "certs.pfx");
        File.WriteAllBytes(path, Pkcs12Writer.Write(chain.Certificates, null, Secure(Password), encryption));

        var info = OpenSsl.Ok($"pkcs12 -in {path} -info -noout -passin file:{WritePassword(Password)}");
        Assert.DoesNotContain("Keybag", info);
        var text = OpenSsl.Ok($"pkcs12 -in {path} -nodes -passin file:{WritePassword(Password)}");
        Assert.DoesNotContain("PRIVATE KEY", text);
        Assert.Equal(chain.Certificates, PemBlocks(text, "CERTIFICATE"));

        var collection = X509CertificateLoader.LoadPkcs12Collection(File.ReadAllBytes(path), Password);
        try
        {
            AssertSameCertificates(chain.Certificates, collection);
            Assert.All(collection, c => Assert.False(c.HasPrivateKey));
        }
        finally
        {
            foreach (var certificate in collection) certificate.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Encryptions))]
    public void A_non_ascii_password_opens_in_openssl_and_dotnet(PfxEncryption encryption)
    {
        const string password = "pässwörd €";
        var chain = Chain.Create("ECC_256");
        var path = Path.Combine(_folder, "unicode.pfx");
        File.WriteAllBytes(path, Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(password), encryption));

        var pem = Path.Combine(_folder, "out.pem");
        OpenSsl.Ok($"pkcs12 -in {path} -nodes -passin file:{WritePassword(password)} -out {pem}");
        Assert.Contains("PRIVATE KEY", File.ReadAllText(pem));
        using var leaf = X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), password);
        Assert.True(leaf.HasPrivateKey);
    }

    [Fact]
    public void Writing_twice_gives_different_bytes_because_every_salt_and_iv_is_random()
    {
        var chain = Chain.Create("ECC_256");
        Assert.NotEqual(
            Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(Password), PfxEncryption.Aes256Sha256),
            Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(Password), PfxEncryption.Aes256Sha256));
    }

    [Fact]
    public void A_null_or_empty_password_is_KeyPasswordEmpty()
    {
        var chain = Chain.Create("ECC_256");
        var empty = Assert.Throws<PkiException>(() => Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, new SecureString(), PfxEncryption.Aes256Sha256));
        Assert.Equal(ErrorIds.KeyPasswordEmpty, empty.ErrorId);
        var missing = Assert.Throws<PkiException>(() => Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, null!, PfxEncryption.Aes256Sha256));
        Assert.Equal(ErrorIds.KeyPasswordEmpty, missing.ErrorId);
    }

    [Fact]
    public void No_certificate_is_PfxWithoutCertificate()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var e = Assert.Throws<PkiException>(() => Pkcs12Writer.Write(Array.Empty<byte[]>(), key.ExportPkcs8(), Secure(Password), PfxEncryption.Aes256Sha256));
        Assert.Equal(ErrorIds.PfxWithoutCertificate, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidArgument, e.Kind);
    }

    private static SecureString Secure(string text) => KeyProtectionTests.Secure(text);

    private string WritePfx(Chain chain, PfxEncryption encryption)
    {
        var path = Path.Combine(_folder, encryption + ".pfx");
        File.WriteAllBytes(path, Pkcs12Writer.Write(chain.Certificates, chain.LeafKeyPkcs8, Secure(Password), encryption));
        return path;
    }

    private string WritePassword(string password)
    {
        var path = Path.Combine(_folder, "pass.txt");
        File.WriteAllText(path, password + "\n");
        return path;
    }

    /// <summary>.NET returns a PFX's certificates in reverse file order, so only openssl judges the order.</summary>
    private static void AssertSameCertificates(IReadOnlyList<byte[]> expected, X509Certificate2Collection actual) =>
        Assert.Equal(expected.Select(Convert.ToHexString).Order(), actual.Select(c => Convert.ToHexString(c.RawData)).Order());

    private static List<byte[]> PemBlocks(string text, string label) =>
        Regex.Matches(text, $"-----BEGIN {label}-----(.*?)-----END {label}-----", RegexOptions.Singleline)
            .Select(m => Convert.FromBase64String(m.Groups[1].Value))
            .ToList();

    /// <summary>A leaf certificate for one of the shared test keys, issued by a fresh P-256 root.</summary>
    private sealed record Chain(IReadOnlyList<byte[]> Certificates, byte[] LeafKeyPkcs8, byte[] LeafPublicKey)
    {
        public static Chain Create(string algorithm)
        {
            using var leafKey = TestKeys.For(KeySpec.FromAlgorithmName(algorithm));
            var pkcs8 = leafKey.ExportPkcs8();
            var now = DateTimeOffset.UtcNow;

            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootRequest = new CertificateRequest("CN=PkiCmdlets Test Root", rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

            using AsymmetricAlgorithm key = algorithm.StartsWith("RSA", StringComparison.Ordinal) ? RSA.Create() : ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            var leafRequest = key is RSA rsa
                ? new CertificateRequest("CN=www.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=www.example.com", (ECDsa)key, HashAlgorithmName.SHA256);
            // The generator overload lets the P-256 root sign an RSA leaf.
            var rootSigner = X509SignatureGenerator.CreateForECDsa(rootKey);
            using var leaf = leafRequest.Create(root.SubjectName, rootSigner, now.AddDays(-1), now.AddDays(7), new byte[] { 1, 2, 3, 4 });

            return new Chain(new[] { leaf.RawData, root.RawData }, pkcs8, leafKey.ExportSubjectPublicKeyInfo());
        }
    }
}
