using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>Every rule of New-ServerCertificate: each bad input has its own ErrorId, names the value, and changes nothing.</summary>
public sealed class IssueRulesTests : IDisposable
{
    private readonly Hierarchy _pki = new("RSA_2048");
    private static readonly string RsaCsr = Hierarchy.Csr(KeySpec.Rsa(2048), "www.example.com", "example.com");

    public void Dispose() => _pki.Dispose();

    private PkiException Refused(string csr, Action<NewCertificateRequest>? options = null)
    {
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => _pki.Issue(csr, options));
        Assert.Equal(before, _pki.Store.Snapshot());
        return error;
    }

    [Fact]
    public void A_good_request_is_issued_and_recorded_in_the_issuers_journal()
    {
        var issued = _pki.Issue(RsaCsr, r => r.Domains = new[] { "api.example.com, 192.0.2.7" });

        Assert.Matches("^[0-9a-f]{32}$", issued.Identifier);
        Assert.Matches("^[0-9A-F]{32}$", issued.SerialNumber);
        Assert.Equal(new[] { "www.example.com", "example.com", "api.example.com" }, issued.DnsNames);
        Assert.Equal(new[] { "192.0.2.7" }, issued.IpAddresses);
        Assert.Equal(nameof(CertificateStatus.Valid), issued.Status);
        Assert.Equal("Sub", issued.IssuerName);
        Assert.Equal(_pki.Sub.Id, issued.IssuerId);
        Assert.Equal(issued.SerialNumber, issued.Certificate!.SerialNumber);
        Assert.Equal(issued.Thumbprint, issued.Certificate.Thumbprint);
        Assert.Null(issued.CertificateChain);
        Assert.Contains(issued.Identifier, File.ReadAllText(Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id))));
        var found = Services.Certificates(_pki.Open()).Get(issued.Identifier);
        Assert.Equal(issued.SerialNumber, found.SerialNumber);
    }

    [Fact]
    public void IncludeChain_returns_the_intermediate_then_the_root()
    {
        var issued = _pki.Issue(RsaCsr, r => r.IncludeChain = true);
        Assert.Equal(_pki.Sub.Pem + _pki.Root.Pem, issued.CertificateChain);
    }

    [Fact]
    public void Default_validity_is_365_days_and_days_win_over_bounds()
    {
        var defaulted = _pki.Issue(RsaCsr);
        Assert.Equal(TimeSpan.FromDays(365), defaulted.NotAfter - defaulted.NotBefore);

        var both = _pki.Issue(RsaCsr, r =>
        {
            r.Days = 30;
            r.NotBefore = DateTimeOffset.UtcNow.AddDays(1);
            r.NotAfter = DateTimeOffset.UtcNow.AddDays(2);
        });
        Assert.Equal(TimeSpan.FromDays(30), both.NotAfter - both.NotBefore);

        var months = _pki.Issue(RsaCsr, r => { r.Years = 1; r.Months = 6; });
        Assert.Equal(months.NotBefore.AddYears(1).AddMonths(6), months.NotAfter);
    }

    [Fact]
    public void Malformed_pem_is_InvalidPem() =>
        Assert.Equal(ErrorIds.InvalidPem, Refused("-----BEGIN CERTIFICATE REQUEST-----\nMIIB@@@\n-----END CERTIFICATE REQUEST-----\n").ErrorId);

    [Fact]
    public void Pem_without_its_end_line_is_InvalidPem() =>
        Assert.Equal(ErrorIds.InvalidPem, Refused(RsaCsr.Substring(0, RsaCsr.IndexOf("-----END", StringComparison.Ordinal))).ErrorId);

    [Fact]
    public void Truncated_pem_is_CsrUnreadable()
    {
        var lines = RsaCsr.Split('\n').ToList();
        var truncated = string.Join("\n", lines.Take(5).Append("-----END CERTIFICATE REQUEST-----")) + "\n";
        var error = Refused(truncated);
        Assert.Equal(ErrorIds.CsrUnreadable, error.ErrorId);
        Assert.Equal("-Csr", error.Target); // never the text, which may be a key given by mistake
        Assert.Contains("-Csr", error.Message);
    }

    [Fact]
    public void A_tampered_signature_is_CsrSignatureInvalid()
    {
        var der = Core.Formats.Pem.Decode(RsaCsr, "CERTIFICATE REQUEST");
        der[^5] ^= 0x01;
        var error = Refused(Core.Formats.Pem.Encode("CERTIFICATE REQUEST", der));
        Assert.Equal(ErrorIds.CsrSignatureInvalid, error.ErrorId);
    }

    [Fact]
    public void A_tampered_subject_is_CsrSignatureInvalid()
    {
        var der = Core.Formats.Pem.Decode(RsaCsr, "CERTIFICATE REQUEST");
        var at = IndexOf(der, "www.example.com"u8.ToArray());
        der[at] = (byte)'x';
        Assert.Equal(ErrorIds.CsrSignatureInvalid, Refused(Core.Formats.Pem.Encode("CERTIFICATE REQUEST", der)).ErrorId);
    }

    [Fact]
    public void An_rsa_1024_request_is_CsrKeyTooWeak()
    {
        using var rsa = RSA.Create(1024);
        var request = new CertificateRequest("CN=weak.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var error = Refused(request.CreateSigningRequestPem());
        Assert.Equal(ErrorIds.CsrKeyTooWeak, error.ErrorId);
        Assert.Equal("RSA_1024", error.Target);
    }

    [Fact]
    public void An_ed25519_request_is_CsrKeyUnsupported()
    {
        var key = _pki.File("ed.key", OpenSsl.Ok("genpkey -algorithm ed25519"));
        var csr = OpenSsl.Ok($"req -new -key {key} -subj /CN=ed.example.com");
        var error = Refused(csr);
        Assert.Equal(ErrorIds.CsrKeyUnsupported, error.ErrorId);
        Assert.Equal("Ed25519", error.Target);
    }

    [Fact]
    public void A_brainpool_request_is_CsrKeyUnsupported()
    {
        var key = _pki.File("bp.key", OpenSsl.Ok("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1"));
        var error = Refused(OpenSsl.Ok($"req -new -key {key} -subj /CN=bp.example.com"));
        Assert.Equal(ErrorIds.CsrKeyUnsupported, error.ErrorId);
        Assert.Contains("brainpoolP256r1", (string)error.Target!);
    }

    [Fact]
    public void A_request_made_by_openssl_is_issued()
    {
        var key = _pki.File("o.key", OpenSsl.Ok("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"));
        var csr = OpenSsl.Ok($"req -new -key {key} -subj /C=DE/O=Contoso/CN=openssl.example.com -addext subjectAltName=DNS:alt.example.com,IP:10.0.0.1");
        var issued = _pki.Issue(csr);
        Assert.Equal(new[] { "openssl.example.com", "alt.example.com" }, issued.DnsNames);
        Assert.Equal(new[] { "10.0.0.1" }, issued.IpAddresses);
        Assert.Contains("O=Contoso", issued.Subject);
        Assert.Contains("C=DE", issued.Subject);
        Assert.Contains("OU=Ops", issued.Subject); // not in the CSR: the issuer's
    }

    [Fact]
    public void A_keytool_style_label_and_a_der_file_are_read()
    {
        var keytool = RsaCsr.Replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        Assert.Equal("www.example.com", _pki.Issue(keytool).CommonName);
        var der = Path.Combine(_pki.Store.Folder, "req.der");
        File.WriteAllBytes(der, Core.Formats.Pem.Decode(RsaCsr, "CERTIFICATE REQUEST"));
        Assert.Equal("www.example.com", Services.Certificates(_pki.Open()).Issue(new NewCertificateRequest { CsrPath = der, Issuer = new CaIdentity("Sub") }).CommonName);
    }

    [Fact]
    public void A_root_as_issuer_is_IssuerNotIntermediate()
    {
        var error = Refused(RsaCsr, r => r.Issuer = new CaIdentity("Root"));
        Assert.Equal(ErrorIds.IssuerNotIntermediate, error.ErrorId);
        Assert.Equal("Root", error.Target);
    }

    [Fact]
    public void An_ecc_request_to_an_rsa_issuer_is_KeyAlgorithmMismatch()
    {
        var error = Refused(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        Assert.Equal(ErrorIds.KeyAlgorithmMismatch, error.ErrorId);
        Assert.Equal("ECC_256", error.Target);
    }

    [Fact]
    public void An_algorithm_other_than_the_requests_key_is_KeyAlgorithmMismatch()
    {
        var error = Refused(RsaCsr, r => r.Algorithm = "RSA_4096");
        Assert.Equal(ErrorIds.KeyAlgorithmMismatch, error.ErrorId);
        Assert.Equal("RSA_4096", error.Target);
        Assert.Equal("RSA_2048", _pki.Issue(RsaCsr, r => r.Algorithm = "RSA_2048").Algorithm);
    }

    [Fact]
    public void Rsa_1024_as_algorithm_is_refused() =>
        Assert.Equal(ErrorIds.KeySizeNotAllowed, Refused(RsaCsr, r => r.Algorithm = "RSA_1024").ErrorId);

    [Fact]
    public void Validity_beyond_the_issuer_is_ValidityExceedsIssuer() =>
        Assert.Equal(ErrorIds.ValidityExceedsIssuer, Refused(RsaCsr, r => r.Years = 20).ErrorId);

    [Fact]
    public void The_default_validity_stops_at_the_issuers_end()
    {
        using var shortLived = new Hierarchy("RSA_2048", subOptions: r => r.Days = 30);
        var issued = shortLived.Issue(RsaCsr);
        Assert.Equal(shortLived.Sub.NotAfter, issued.NotAfter);
        Assert.Equal(ErrorIds.ValidityExceedsIssuer, Assert.Throws<PkiException>(() => shortLived.Issue(RsaCsr, r => r.Days = 31)).ErrorId);
    }

    [Fact]
    public void A_blank_common_name_override_keeps_the_requests()
    {
        Assert.Equal("www.example.com", _pki.Issue(RsaCsr, r => r.CommonName = " ").CommonName);
    }

    [Fact]
    public void NotBefore_without_NotAfter_is_ValidityBoundsIncomplete()
    {
        var error = Refused(RsaCsr, r => r.NotBefore = DateTimeOffset.UtcNow);
        Assert.Equal(ErrorIds.ValidityBoundsIncomplete, error.ErrorId);
        Assert.Contains("-NotAfter", error.Message);
    }

    [Fact]
    public void NotAfter_alone_is_a_certificate_valid_from_now_until_then()
    {
        var end = DateTimeOffset.UtcNow.AddDays(45);
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var issued = _pki.Issue(RsaCsr, r => r.NotAfter = end);
        Assert.InRange(issued.NotBefore, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(end.ToUnixTimeSeconds(), issued.NotAfter.ToUnixTimeSeconds());
    }

    [Fact]
    public void Reversed_bounds_and_non_positive_lengths_are_InvalidValidity()
    {
        Assert.Equal(ErrorIds.InvalidValidity, Refused(RsaCsr, r => { r.NotBefore = DateTimeOffset.UtcNow.AddDays(2); r.NotAfter = DateTimeOffset.UtcNow.AddDays(1); }).ErrorId);
        Assert.Equal(ErrorIds.InvalidValidity, Refused(RsaCsr, r => r.Days = 0).ErrorId);
        Assert.Equal(ErrorIds.InvalidValidity, Refused(RsaCsr, r => r.Months = -1).ErrorId);
        var past = Refused(RsaCsr, r => { r.NotBefore = DateTimeOffset.UtcNow.AddMinutes(-10); r.NotAfter = DateTimeOffset.UtcNow.AddMinutes(-5); });
        Assert.Equal(ErrorIds.InvalidValidity, past.ErrorId);
        Assert.Contains("has passed", past.Message);
    }

    [Fact]
    public void An_expired_issuer_is_IssuerExpired()
    {
        var later = Services.Certificates(_pki.Open(), () => DateTimeOffset.UtcNow.AddYears(6));
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => later.Issue(new NewCertificateRequest { Csr = RsaCsr, Issuer = new CaIdentity("Sub") }));
        Assert.Equal(ErrorIds.IssuerExpired, error.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("bad_name.example.com", ErrorIds.InvalidDnsName)]
    [InlineData("300.1.1.1", ErrorIds.InvalidIpAddress)]
    [InlineData("ops@example.com", ErrorIds.InvalidDomain)]
    [InlineData("www.*.example.com", ErrorIds.MisplacedWildcard)]
    public void A_bad_domain_entry_is_refused_by_name(string entry, string errorId)
    {
        var error = Refused(RsaCsr, r => r.Domains = new[] { "ok.example.com", entry });
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(entry.Split('@')[0], error.Message);
    }

    [Fact]
    public void EnableCrl_without_a_crl_url_is_CrlUrlMissing()
    {
        var error = Refused(RsaCsr, r => r.EnableCrl = true);
        Assert.Equal(ErrorIds.CrlUrlMissing, error.ErrorId);
        Assert.Equal("Sub", error.Target);
    }

    [Fact]
    public void An_unknown_issuer_is_CaNotFound()
    {
        var error = Refused(RsaCsr, r => r.Issuer = new CaIdentity("Nobody"));
        Assert.Equal(ErrorIds.CaNotFound, error.ErrorId);
        Assert.Equal("Nobody", error.Target);
    }

    [Fact]
    public void A_common_name_that_is_no_server_name_and_no_sans_is_NoServerName() =>
        Assert.Equal(ErrorIds.NoServerName, Refused(Hierarchy.Csr(KeySpec.Rsa(2048), "Web Server")).ErrorId);

    [Fact]
    public void Subject_overrides_beat_the_csr_and_the_issuer()
    {
        var issued = _pki.Issue(RsaCsr, r => { r.Organization = "Override Inc"; r.CommonName = "api.example.com"; });
        Assert.Equal("CN=api.example.com, OU=Ops, O=Override Inc, L=Hangzhou, S=Zhejiang, C=US", issued.Subject);
        Assert.Equal(issued.Certificate!.Subject, issued.Subject);
        // The override replaces the request's common name; the request's own SANs stay.
        Assert.Equal(new[] { "api.example.com", "example.com" }, issued.DnsNames);
    }

    [Fact]
    public void Unknown_certificates_are_CertificateNotFound()
    {
        var certificates = Services.Certificates(_pki.Open());
        var error = Assert.Throws<PkiException>(() => certificates.Get("0123456789abcdef0123456789abcdef"));
        Assert.Equal(ErrorIds.CertificateNotFound, error.ErrorId);
        Assert.Equal(ErrorIds.CertificateNotFound, Assert.Single(certificates.Find(new CertificateQuery { SerialNumbers = new[] { "01:02" } }).Problems).ErrorId);
        Assert.Equal(ErrorIds.InvalidSerialNumber, Assert.Throws<PkiException>(() => certificates.Find(new CertificateQuery { SerialNumbers = new[] { "xyz" } })).ErrorId);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        }
        throw new InvalidOperationException("not found");
    }
}
