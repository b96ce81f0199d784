using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// Import-CA takes only CAs that can sign what others accept (issue 16, item 13): everything such a CA issued used to fail
/// openssl verify. Each is refused with CaImportUnusable, naming why, before the store is touched.
/// </summary>
public sealed class ImportRulesTests : IDisposable
{
    private const int CaUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign;

    private static readonly byte[] From = CraftedCertificate.Time("20250101000000Z");
    private static readonly byte[] Until = CraftedCertificate.Time("20450101000000Z");

    private readonly TempStore _temp = new();

    public ImportRulesTests() => Directory.CreateDirectory(_temp.Folder);

    public void Dispose() => _temp.Dispose();

    /// <summary>Imports the certificate with its key and requires <paramref name="errorId"/> with <paramref name="reason"/>, and no change to the store.</summary>
    private PkiException Refused(byte[] certificate, string errorId, string reason)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), "imported");
        var certificatePath = Path.Combine(_temp.Folder, "ca.crt");
        var keyPath = Path.Combine(_temp.Folder, "ca.key");
        File.WriteAllText(certificatePath, Pem.Encode(Pem.CertificateLabel, certificate));
        File.WriteAllText(keyPath, Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
        var before = _temp.Snapshot();

        var error = Assert.Throws<PkiException>(() => new CaImportService(_temp.Open()).Import(new ImportCaRequest { CertificatePath = certificatePath, KeyPath = keyPath, NoPassword = true }));

        Assert.True(errorId == error.ErrorId, "expected " + errorId + ", got " + error.ErrorId + ": " + error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(certificatePath, error.Target);
        Assert.Equal(before, _temp.Snapshot());
        return error;
    }

    private static byte[] Ca(byte[]? notBefore = null, byte[]? notAfter = null, params byte[][] extensions)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), "imported");
        return CraftedCertificate.SelfSigned(key, "Crafted CA", notBefore ?? From, notAfter ?? Until, extensions);
    }

    [Fact]
    public void A_well_formed_crafted_ca_is_imported()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), "imported");
        var path = Path.Combine(_temp.Folder, "good.crt");
        File.WriteAllText(path, Pem.Encode(Pem.CertificateLabel, Ca(extensions: new[] { CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage) })));
        File.WriteAllText(path + ".key", Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
        Assert.True(new CaImportService(_temp.Open()).Import(new ImportCaRequest { CertificatePath = path, KeyPath = path + ".key", NoPassword = true }).IsRoot);
    }

    [Fact]
    public void A_ca_whose_key_usage_lacks_keyCertSign_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[] { CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(KeyUsage.DigitalSignature | KeyUsage.CrlSign) }),
            ErrorIds.CaImportUnusable, "keyCertSign");

    [Fact]
    public void A_ca_whose_key_usage_lacks_cRLSign_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[] { CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(KeyUsage.KeyCertSign) }), ErrorIds.CaImportUnusable, "cRLSign");

    [Fact]
    public void A_ca_without_key_usage_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[] { CraftedCertificate.CaConstraints() }), ErrorIds.CaImportUnusable, "no keyUsage");

    [Fact]
    public void A_ca_with_an_unknown_critical_extension_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[]
        {
            CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage),
            CraftedCertificate.Extension(new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), true, DerNull.Instance.GetDerEncoded()),
        }), ErrorIds.CaImportUnusable, "1.3.6.1.4.1.99999.1");

    [Fact]
    public void A_ca_whose_basic_constraints_are_not_critical_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[] { CraftedCertificate.CaConstraints(critical: false), CraftedCertificate.Usage(CaUsage) }), ErrorIds.CaImportUnusable, "critical");

    [Fact]
    public void A_ca_whose_basic_constraints_are_malformed_is_CaImportUnusable() =>
        Refused(Ca(extensions: new[] { CraftedCertificate.Extension(X509Extensions.BasicConstraints, true, DerInteger.ValueOf(5).GetDerEncoded()), CraftedCertificate.Usage(CaUsage) }),
            ErrorIds.CaImportUnusable, "basicConstraints");

    [Fact]
    public void A_ca_with_name_constraints_issuing_cannot_check_is_CaImportUnusable()
    {
        var email = new NameConstraints(new GeneralSubtrees(new[] { new GeneralSubtree(new GeneralName(GeneralName.Rfc822Name, "example.com")) }), null);
        Refused(Ca(extensions: new[] { CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage), CraftedCertificate.Extension(X509Extensions.NameConstraints, true, email.GetDerEncoded()) }),
            ErrorIds.CaImportUnusable, "name constraints");
    }

    [Fact]
    public void A_ca_whose_not_before_is_after_its_not_after_is_CaImportUnusable() =>
        Refused(Ca(CraftedCertificate.Time("20400101000000Z"), CraftedCertificate.Time("20300101000000Z"), CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage)),
            ErrorIds.CaImportUnusable, "notBefore");

    public static TheoryData<string> BrokenTimes() => new() { "20251301000000Z", "20250132000000Z", "2025010100000Z", "20250101250000Z", "991301000000Z", "not a date!!Z" };

    [Theory]
    [MemberData(nameof(BrokenTimes))]
    public void A_ca_whose_dates_cannot_be_read_is_refused_before_the_store_is_touched(string time)
    {
        var error = Refused(Ca(From, CraftedCertificate.Time(time), CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage)),
            ErrorIds.CaImportUnusable, "dates");
        Assert.IsType<PkiException>(error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(65536)]
    public void A_ca_whose_rsa_public_exponent_is_even_or_1_is_RsaExponentNotAllowed(int exponent)
    {
        using var rsa = TestKeys.For(KeySpec.Rsa(2048));
        using var signer = TestKeys.For(KeySpec.Ecc(256), "imported");
        var modulus = RsaPublicKeyStructure.GetInstance(SubjectPublicKeyInfo.GetInstance(rsa.ExportSubjectPublicKeyInfo()).ParsePublicKey()).Modulus;
        var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, Org.BouncyCastle.Math.BigInteger.ValueOf(exponent)));
        var certificate = CraftedCertificate.SelfSigned(signer, "Exponent CA", From, Until, spki.GetDerEncoded(), CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage));
        Refused(certificate, ErrorIds.RsaExponentNotAllowed, "public exponent of " + exponent);
    }
}
