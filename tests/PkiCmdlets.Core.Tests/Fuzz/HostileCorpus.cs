using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Formats;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Fuzz;

/// <summary>One generated hostile file and the error it must be refused with.</summary>
public sealed record HostileInput(string Name, byte[] Bytes, string ErrorId);

/// <summary>
/// The generated hostile inputs of issue 16, one list per parser, each input with the specific error it must meet: deep
/// nesting (definite, BER indefinite, hidden inside strings, inside what a password decrypts), lengths and sizes past the
/// limits, iteration counts out of range, and every content problem the probe found. Deterministic and small: about a
/// hundred files, most of a few kilobytes.
/// </summary>
public static class HostileCorpus
{
    private const int Deep = 40_000;
    private const int CaUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign;
    private static readonly byte[] From = CraftedCertificate.Time("20250101000000Z");
    private static readonly byte[] Until = CraftedCertificate.Time("20450101000000Z");

    /// <summary>The role of the cached P-256 key the corpus's CA certificate and key files use.</summary>
    public const string CaKeyRole = "hostile-ca";

    private static string Armoured(string label, byte[] der) => Pem.Encode(label, der);

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] DeepDefinite => DerInputTests.NestedDefinite(Deep);

    private static byte[] DeepIndefinite => DerInputTests.NestedIndefinite(Deep);

    /// <summary>Deep nesting inside an OCTET STRING inside a SEQUENCE: shallow to a parser's first look.</summary>
    private static byte[] DeepInOctets => new DerSequence(new DerOctetString(DerInputTests.NestedDefinite(5_000))).GetEncoded();

    /// <summary>Deep nesting split across the segments of a constructed (BER) OCTET STRING.</summary>
    private static byte[] DeepInSegments
    {
        get
        {
            var deep = DerInputTests.NestedDefinite(5_000);
            var segments = new BerOctetString(new Asn1OctetString[] { new DerOctetString(deep.Take(700).ToArray()), new DerOctetString(deep.Skip(700).ToArray()) });
            return new BerSequence(segments).GetEncoded();
        }
    }

    private static byte[] ClaimsTwoGigabytes => new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x05 };

    /// <summary>Random bytes that do not start like DER (a SEQUENCE), so they are read as text.</summary>
    private static byte[] Garbage(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = (byte)'G';
        return bytes;
    }

    private static Asn1Set San(params GeneralName[] names) => CraftedCsr.Extensions(CraftedCsr.SubjectAltName(names));

    private static GeneralName Dns(string name) => new(GeneralName.DnsName, name);

    private static byte[] SignedWith(string signatureAlgorithm, string keyAlgorithm)
    {
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(keyAlgorithm));
        return new Pkcs10CertificationRequest(signatureAlgorithm, new X509Name("CN=weak.example.com"),
            PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo()), null, PrivateKeyFactory.CreateKey(key.ExportPkcs8())).GetEncoded();
    }

    /// <summary>Requests, as New-ServerCertificate -CsrPath and -Csr read them.</summary>
    public static IEnumerable<HostileInput> Requests()
    {
        var good = Pem.Decode(Hierarchy.Csr(KeySpec.Ecc(256), "good.example.com", "good.example.com"), Pem.CertificateRequestLabel);
        var label = Pem.CertificateRequestLabel;
        yield return new("deep-definite.der", DeepDefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-indefinite.der", DeepIndefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-definite.pem", Text(Armoured(label, DeepDefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-indefinite.pem", Text(Armoured(label, DeepIndefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-utf16.pem", new UnicodeEncoding(false, true).GetPreamble().Concat(Encoding.Unicode.GetBytes(Armoured(label, DeepDefinite))).ToArray(), ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-octets.pem", Text(Armoured(label, DeepInOctets)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-segments.pem", Text(Armoured(label, DeepInSegments)), ErrorIds.InputNestingTooDeep);
        var deepExtension = CraftedCsr.Extension(new DerObjectIdentifier("1.2.3.4"), DerInputTests.NestedDefinite(5_000));
        yield return new("deep-in-extension.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("deep.example.com"), CraftedCsr.Extensions(deepExtension)))), ErrorIds.InputNestingTooDeep);
        yield return new("too-large.pem", Text(Armoured(label, good) + new string('#', DerInput.MaxBytes)), ErrorIds.InputTooLarge);
        yield return new("claims-2gb.der", ClaimsTwoGigabytes, ErrorIds.CsrUnreadable);
        yield return new("truncated.pem", Text(Armoured(label, good.Take(good.Length / 2).ToArray())), ErrorIds.CsrUnreadable);
        var tampered = (byte[])good.Clone();
        tampered[^1] ^= 1;
        yield return new("tampered.pem", Text(Armoured(label, tampered)), ErrorIds.CsrSignatureInvalid);
        foreach (var octets in new[] { 0, 5, 8, 17 })
        {
            yield return new("ip-" + octets + "-octets.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("ip.example.com"),
                San(Dns("ip.example.com"), new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[octets])))))), ErrorIds.InvalidIpAddress);
        }
        yield return new("san-twice.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("a.example.com"),
            CraftedCsr.Extensions(CraftedCsr.SubjectAltName(Dns("a.example.com")), CraftedCsr.SubjectAltName(Dns("b.example.com")))))), ErrorIds.CsrExtensionInvalid);
        yield return new("san-integer.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("a.example.com"),
            CraftedCsr.Extensions(CraftedCsr.Extension(X509Extensions.SubjectAlternativeName, DerInteger.ValueOf(7)))))), ErrorIds.CsrExtensionInvalid);
        yield return new("extension-request-integer.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("a.example.com"), CraftedCsr.ExtensionRequest(DerInteger.ValueOf(1))))), ErrorIds.CsrExtensionInvalid);
        var request = CertificationRequest.GetInstance(good);
        yield return new("signature-unused-bits.pem", Text(Armoured(label, new CertificationRequest(request.GetCertificationRequestInfo(), request.SignatureAlgorithm,
            new DerBitString(request.Signature.GetOctets(), 1)).GetEncoded())), ErrorIds.CsrUnreadable);
        yield return new("rsa-exponent-1.pem", Text(Armoured(label, CraftedCsr.WithRsaExponentOne("forged.example.com"))), ErrorIds.RsaExponentNotAllowed);
        yield return new("md5.pem", Text(Armoured(label, SignedWith("MD5WITHRSA", "RSA_2048"))), ErrorIds.CsrSignatureAlgorithmNotAllowed);
        yield return new("sha1.pem", Text(Armoured(label, SignedWith("SHA1WITHECDSA", "ECC_256"))), ErrorIds.CsrSignatureAlgorithmNotAllowed);
        yield return new("cn-nul.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("fuzz.example.com\0.evil.com"), San(Dns("fuzz.example.com"))))), ErrorIds.SubjectAttributeInvalid);
        yield return new("cn-newline.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("fuzz.example.com\n"), San(Dns("fuzz.example.com"))))), ErrorIds.SubjectAttributeInvalid);
        yield return new("cn-integer.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name((X509Name.CN, DerInteger.ValueOf(5))), San(Dns("fuzz.example.com"))))), ErrorIds.SubjectAttributeInvalid);
        yield return new("dns-name-10.0.0.1.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("www.example.com"), San(Dns("10.0.0.1"))))), ErrorIds.InvalidDnsName);
        yield return new("wildcard-com.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("www.example.com"), San(Dns("*.com"))))), ErrorIds.PublicSuffixWildcard);
        yield return new("101-names.pem", Text(Armoured(label, CraftedCsr.Signed(CraftedCsr.Name("h1.example.com"),
            San(Enumerable.Range(1, 101).Select(i => Dns("h" + i + ".example.com")).ToArray())))), ErrorIds.TooManyNames);
        using (var key = TestKeys.For(KeySpec.Ecc(256)))
        {
            yield return new("a-private-key.pem", Text(Armoured(Pem.PrivateKeyLabel, key.ExportPkcs8())), ErrorIds.InvalidPem);
        }
        yield return new("garbage.bin", Garbage(1, 4096), ErrorIds.InvalidPem);
        yield return new("garbage-in-a-sequence.der", new byte[] { 0x30, 0x82, 0x0F, 0xFC }.Concat(Garbage(2, 4092)).ToArray(), ErrorIds.CsrUnreadable);
    }

    /// <summary>The key of the corpus's CA certificates, as PEM.</summary>
    public static string CaKey()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), CaKeyRole);
        return Armoured(Pem.PrivateKeyLabel, key.ExportPkcs8());
    }

    private static byte[] CaCertificate(byte[] notBefore, byte[] notAfter, params byte[][] extensions)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), CaKeyRole);
        return CraftedCertificate.SelfSigned(key, "Hostile CA", notBefore, notAfter, extensions);
    }

    /// <summary>A CA certificate Import-CA takes, for <see cref="Keys"/> to be read with.</summary>
    public static byte[] GoodCaCertificate() => CaCertificate(From, Until, CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage));

    /// <summary>CA certificates, as Import-CA -CertificatePath reads them (with <see cref="CaKey"/>).</summary>
    public static IEnumerable<HostileInput> Certificates()
    {
        var label = Pem.CertificateLabel;
        yield return new("deep-definite.der", DeepDefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-indefinite.pem", Text(Armoured(label, DeepIndefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-octets.pem", Text(Armoured(label, DeepInOctets)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-extension.pem", Text(Armoured(label, CaCertificate(From, Until, CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage),
            CraftedCertificate.Extension(new DerObjectIdentifier("1.2.3.4"), false, DerInputTests.NestedDefinite(5_000))))), ErrorIds.InputNestingTooDeep);
        yield return new("too-large.der", new DerOctetString(new byte[DerInput.MaxBytes]).GetEncoded(), ErrorIds.InputTooLarge);
        yield return new("claims-2gb.der", ClaimsTwoGigabytes, ErrorIds.ImportFileUnreadable);
        yield return new("month-13.pem", Text(Armoured(label, CaCertificate(From, CraftedCertificate.Time("20451301000000Z"), CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage)))), ErrorIds.CaImportUnusable);
        yield return new("reversed-dates.pem", Text(Armoured(label, CaCertificate(Until, From, CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage)))), ErrorIds.CaImportUnusable);
        yield return new("basic-constraints-integer.pem", Text(Armoured(label, CaCertificate(From, Until,
            CraftedCertificate.Extension(X509Extensions.BasicConstraints, true, DerInteger.ValueOf(1).GetEncoded()), CraftedCertificate.Usage(CaUsage)))), ErrorIds.CaImportUnusable);
        yield return new("no-key-cert-sign.pem", Text(Armoured(label, CaCertificate(From, Until, CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(KeyUsage.DigitalSignature)))), ErrorIds.CaImportUnusable);
        yield return new("unknown-critical-extension.pem", Text(Armoured(label, CaCertificate(From, Until, CraftedCertificate.CaConstraints(), CraftedCertificate.Usage(CaUsage),
            CraftedCertificate.Extension(new DerObjectIdentifier("1.3.6.1.4.1.99999.7"), true, DerNull.Instance.GetEncoded())))), ErrorIds.CaImportUnusable);
        yield return new("not-a-ca.pem", Text(Armoured(label, CaCertificate(From, Until, CraftedCertificate.Usage(KeyUsage.DigitalSignature)))), ErrorIds.CaImportNotCa);
        yield return new("garbage.bin", Garbage(3, 2048), ErrorIds.InvalidPem);
    }

    /// <summary>Key files, as Import-CA -KeyPath reads them (with <see cref="GoodCaCertificate"/>); encrypted ones with the password "pw".</summary>
    public static IEnumerable<HostileInput> Keys(string scratch)
    {
        var password = Services.Password("pw");
        yield return new("deep-pkcs8.pem", Text(Armoured(Pem.PrivateKeyLabel, DeepDefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-pkcs8.pem", Text(Armoured(Pem.PrivateKeyLabel, DeepInOctets)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-rsa-traditional.pem", Text(Armoured("RSA PRIVATE KEY", DeepIndefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-ec-traditional-encrypted.pem", Text(LegacyEncrypted(scratch, DeepDefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-encrypted-pkcs8.pem", Text(Armoured(Pem.EncryptedPrivateKeyLabel, DeepDefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-inside-encrypted-pkcs8.pem", Text(Armoured(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(DerInputTests.NestedDefinite(5_000), password, 1000))), ErrorIds.InputNestingTooDeep);
        foreach (var count in new[] { "0", "-1", "2147483647", "4294967297", "18446744073709551616" })
        {
            yield return new("pbkdf2-" + count + ".pem", Text(Armoured(Pem.EncryptedPrivateKeyLabel, EncryptedKeyWith(password, new Org.BouncyCastle.Math.BigInteger(count), null))), ErrorIds.IterationCountOutOfRange);
        }
        yield return new("pbes2-iv-integer.pem", Text(Armoured(Pem.EncryptedPrivateKeyLabel, EncryptedKeyWith(password, Org.BouncyCastle.Math.BigInteger.ValueOf(1000), DerInteger.ValueOf(7)))), ErrorIds.KeyUnreadable);
        yield return new("too-large.pem", Text(CaKey() + new string('#', DerInput.MaxBytes)), ErrorIds.InputTooLarge);
        yield return new("garbage.bin", Garbage(4, 1024), ErrorIds.KeyUnreadable);
    }

    /// <summary>
    /// An EC PRIVATE KEY PEM whose body is <paramref name="content"/>, encrypted as OpenSSL's legacy PEM encryption does it
    /// (AES-256-CBC, the key from the password "pw" and the IV's first 8 bytes by MD5), by the openssl CLI itself.
    /// </summary>
    private static string LegacyEncrypted(string scratch, byte[] content)
    {
        const string iv = "00112233445566778899AABBCCDDEEFF";
        var keyLine = OpenSsl.Ok("enc -aes-256-cbc -md md5 -pass pass:pw -S 0011223344556677 -P").Split('\n').Single(l => l.StartsWith("key=", StringComparison.Ordinal));
        var plain = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(plain, content);
        OpenSsl.Ok($"enc -aes-256-cbc -K {keyLine[4..].Trim()} -iv {iv} -in {plain} -out {plain}.enc");
        var body = Convert.ToBase64String(File.ReadAllBytes(plain + ".enc"), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n");
        return "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC," + iv + "\n\n" + body + "\n-----END EC PRIVATE KEY-----\n";
    }

    /// <summary>The CA key encrypted with PBES2, then its PBKDF2 count set to <paramref name="count"/> and, if given, its IV replaced.</summary>
    private static byte[] EncryptedKeyWith(System.Security.SecureString password, Org.BouncyCastle.Math.BigInteger count, Asn1Encodable? iv)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), CaKeyRole);
        var info = EncryptedPrivateKeyInfo.GetInstance(KeyProtection.Encrypt(key.ExportPkcs8(), password, 1000));
        var pbes2 = PbeS2Parameters.GetInstance(info.EncryptionAlgorithm.Parameters);
        var kdf = Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters);
        var newKdf = new DerSequence(PkcsObjectIdentifiers.IdPbkdf2, new DerSequence(new DerOctetString(kdf.GetSalt()), new DerInteger(count), kdf.Prf));
        var scheme = iv == null ? (Asn1Encodable)pbes2.EncryptionScheme : new DerSequence(pbes2.EncryptionScheme.Algorithm, iv);
        return new DerSequence(new DerSequence(PkcsObjectIdentifiers.IdPbeS2, new DerSequence(newKdf, scheme)), new DerOctetString(info.GetEncryptedData())).GetEncoded();
    }

    /// <summary>
    /// A CRL of the corpus's CA (see <see cref="GoodCaCertificate"/>) with the extension <paramref name="number"/> as its
    /// cRLNumber's value, signed by the CA's key.
    /// </summary>
    private static byte[] Crl(byte[] number)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), CaKeyRole);
        var tbs = CraftedCertificate.Tlv(0x30,
            DerInteger.ValueOf(1).GetDerEncoded(),
            key.SignatureAlgorithm,
            new X509Name("CN=Hostile CA").GetDerEncoded(),
            From,
            Until,
            CraftedCertificate.Tlv(0xA0, CraftedCertificate.Tlv(0x30, CraftedCertificate.Extension(X509Extensions.CrlNumber, false, number))));
        return CraftedCertificate.Tlv(0x30, tbs, key.SignatureAlgorithm, new DerBitString(key.Sign(tbs)).GetDerEncoded());
    }

    /// <summary>A CRL Import-Crl takes once the corpus's CA is in the store: number 7.</summary>
    public static byte[] GoodCrl() => Crl(DerInteger.ValueOf(7).GetDerEncoded());

    /// <summary>CRLs, as Import-Crl reads them.</summary>
    public static IEnumerable<HostileInput> Crls()
    {
        var label = Pem.CrlLabel;
        var good = GoodCrl();
        yield return new("deep-definite.der", DeepDefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-definite.pem", Text(Armoured(label, DeepDefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("deep-indefinite.pem", Text(Armoured(label, DeepIndefinite)), ErrorIds.InputNestingTooDeep);
        yield return new("too-large.pem", Text(Armoured(label, good) + new string('#', DerInput.MaxBytes)), ErrorIds.InputTooLarge);
        yield return new("too-large.der", new DerOctetString(new byte[DerInput.MaxBytes]).GetEncoded(), ErrorIds.InputTooLarge);
        yield return new("truncated.pem", Text(Armoured(label, good.Take(good.Length / 2).ToArray())), ErrorIds.CrlUnreadable);
        yield return new("truncated.der", good.Take(good.Length - 5).ToArray(), ErrorIds.CrlUnreadable);
        yield return new("number-utf8.pem", Text(Armoured(label, Crl(new DerUtf8String("7").GetDerEncoded()))), ErrorIds.CrlUnreadable);
        yield return new("number-octets.pem", Text(Armoured(label, Crl(new DerOctetString(new byte[] { 7 }).GetDerEncoded()))), ErrorIds.CrlUnreadable);
        yield return new("claims-2gb.der", ClaimsTwoGigabytes, ErrorIds.CrlUnreadable);
        yield return new("garbage.bin", Garbage(6, 2048), ErrorIds.CrlUnreadable);
    }

    /// <summary>PFX files, as Import-CA -PfxPath reads them, with the password "pw".</summary>
    public static IEnumerable<HostileInput> PfxFiles()
    {
        var password = Services.Password("pw");
        using var key = TestKeys.For(KeySpec.Ecc(256), CaKeyRole);
        var good = Pkcs12Writer.Write(new[] { GoodCaCertificate() }, key.ExportPkcs8(), password, PfxEncryption.Aes256Sha256);
        yield return new("deep-definite.pfx", DeepDefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-indefinite.pfx", DeepIndefinite, ErrorIds.InputNestingTooDeep);
        yield return new("deep-in-segments.pfx", DeepInSegments, ErrorIds.InputNestingTooDeep);
        yield return new("deep-inside-encryption.pfx", Pkcs12Writer.Write(new[] { DerInputTests.NestedDefinite(5_000) }, key.ExportPkcs8(), password, PfxEncryption.Aes256Sha256), ErrorIds.InputNestingTooDeep);
        yield return new("too-large.pfx", new DerOctetString(new byte[DerInput.MaxBytes]).GetEncoded(), ErrorIds.InputTooLarge);
        var pfx = Pfx.GetInstance(good);
        foreach (var count in new[] { "0", "-1", "2147483647", "4294967297" })
        {
            var mac = new DerSequence(pfx.MacData.Mac, new DerOctetString(pfx.MacData.GetSalt()), new DerInteger(new Org.BouncyCastle.Math.BigInteger(count)));
            yield return new("mac-" + count + ".pfx", new DerSequence(DerInteger.ValueOf(3), pfx.AuthSafe, mac).GetEncoded(), ErrorIds.IterationCountOutOfRange);
        }
        var tampered = (byte[])good.Clone();
        tampered[good.Length / 2] ^= 1;
        yield return new("tampered.pfx", tampered, ErrorIds.KeyPasswordIncorrect);
        yield return new("garbage.pfx", Garbage(5, 975), ErrorIds.ImportFileUnreadable);
        yield return new("claims-2gb.pfx", ClaimsTwoGigabytes, ErrorIds.ImportFileUnreadable);
    }
}
