using System.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Keys;

public sealed class KeyProtectionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory().FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    [Fact]
    public void Openssl_decrypts_our_key_with_the_password_and_sees_pbes2_aes256_sha256()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var path = Path.Combine(_folder, "key.pem");
        File.WriteAllText(path, Pem.Encode(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(key.ExportPkcs8(), Secure("pässwörd 1"))));

        var plain = OpenSsl.Ok($"pkcs8 -in {path} -passin file:{WritePassword("pässwörd 1")}");
        Assert.Contains("-----BEGIN PRIVATE KEY-----", plain);
        Assert.Equal(key.ExportPkcs8(), Pem.Decode(plain, Pem.PrivateKeyLabel));

        var structure = OpenSsl.Ok($"asn1parse -in {path}");
        Assert.Contains("PBES2", structure);
        Assert.Contains("PBKDF2", structure);
        Assert.Contains("hmacWithSHA256", structure);
        Assert.Contains("aes-256-cbc", structure);
        Assert.Contains(":0927C0", structure); // 600,000 iterations
    }

    [Fact]
    public void Openssl_refuses_a_wrong_password()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var path = Path.Combine(_folder, "key.pem");
        File.WriteAllText(path, Pem.Encode(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(key.ExportPkcs8(), Secure("right"), 1000)));
        Assert.NotEqual(0, OpenSsl.Run($"pkcs8 -in {path} -passin pass:wrong").ExitCode);
    }

    [Fact]
    public void We_decrypt_what_openssl_encrypted()
    {
        OpenSsl.Ok($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:s3cret -out {_folder}/k.pem");
        var der = KeyProtection.Decrypt(Pem.Decode(File.ReadAllText($"{_folder}/k.pem"), Pem.EncryptedPrivateKeyLabel), Secure("s3cret"), "k.pem");
        using var key = PrivateKey.FromPkcs8(der, "k.pem");
        Assert.Equal("ECC_256", key.Spec.AlgorithmName);
    }

    [Fact]
    public void A_wrong_password_is_KeyPasswordIncorrect_and_never_shows_the_password()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var encrypted = KeyProtection.Encrypt(key.ExportPkcs8(), Secure("correct horse"), 1000);
        var e = Assert.Throws<PkiException>(() => KeyProtection.Decrypt(encrypted, Secure("battery staple"), "web.key"));
        Assert.Equal(ErrorIds.KeyPasswordIncorrect, e.ErrorId);
        Assert.Equal(PkiErrorKind.SecurityError, e.Kind);
        Assert.Contains("web.key", e.Message);
        Assert.DoesNotContain("battery", e.ToString());
        Assert.DoesNotContain("horse", e.ToString());
    }

    [Fact]
    public void Encryption_is_salted_so_two_encryptions_differ()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        Assert.NotEqual(KeyProtection.Encrypt(key.ExportPkcs8(), Secure("pw"), 1000), KeyProtection.Encrypt(key.ExportPkcs8(), Secure("pw"), 1000));
    }

    [Fact]
    public void An_empty_password_is_refused()
    {
        var e = Assert.Throws<PkiException>(() => KeyProtection.RequireNonEmpty(new SecureString()));
        Assert.Equal(ErrorIds.KeyPasswordEmpty, e.ErrorId);
    }

    private string WritePassword(string password)
    {
        var path = Path.Combine(_folder, "pass.txt");
        File.WriteAllText(path, password + "\n");
        return path;
    }
}
