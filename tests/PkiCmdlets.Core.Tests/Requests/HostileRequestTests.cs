using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Requests;

/// <summary>
/// Requests whose signature holds and whose content is hostile (issue 16): each is refused with an error of its own before
/// anything is issued, and the store is left as it was.
/// </summary>
public sealed class HostileRequestTests : IDisposable
{
    private readonly Hierarchy _hierarchy = new("ECC_256");

    public void Dispose() => _hierarchy.Dispose();

    /// <summary>Issues from <paramref name="der"/> and requires <paramref name="errorId"/>, naming "-Csr", and an unchanged store.</summary>
    private PkiException Refused(byte[] der, string errorId, Action<NewCertificateRequest>? options = null)
    {
        var before = _hierarchy.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => _hierarchy.Issue(Pem.Encode(Pem.CertificateRequestLabel, der), options));
        Assert.True(errorId == error.ErrorId, "expected " + errorId + ", got " + error.ErrorId + ": " + error.Message);
        Assert.Equal(before, _hierarchy.Store.Snapshot());
        return error;
    }

    // ---- item 10: inputs that ended in .NET's own errors ---------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(17)]
    public void A_san_ip_address_of_the_wrong_length_is_InvalidIpAddress(int octets)
    {
        var csr = CraftedCsr.Signed(CraftedCsr.Name("ip.example.com"),
            CraftedCsr.Extensions(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[octets])))));
        var error = Refused(csr, ErrorIds.InvalidIpAddress);
        Assert.Contains(octets + " octets", error.Message);
        Assert.Equal("-Csr", error.Target);
    }

    [Fact]
    public void A_duplicate_san_extension_is_CsrExtensionInvalid()
    {
        var san = CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, "a.example.com"));
        var csr = CraftedCsr.Signed(CraftedCsr.Name("a.example.com"), CraftedCsr.Extensions(san, CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, "b.example.com"))));
        Assert.Contains("2.5.29.17", Refused(csr, ErrorIds.CsrExtensionInvalid).Message);
    }

    public static TheoryData<string> MalformedExtensions() => new() { "san-integer", "san-not-der", "extension-request-integer", "extension-not-sequence", "two-extension-requests" };

    [Theory]
    [MemberData(nameof(MalformedExtensions))]
    public void A_malformed_extension_request_is_CsrExtensionInvalid(string kind)
    {
        var sanOid = X509Extensions.SubjectAlternativeName;
        var attributes = kind switch
        {
            "san-integer" => CraftedCsr.Extensions(CraftedCsr.Extension(sanOid, DerInteger.ValueOf(7))),
            "san-not-der" => CraftedCsr.Extensions(new DerSequence(sanOid, new DerOctetString(new byte[] { 0x30, 0x05, 0x01 }))),
            "extension-request-integer" => CraftedCsr.ExtensionRequest(DerInteger.ValueOf(1)),
            "extension-not-sequence" => CraftedCsr.ExtensionRequest(new DerSequence(DerInteger.ValueOf(1))),
            _ => new DerSet(new Asn1Encodable[]
            {
                new DerSequence(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(new DerSequence())),
                new DerSequence(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(new DerSequence(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, "x.example.com"))))),
            }),
        };
        Refused(CraftedCsr.Signed(CraftedCsr.Name("x.example.com"), attributes), ErrorIds.CsrExtensionInvalid);
    }

    [Fact]
    public void A_signature_bit_string_with_unused_bits_is_CsrUnreadable_saying_so()
    {
        var request = CertificationRequest.GetInstance(Pem.Decode(Hierarchy.Csr(KeySpec.Ecc(256), "bits.example.com"), Pem.CertificateRequestLabel));
        var signature = request.Signature.GetOctets();
        var padded = new CertificationRequest(request.GetCertificationRequestInfo(), request.SignatureAlgorithm, new DerBitString(signature, 3));
        Assert.Contains("whole number of bytes", Refused(padded.GetDerEncoded(), ErrorIds.CsrUnreadable).Message);
    }

    // ---- item 5: RSA public exponent ------------------------------------------------------------------------------------

    [Fact]
    public void A_request_for_an_rsa_key_with_public_exponent_1_is_RsaExponentNotAllowed()
    {
        using var rsa = new Hierarchy("RSA_2048");
        var before = rsa.Store.Snapshot();
        var csr = Pem.Encode(Pem.CertificateRequestLabel, CraftedCsr.WithRsaExponentOne("forged.example.com"));

        var error = Assert.Throws<PkiException>(() => rsa.Issue(csr));

        Assert.Equal(ErrorIds.RsaExponentNotAllowed, error.ErrorId);
        Assert.Equal("-Csr", error.Target);
        Assert.Equal(before, rsa.Store.Snapshot());
    }

    // ---- item 11: subject attributes -------------------------------------------------------------------------------------

    public static TheoryData<string, string> ControlCharacters() => new()
    {
        { "CN", "fuzz.example.com\0.evil.com" },
        { "CN", "www.example.com\nO=Evil" },
        { "CN", "tab\there.example.com" },
        { "O", "Contoso\u202Egro.live" },   // right-to-left override
        { "O", "Con\u200Btoso" },           // zero-width space
        { "OU", "\u0085next line" },
        { "L", "line\u2028separator" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void A_subject_attribute_with_a_control_or_format_character_is_SubjectAttributeInvalid(string attribute, string value)
    {
        var oid = attribute == "CN" ? X509Name.CN : attribute == "O" ? X509Name.O : attribute == "OU" ? X509Name.OU : X509Name.L;
        var subject = CraftedCsr.Name((X509Name.CN, new DerUtf8String(attribute == "CN" ? value : "ok.example.com")), (oid, new DerUtf8String(value)));
        var error = Refused(CraftedCsr.Signed(subject, CraftedCsr.Extensions(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, "ok.example.com")))),
            ErrorIds.SubjectAttributeInvalid);
        Assert.DoesNotContain('\0', error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("\\u", error.Message);
    }

    public static TheoryData<string> NonStringTypes() => new() { "INTEGER", "OCTET STRING", "SEQUENCE", "BOOLEAN" };

    [Theory]
    [MemberData(nameof(NonStringTypes))]
    public void A_subject_attribute_that_is_not_text_is_SubjectAttributeInvalid(string type)
    {
        Asn1Encodable value = type switch
        {
            "INTEGER" => DerInteger.ValueOf(5),
            "OCTET STRING" => new DerOctetString(new byte[] { 0x41, 0x42 }),
            "SEQUENCE" => new DerSequence(new DerUtf8String("www.example.com")),
            _ => DerBoolean.True,
        };
        var csr = CraftedCsr.Signed(CraftedCsr.Name((X509Name.CN, value)), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, "www.example.com"))));
        Assert.Contains(type, Refused(csr, ErrorIds.SubjectAttributeInvalid).Message);
    }

    [Theory]
    [InlineData("www.example.com\0")]
    [InlineData("a\u0007b")]
    [InlineData("Con\u200Btoso")]
    public void A_typed_subject_attribute_with_a_control_character_is_SubjectAttributeInvalid(string value)
    {
        Assert.Equal(ErrorIds.SubjectAttributeInvalid, Assert.Throws<PkiException>(() => SubjectName.Create(value)).ErrorId);
        Assert.Equal(ErrorIds.SubjectAttributeInvalid, Assert.Throws<PkiException>(() => SubjectName.Create("www.example.com", organization: value)).ErrorId);
        var before = _hierarchy.Store.Snapshot();
        Assert.Equal(ErrorIds.SubjectAttributeInvalid, Assert.Throws<PkiException>(() =>
            _hierarchy.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), r => r.Organization = value)).ErrorId);
        Assert.Equal(before, _hierarchy.Store.Snapshot());
    }

    [Fact]
    public void Text_in_every_script_with_marks_and_symbols_is_a_good_subject_attribute()
    {
        var subject = SubjectName.Create("www.example.com", organization: "Bücher & Co. (東京) — Ωmega™", locality: "São Paulo 🚀");
        Assert.Equal("Bücher & Co. (東京) — Ωmega™", subject.Organization);
    }

    // ---- item 12: names as a request carries them ---------------------------------------------------------------------

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("::1")]
    [InlineData("ops@example.com")]
    public void A_dns_name_that_is_an_address_is_InvalidDnsName_not_moved(string value)
    {
        var csr = CraftedCsr.Signed(CraftedCsr.Name("www.example.com"), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, value))));
        Assert.Equal(value, Refused(csr, ErrorIds.InvalidDnsName).Target);
    }

    [Theory]
    [InlineData("*.com")]
    [InlineData("*.co.uk")]
    [InlineData("*.test")]
    public void A_wildcard_on_a_public_suffix_is_PublicSuffixWildcard(string wildcard)
    {
        var csr = CraftedCsr.Signed(CraftedCsr.Name("www.example.com"), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(new GeneralName(GeneralName.DnsName, wildcard))));
        Refused(csr, ErrorIds.PublicSuffixWildcard);
        Refused(Pem.Decode(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), Pem.CertificateRequestLabel), ErrorIds.PublicSuffixWildcard, r => r.Domains = new[] { wildcard });
    }

    [Fact]
    public void A_wildcard_common_name_on_a_public_suffix_is_PublicSuffixWildcard_not_free_text()
    {
        var csr = CraftedCsr.Signed(CraftedCsr.Name("*.com"));
        Refused(csr, ErrorIds.PublicSuffixWildcard);
    }

    // ---- a ceiling on names --------------------------------------------------------------------------------------------

    [Fact]
    public void A_request_for_more_than_100_names_is_TooManyNames_and_100_are_issued()
    {
        GeneralName[] Names(int count) => Enumerable.Range(1, count).Select(i => new GeneralName(GeneralName.DnsName, "host" + i + ".example.com")).ToArray();
        Refused(CraftedCsr.Signed(CraftedCsr.Name("host1.example.com"), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(Names(101)))), ErrorIds.TooManyNames);

        var hundred = CraftedCsr.Signed(CraftedCsr.Name("host1.example.com"), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(Names(100))));
        Assert.Equal(100, _hierarchy.Issue(Pem.Encode(Pem.CertificateRequestLabel, hundred)).DnsNames.Length);
        Refused(hundred, ErrorIds.TooManyNames, r => r.Domains = new[] { "one-more.example.com" });
    }

    [Fact]
    public void More_than_100_names_typed_are_TooManyNames()
    {
        var names = Enumerable.Range(1, 101).Select(i => "host" + i + ".example.com").ToArray();
        Assert.Equal(ErrorIds.TooManyNames, Assert.Throws<PkiException>(() => NameRules.ParseList(names)).ErrorId);
        Assert.Equal(100, NameRules.ParseList(names.Take(100)).Count);
    }

    // ---- MD5 and SHA-1 ----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("MD5WITHRSA", "RSA_2048", "MD5 with RSA")]
    [InlineData("SHA1WITHRSA", "RSA_2048", "SHA-1 with RSA")]
    [InlineData("SHA224WITHRSA", "RSA_2048", "SHA-224 with RSA")]
    [InlineData("SHA1WITHECDSA", "ECC_256", "ECDSA with SHA-1")]
    public void A_request_signed_with_md5_or_sha1_is_CsrSignatureAlgorithmNotAllowed(string signatureAlgorithm, string keyAlgorithm, string named)
    {
        using var hierarchy = new Hierarchy(keyAlgorithm);
        using var key = TestKeys.For(KeySpec.FromAlgorithmName(keyAlgorithm));
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8());
        var publicKey = PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo());
        var request = new Pkcs10CertificationRequest(signatureAlgorithm, new X509Name("CN=weak.example.com"), publicKey, null, privateKey);
        var before = hierarchy.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => hierarchy.Issue(Pem.Encode(Pem.CertificateRequestLabel, request.GetEncoded())));

        Assert.Equal(ErrorIds.CsrSignatureAlgorithmNotAllowed, error.ErrorId);
        Assert.Contains(named, error.Message);
        Assert.Equal(before, hierarchy.Store.Snapshot());
    }

    // ---- item 19: a request's error never carries the text -----------------------------------------------------------------

    [Fact]
    public void A_key_file_given_as_a_request_file_has_the_path_as_target_and_no_key_in_the_error()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var keyPem = Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8());
        var path = _hierarchy.File("server.key", keyPem);
        var body = keyPem.Split('\n')[1];

        var error = Assert.Throws<PkiException>(() => _hierarchy.Issue(null!, r => { r.Csr = null; r.CsrPath = path; }));

        Assert.Equal(ErrorIds.InvalidPem, error.ErrorId);
        Assert.Equal(path, error.Target);
        for (Exception? e = error; e != null; e = e.InnerException) Assert.DoesNotContain(body, e.Message);
    }

    [Fact]
    public void A_key_given_as_request_text_has_minus_csr_as_target()
    {
        using var key = TestKeys.For(KeySpec.Ecc(256));
        var keyPem = Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8());

        var error = Assert.Throws<PkiException>(() => _hierarchy.Issue(keyPem));

        Assert.Equal(ErrorIds.InvalidPem, error.ErrorId);
        Assert.Equal("-Csr", error.Target);
        Assert.DoesNotContain(keyPem.Split('\n')[1], error.Message);
    }

    [Fact]
    public void A_tampered_request_given_as_text_has_its_common_name_as_target()
    {
        var der = Pem.Decode(Hierarchy.Csr(KeySpec.Ecc(256), "tampered.example.com"), Pem.CertificateRequestLabel);
        der[^1] ^= 0x01;
        var error = Assert.Throws<PkiException>(() => _hierarchy.Issue(Pem.Encode(Pem.CertificateRequestLabel, der)));
        Assert.Equal(ErrorIds.CsrSignatureInvalid, error.ErrorId);
        Assert.Equal("tampered.example.com", error.Target);
    }

    [Fact]
    public void An_ip_address_san_of_sixteen_octets_is_read_as_ipv6()
    {
        var address = IPAddress.Parse("2001:db8::10");
        var csr = CraftedCsr.Signed(CraftedCsr.Name("v6.example.com"), CraftedCsr.Extensions(CraftedCsr.SubjectAltName(
            new GeneralName(GeneralName.DnsName, "v6.example.com"), new GeneralName(GeneralName.IPAddress, new DerOctetString(address.GetAddressBytes())))));
        Assert.Equal(new[] { "2001:db8::10" }, CsrContent.FromDer(csr, "-Csr").Names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value));
    }
}
