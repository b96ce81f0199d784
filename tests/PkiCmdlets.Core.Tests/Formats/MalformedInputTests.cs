using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Formats;

/// <summary>
/// Every parser of the core meets malformed input (truncated, bytes changed, wrong tags, wrong inner types, garbage) and
/// answers with a PkiException and the ErrorId of what it was reading, never with an exception of .NET or
/// BouncyCastle, and never with BouncyCastle's words in its message.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly KeySpec P256 = KeySpec.Parse("ECC_256", null);

    // ---- mutations -------------------------------------------------------------------------------------------

    /// <summary>The input cut short, bytes flipped across it, wrong outer tags, and garbage; deterministic.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> Mutations(byte[] der)
    {
        foreach (var length in new[] { 0, 1, 2, 3, 4, der.Length / 4, der.Length / 2, der.Length - 20, der.Length - 1 }.Where(l => l >= 0 && l < der.Length).Distinct())
        {
            yield return ("truncated to " + length, der.Take(length).ToArray());
        }
        var random = new Random(1234);
        for (var i = 0; i < 160; i++)
        {
            var copy = (byte[])der.Clone();
            var position = i < 48 ? i % der.Length : random.Next(der.Length);
            copy[position] ^= (byte)(1 << random.Next(8));
            yield return ("bit flipped at " + position, copy);
        }
        for (var i = 0; i < 40; i++)
        {
            var copy = (byte[])der.Clone();
            var position = random.Next(der.Length);
            copy[position] = (byte)random.Next(256);
            yield return ("byte replaced at " + position, copy);
        }
        foreach (var tag in new byte[] { 0x02, 0x04, 0x31, 0xA0, 0x05, 0xFF })
        {
            var copy = (byte[])der.Clone();
            copy[0] = tag;
            yield return ("outer tag " + tag.ToString("X2"), copy);
        }
        yield return ("length claims more", Concat(new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF }, der.Skip(2).ToArray()));
        yield return ("trailing garbage", Concat(der, new byte[] { 0x00, 0x01, 0x02 }));
        yield return ("an INTEGER", DerInteger.ValueOf(5).GetEncoded());
        yield return ("an empty SEQUENCE", new DerSequence().GetEncoded());
        yield return ("a SEQUENCE of NULLs", new DerSequence(DerNull.Instance, DerNull.Instance, DerNull.Instance).GetEncoded());
        var garbage = new byte[300];
        random.NextBytes(garbage);
        yield return ("garbage", garbage);
        garbage[0] = 0x30;
        garbage[1] = 0x82;
        garbage[2] = 0x01;
        garbage[3] = 0x28;
        yield return ("garbage in a SEQUENCE", garbage);
    }

    /// <summary>PEM text broken as text: no END line, damaged base64, empty body, lines of other labels, and each DER mutation armoured.</summary>
    private static IEnumerable<(string Name, string Text)> PemMutations(string label, byte[] der)
    {
        var pem = Pem.Encode(label, der);
        yield return ("empty text", string.Empty);
        yield return ("no END line", pem.Substring(0, pem.IndexOf("-----END", StringComparison.Ordinal)));
        yield return ("half the text", pem.Substring(0, pem.Length / 2));
        yield return ("base64 damaged", pem.Replace(pem.Substring(40, 4), "!@#$"));
        yield return ("empty body", "-----BEGIN " + label + "-----\n-----END " + label + "-----\n");
        yield return ("another label", pem.Replace(label, "SOMETHING ELSE"));
        yield return ("one line of it", pem.Split('\n')[1]);
        foreach (var (name, bytes) in Mutations(der).Where((_, i) => i % 3 == 0))
        {
            yield return ("armoured, " + name, bytes.Length == 0 ? "-----BEGIN " + label + "-----\n-----END " + label + "-----\n" : Pem.Encode(label, bytes));
        }
    }

    /// <summary>Runs <paramref name="parse"/> and requires a PkiException whose ErrorId is one of <paramref name="errorIds"/>.</summary>
    private static void AssertRefused(string what, Action parse, params string[] errorIds) => Assert.True(Refused(what, parse, errorIds), what + ": was accepted");

    /// <summary>
    /// False when <paramref name="parse"/> accepts the input (a change the format cannot see, such as a bit of an RSA
    /// exponent, makes another valid input); otherwise requires a PkiException whose ErrorId is one of <paramref name="errorIds"/>.
    /// </summary>
    private static bool Refused(string what, Action parse, params string[] errorIds)
    {
        Exception? thrown = null;
        try
        {
            parse();
        }
        catch (Exception e)
        {
            thrown = e;
        }
        if (thrown == null) return false;
        var pki = Assert.IsType<PkiException>(thrown, exactMatch: true);
        Assert.True(errorIds.Contains(pki.ErrorId), what + ": ErrorId " + pki.ErrorId + " (" + pki.Message + ")");
        ErrorTargets.AssertNotContent(pki.Target, what);
        for (var inner = pki.InnerException; inner != null; inner = inner.InnerException)
        {
            if (inner.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true || inner.StackTrace?.Contains("Org.BouncyCastle") == true)
            {
                Assert.False(pki.Message.Contains(inner.Message, StringComparison.Ordinal) && inner.Message.Length > 0,
                    what + ": BouncyCastle's words reach the user: " + pki.Message);
            }
        }
        return true;
    }

    /// <summary>
    /// Each input is refused with one of <paramref name="errorIds"/> or accepted as another valid input; most of them
    /// a good part of them must be refused, or the mutations did not reach the parser.
    /// </summary>
    private static void AssertEach<T>(IEnumerable<(string Name, T Input)> inputs, Action<T> parse, params string[] errorIds)
    {
        var failures = new List<string>();
        int count = 0, refused = 0;
        foreach (var (name, input) in inputs)
        {
            count++;
            try
            {
                if (Refused(name, () => parse(input), errorIds)) refused++;
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                failures.Add(name + ": " + e.Message.Split('\n')[0]);
            }
        }
        Assert.True(failures.Count == 0, failures.Count + " inputs were not refused as they should be:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(refused * 4 > count, "only " + refused + " of " + count + " inputs were refused");
    }

    private static byte[] Concat(byte[] a, byte[] b) => a.Concat(b).ToArray();

    // ---- CSR ------------------------------------------------------------------------------------------------

    private static byte[] GoodCsrDer() => Pem.Decode(Hierarchy.Csr(P256, "www.example.com", "www.example.com", "192.0.2.1"), Pem.CertificateRequestLabel);

    [Fact]
    public void A_malformed_DER_request_is_CsrUnreadable_or_CsrSignatureInvalid()
    {
        AssertEach(Mutations(GoodCsrDer()), der => CsrContent.FromDer(der, "test"), ErrorIds.CsrUnreadable, ErrorIds.CsrSignatureInvalid, ErrorIds.CsrSignatureAlgorithmNotAllowed);
    }

    [Fact]
    public void A_malformed_PEM_request_is_InvalidPem_CsrUnreadable_or_CsrSignatureInvalid()
    {
        AssertEach(PemMutations(Pem.CertificateRequestLabel, GoodCsrDer()), text => CsrContent.FromText(text, "test"),
            ErrorIds.InvalidPem, ErrorIds.CsrUnreadable, ErrorIds.CsrSignatureInvalid, ErrorIds.CsrSignatureAlgorithmNotAllowed);
    }

    /// <summary>Requests whose signature holds but whose content is of the wrong kind inside.</summary>
    public static TheoryData<string> SignedOddities() => new() { "san-not-names", "ip-of-3-bytes", "extension-request-not-extensions", "san-extension-not-der", "key-damaged" };

    [Theory]
    [MemberData(nameof(SignedOddities))]
    public void A_signed_request_with_wrong_inner_types_is_refused_with_its_error(string kind)
    {
        var der = SignedCsr(kind);
        AssertRefused(kind, () => CsrContent.FromDer(der, "test"), ErrorIds.CsrUnreadable, ErrorIds.CsrExtensionInvalid, ErrorIds.InvalidIpAddress, ErrorIds.InvalidDnsName);
    }

    private static byte[] SignedCsr(string kind)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var extensionValue = kind switch
        {
            "san-not-names" => new DerOctetString(DerInteger.ValueOf(7)),
            "ip-of-3-bytes" => new DerOctetString(new GeneralNames(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[] { 1, 2, 3 })))),
            "san-extension-not-der" => new DerOctetString(new byte[] { 0x30, 0x05, 0x01 }),
            _ => new DerOctetString(new GeneralNames(new GeneralName(GeneralName.DnsName, "www.example.com"))),
        };
        Asn1Encodable attributeValue = kind == "extension-request-not-extensions"
            ? new DerSequence(DerInteger.ValueOf(1))
            : new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension> { [X509Extensions.SubjectAlternativeName] = new X509Extension(false, extensionValue) });
        var attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(attributeValue)));
        var request = new Pkcs10CertificationRequest("SHA256WITHECDSA", new X509Name("CN=www.example.com"), pair.Public, attributes, pair.Private);
        if (kind != "key-damaged") return request.GetEncoded();
        // A key of the right algorithm whose point is not on the curve, signed over as it stands.
        var info = request.GetCertificationRequestInfo();
        var spki = new SubjectPublicKeyInfo(info.SubjectPublicKeyInfo.Algorithm, new byte[] { 0x04, 0x01, 0x02, 0x03 });
        var bad = new CertificationRequestInfo(info.Subject, spki, info.Attributes);
        var signer = SignerUtilities.GetSigner("SHA256WITHECDSA");
        signer.Init(true, pair.Private);
        var tbs = bad.GetDerEncoded();
        signer.BlockUpdate(tbs, 0, tbs.Length);
        return new CertificationRequest(bad, request.SignatureAlgorithm, new DerBitString(signer.GenerateSignature())).GetEncoded();
    }

    // ---- PKCS#8, plain and encrypted ------------------------------------------------------------------------------

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    [InlineData("SM2_256")]
    public void A_malformed_PKCS8_key_is_KeyUnreadable(string algorithm)
    {
        using var key = TestKeys.For(KeySpec.Parse(algorithm, null));
        AssertEach(Mutations(key.ExportPkcs8()), der => PrivateKey.FromPkcs8(der, "test").Dispose(), ErrorIds.KeyUnreadable);
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    public void A_malformed_PEM_key_file_is_InvalidPem_or_KeyUnreadable(string algorithm)
    {
        using var key = TestKeys.For(KeySpec.Parse(algorithm, null));
        AssertEach(PemMutations(Pem.PrivateKeyLabel, key.ExportPkcs8()), text => KeyFile.Read(text, null, "test").Dispose(), ErrorIds.InvalidPem, ErrorIds.KeyUnreadable);
    }

    [Fact]
    public void A_malformed_encrypted_PKCS8_key_is_KeyUnreadable_or_KeyPasswordIncorrect()
    {
        using var key = TestKeys.For(P256);
        var password = Services.Password("correct horse");
        var encrypted = KeyProtection.Encrypt(key.ExportPkcs8(), password, iterations: 1000);
        AssertEach(Mutations(encrypted), der => KeyFile.Read(Pem.Encode(Pem.EncryptedPrivateKeyLabel, der.Length == 0 ? new byte[] { 0 } : der), password, "test").Dispose(),
            ErrorIds.KeyUnreadable, ErrorIds.KeyPasswordIncorrect);
    }

    /// <summary>The outer PrivateKeyInfo is sound and decrypts with the right password, but the key inside it is damaged.</summary>
    public static TheoryData<string, string> DamagedInnerKeys() => new()
    {
        { "RSA_2048", "not-a-sequence" }, { "RSA_2048", "too-few-integers" }, { "RSA_2048", "truncated" },
        { "ECC_256", "not-a-sequence" }, { "ECC_256", "no-curve" }, { "ECC_256", "truncated" }, { "ECC_256", "wrong-curve-type" },
        { "SM2_256", "truncated" },
    };

    [Theory]
    [MemberData(nameof(DamagedInnerKeys))]
    public void A_PKCS8_whose_inner_key_is_damaged_is_KeyUnreadable_plain_and_encrypted(string algorithm, string damage)
    {
        using var key = TestKeys.For(KeySpec.Parse(algorithm, null));
        var info = PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(key.ExportPkcs8()));
        var inner = info.PrivateKey.GetOctets();
        var algorithmId = info.PrivateKeyAlgorithm;
        byte[] damaged = damage switch
        {
            "not-a-sequence" => DerInteger.ValueOf(42).GetEncoded(),
            "too-few-integers" => new DerSequence(DerInteger.ValueOf(0), DerInteger.ValueOf(3)).GetEncoded(),
            "truncated" => inner.Take(inner.Length / 2).ToArray(),
            _ => inner,
        };
        if (damage == "no-curve") algorithmId = new AlgorithmIdentifier(algorithmId.Algorithm);
        if (damage == "wrong-curve-type") algorithmId = new AlgorithmIdentifier(algorithmId.Algorithm, DerInteger.ValueOf(1));
        var pkcs8 = new DerSequence(DerInteger.ValueOf(0), algorithmId, new DerOctetString(damaged)).GetEncoded();

        AssertRefused("plain", () => PrivateKey.FromPkcs8(pkcs8, "test").Dispose(), ErrorIds.KeyUnreadable);
        AssertRefused("plain PEM", () => KeyFile.Read(Pem.Encode(Pem.PrivateKeyLabel, pkcs8), null, "test").Dispose(), ErrorIds.KeyUnreadable);
        var password = Services.Password("pw");
        var encrypted = Pem.Encode(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(pkcs8, password, iterations: 1000));
        AssertRefused("encrypted", () => KeyFile.Read(encrypted, password, "test").Dispose(), ErrorIds.KeyUnreadable);
    }

    // ---- certificates and PKCS#12, as Import-CA reads them ----------------------------------------------------------------

    [Fact]
    public void A_malformed_CA_certificate_file_is_refused_by_Import_CA()
    {
        using var hierarchy = new Hierarchy("ECC_256");
        var der = hierarchy.Root.Certificate!.RawData;
        using var key = TestKeys.For(P256);
        var keyPath = hierarchy.File("ca.key", Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
        var index = 0;
        AssertEach(Mutations(der).Where((_, i) => i % 2 == 0), bytes =>
        {
            var path = Path.Combine(hierarchy.Store.Folder, "ca" + index++ + ".crt");
            File.WriteAllBytes(path, bytes.Length > 0 && bytes[0] == 0x30 ? bytes : Encoding.ASCII.GetBytes(Pem.Encode(Pem.CertificateLabel, bytes.Length == 0 ? new byte[] { 0 } : bytes)));
            new CaImportService(hierarchy.Open()).Import(new ImportCaRequest { CertificatePath = path, KeyPath = keyPath, NoPassword = true });
        }, ErrorIds.ImportFileUnreadable, ErrorIds.InvalidPem, ErrorIds.CaImportNotCa, ErrorIds.CaImportKeyMismatch, ErrorIds.CaImportIssuerMissing,
            ErrorIds.CaKeyUnsupported, ErrorIds.CaAlreadyInStore, ErrorIds.CaImportUnusable);
    }

    [Fact]
    public void A_malformed_PFX_is_ImportFileUnreadable_or_KeyPasswordIncorrect()
    {
        using var hierarchy = new Hierarchy("ECC_256");
        using var key = TestKeys.For(KeySpec.Parse("ECC_256", null), "root");
        var password = Services.Password("pfx");
        var pfx = Pkcs12Writer.Write(new[] { hierarchy.Root.Certificate!.RawData }, key.ExportPkcs8(), password, default(PfxEncryption));
        var index = 0;
        AssertEach(Mutations(pfx).Where((_, i) => i % 2 == 0), bytes =>
        {
            var path = Path.Combine(hierarchy.Store.Folder, "ca" + index++ + ".pfx");
            File.WriteAllBytes(path, bytes);
            new CaImportService(hierarchy.Open()).Import(new ImportCaRequest { PfxPath = path, KeyFilePassword = password, NoPassword = true });
        }, ErrorIds.ImportFileUnreadable, ErrorIds.KeyPasswordIncorrect, ErrorIds.CaAlreadyInStore);
    }

    [Fact]
    public void A_malformed_certificate_from_a_CA_is_CertificateUnreadable()
    {
        using var hierarchy = new Hierarchy("ECC_256");
        var der = hierarchy.Root.Certificate!.RawData;
        var certificates = Services.Certificates(hierarchy.Open());
        AssertEach(Mutations(der), bytes =>
        {
            var recorded = certificates.RecordExternal(bytes, Array.Empty<byte[]>());
            // A change the parsers let through (a byte of the signature) is kept as it came; reading it back must work too.
            _ = recorded.Certificate.Thumbprint;
            throw new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, null, "accepted as it stands");
        }, ErrorIds.CertificateUnreadable, ErrorIds.KeyUnreadable, ErrorIds.InvalidDnsName, ErrorIds.InvalidIpAddress);
    }

    // ---- the store: journal lines, JSON records, stored PEM ---------------------------------------------------------------

    [Fact]
    public void A_damaged_journal_line_is_StoreRecordCorrupt_and_the_listing_goes_on()
    {
        using var hierarchy = new Hierarchy("ECC_256");
        hierarchy.Issue(Hierarchy.Csr(P256, "a.example.com"));
        var certificates = Services.Certificates(hierarchy.Open());
        certificates.Revoke(hierarchy.Issue(Hierarchy.Csr(P256, "b.example.com")).Identifier, Revocation.RevocationReason.KeyCompromise);
        var journal = Directory.GetFiles(hierarchy.Store.Root, "certificates.journal", SearchOption.AllDirectories).Single();
        var lines = File.ReadAllLines(journal);
        var failures = new List<string>();
        for (var target = 1; target < lines.Length; target++)
        {
            var line = Encoding.UTF8.GetBytes(lines[target]);
            foreach (var (name, bytes) in Mutations(line).Where((_, i) => i % 4 == 0).Concat(JsonOddities(lines[target])))
            {
                var copy = (string[])lines.Clone();
                copy[target] = Encoding.UTF8.GetString(bytes).Replace("\n", " ");
                File.WriteAllLines(journal, copy);
                try
                {
                    var listing = Services.Certificates(hierarchy.Open()).Find(new CertificateQuery());
                    foreach (var problem in listing.Problems) Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
                    foreach (var certificate in listing.Items) AssertReadableOrCorrupt(() => _ = certificate.Certificate.Thumbprint);
                    AssertReadableOrCorrupt(() => new CrlService(hierarchy.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") }));
                }
                catch (Exception e)
                {
                    failures.Add("line " + (target + 1) + ", " + name + ": " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
                }
            }
        }
        File.WriteAllLines(journal, lines);
        Assert.True(failures.Count == 0, failures.Count + " damaged lines broke a listing:\n" + string.Join("\n", failures.Take(25)));
    }

    private static void AssertReadableOrCorrupt(Action read)
    {
        try
        {
            read();
        }
        catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt || e.ErrorId == ErrorIds.CertificateUnreadable)
        {
        }
    }

    /// <summary>The line with its JSON values replaced by values of the wrong type, and cut at each separator.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> JsonOddities(string line)
    {
        var replacements = new[] { "null", "5", "-1", "99999999999999999999", "\"x\"", "[]", "{}", "true", "\"2020-13-45\"" };
        var json = line.Split('\t')[0];
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var colons = Enumerable.Range(0, json.Length).Where(p => json[p] == ':').ToList();
            var at = colons[random.Next(colons.Count)] + 1;
            var end = at;
            var depth = 0;
            var quoted = false;
            for (; end < json.Length; end++)
            {
                var c = json[end];
                if (c == '"' && json[end - 1] != '\\') quoted = !quoted;
                if (quoted) continue;
                if (c == '[' || c == '{') depth++;
                if ((c == ']' || c == '}') && depth-- == 0) break;
                if (c == ',' && depth == 0) break;
            }
            var changed = json.Substring(0, at) + replacements[i % replacements.Length] + json.Substring(end);
            yield return ("value " + i + " replaced by " + replacements[i % replacements.Length], Encoding.UTF8.GetBytes(line.Replace(json, changed)));
        }
    }

    public static TheoryData<string> RecordOddities() => new()
    {
        "", "{", "[]", "null", "5", "\"text\"", "{}", "{\"id\": null}", "{\"id\": \"x\"}", "{\"id\": 99999999999}", "{\"name\": 5}",
        "{\"createdAt\": \"not a date\"}", "{\"tags\": [1, 2]}", "{\"status\": 77}", "{\"status\": \"Nonsense\"}", "\u0000\u0001\u0002",
    };

    [Theory]
    [MemberData(nameof(RecordOddities))]
    public void A_damaged_CSR_record_is_StoreRecordCorrupt(string json)
    {
        using var store = new TempStore();
        var created = Services.Csrs(store.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256" });
        File.WriteAllText(Path.Combine(store.Root, "csrs", created.Id + ".json"), json);
        AssertRefused("Get", () => Services.Csrs(store.Open()).Get(created.Id), ErrorIds.StoreRecordCorrupt);
        var listing = Services.Csrs(store.Open()).Find((string?)null);
        Assert.All(listing.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
    }

    [Theory]
    [MemberData(nameof(RecordOddities))]
    public void A_damaged_CA_record_is_StoreRecordCorrupt(string json)
    {
        using var hierarchy = new Hierarchy("ECC_256");
        File.WriteAllText(Path.Combine(hierarchy.Store.Root, "cas", hierarchy.Sub.Id + ".json"), json);
        var listing = Services.Cas(hierarchy.Open()).Find();
        Assert.All(listing.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
        AssertRefused("issue", () => hierarchy.Issue(Hierarchy.Csr(P256, "a.example.com")), ErrorIds.StoreRecordCorrupt, ErrorIds.CaNotFound);
    }

    [Theory]
    [MemberData(nameof(RecordOddities))]
    public void A_damaged_CRL_state_is_StoreRecordCorrupt(string json)
    {
        using var hierarchy = new Hierarchy("ECC_256");
        var crls = new CrlService(hierarchy.Open());
        crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        File.WriteAllText(Path.Combine(hierarchy.Store.Root, "crls", hierarchy.Sub.Id + ".json"), json.Replace("\"id\"", "\"lastCrlNumber\""));
        try
        {
            crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        }
        catch (Exception e)
        {
            var pki = Assert.IsType<PkiException>(e);
            Assert.Equal(ErrorIds.StoreRecordCorrupt, pki.ErrorId);
        }
    }

    [Fact]
    public void A_damaged_stored_CA_certificate_is_StoreRecordCorrupt()
    {
        using var hierarchy = new Hierarchy("ECC_256");
        var path = Path.Combine(hierarchy.Store.Root, "cas", hierarchy.Sub.Id + ".crt.pem");
        var der = hierarchy.Sub.Certificate!.RawData;
        var failures = new List<string>();
        foreach (var (name, text) in PemMutations(Pem.CertificateLabel, der))
        {
            File.WriteAllText(path, text);
            try
            {
                var listing = Services.Cas(hierarchy.Open()).Find();
                Assert.All(listing.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
                // Issuing from it fails, or not, with an error of ours: which one depends on the byte that changed.
                Refused(name, () => hierarchy.Issue(Hierarchy.Csr(P256, "a.example.com")), ErrorIds.StoreRecordCorrupt, ErrorIds.KeyUnreadable,
                    ErrorIds.InvalidCountryCode, ErrorIds.SubjectFieldTooLong, ErrorIds.IssuerExpired, ErrorIds.ValidityExceedsIssuer, ErrorIds.KeyAlgorithmMismatch, ErrorIds.CommonNameTooLong);
            }
            catch (Exception e)
            {
                failures.Add(name + ": " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
            }
        }
        Assert.True(failures.Count == 0, failures.Count + " damaged certificates broke a command:\n" + string.Join("\n", failures.Take(25)));
    }
}
