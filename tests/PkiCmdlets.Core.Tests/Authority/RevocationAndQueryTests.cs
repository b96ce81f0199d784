using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

public sealed class RevocationAndQueryTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256", crlUrl: "http://pki.example.com/root.crl");

    public void Dispose() => _pki.Dispose();

    private IssuedCertificate Issue(string cn, int days = 365) =>
        _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), cn), r => r.Days = days);

    [Fact]
    public void Revoking_marks_the_certificate_and_twice_is_an_error()
    {
        var issued = Issue("www.example.com");
        var certificates = Services.Certificates(_pki.Open());
        var revoked = certificates.Revoke(issued.Identifier, RevocationReason.KeyCompromise);
        Assert.Equal(nameof(CertificateStatus.Revoked), revoked.Status);
        Assert.Equal(nameof(RevocationReason.KeyCompromise), revoked.RevocationReason);
        Assert.Equal(nameof(CertificateStatus.Revoked), certificates.Get(issued.Identifier).Status);

        var other = Issue("b.example.com");
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => certificates.Revoke(issued.Identifier, RevocationReason.Superseded));
        Assert.Equal(ErrorIds.CertificateAlreadyRevoked, error.ErrorId);
        Assert.Equal(issued.Identifier, error.Target);
        Assert.Equal(ErrorIds.InvalidRevocationReason, Assert.Throws<PkiException>(() => certificates.Revoke(other.Identifier, (RevocationReason)8)).ErrorId);
        Assert.Equal(ErrorIds.CertificateNotFound, Assert.Throws<PkiException>(() => certificates.Revoke("ffffffffffffffffffffffffffffffff", RevocationReason.Unspecified)).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("lower")]
    [InlineData("colons")]
    [InlineData("lower colons")]
    public void An_identifier_may_be_the_serial_number_in_any_case_with_or_without_colons(string form)
    {
        var issued = Issue("serial.example.com");
        var serial = issued.SerialNumber;
        var text = form.Contains("lower") ? serial.ToLowerInvariant() : serial;
        if (form.Contains("colons")) text = string.Join(":", Enumerable.Range(0, text.Length / 2).Select(i => text.Substring(2 * i, 2)));
        var certificates = Services.Certificates(_pki.Open());

        var listing = certificates.Find(new CertificateQuery { Identifiers = new[] { text } });
        Assert.Empty(listing.Problems);
        Assert.Equal(issued.Identifier, Assert.Single(listing.Items).Identifier);
        Assert.Equal(issued.Identifier, certificates.Find(new CertificateQuery { SerialNumbers = new[] { text } }).Items.Single().Identifier);
    }

    [Fact]
    public void An_identifier_found_nowhere_is_named_as_it_was_typed()
    {
        Issue("www.example.com");
        var listing = Services.Certificates(_pki.Open()).Find(new CertificateQuery { Identifiers = new[] { "AB:CD:EF", "NotAnId" } });
        Assert.Empty(listing.Items);
        Assert.Equal(new[] { "AB:CD:EF", "NotAnId" }, listing.Problems.Select(p => p.Target));
        Assert.All(listing.Problems, p => Assert.Equal(ErrorIds.CertificateNotFound, p.ErrorId));
        Assert.Contains("'AB:CD:EF'", listing.Problems[0].Message);
    }

    [Fact]
    public void Revoking_asks_for_each_certificate_by_what_it_is_and_keeps_those_declined()
    {
        var a = Issue("a.example.com");
        var b = Issue("b.example.com");
        var asked = new List<IssuedCertificate>();
        var result = Services.Certificates(_pki.Open()).RevokeMany(new[] { a.Identifier, b.Identifier }, RevocationReason.Superseded, default,
            c => { asked.Add(c); return c.Identifier == a.Identifier; });

        Assert.Equal(new[] { "a.example.com", "b.example.com" }, asked.Select(c => c.CommonName).Order());
        Assert.All(asked, c => Assert.Equal("Sub", c.IssuerName));
        Assert.Equal(a.Identifier, Assert.Single(result.Items).Identifier);
        Assert.Equal(nameof(CertificateStatus.Valid), Services.Certificates(_pki.Open()).Get(b.Identifier).Status);
    }

    [Fact]
    public void Crl_numbers_only_grow_and_the_crl_lists_the_revoked()
    {
        var crls = new CrlService(Services.Cas(_pki.Open()));
        var first = crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        Assert.Equal(1, first.CrlNumber);
        Assert.Equal(0, first.RevokedCount);
        Assert.Equal(first.ThisUpdate.AddHours(CrlService.DefaultNextUpdateHours), first.NextUpdate);

        var issued = Issue("www.example.com");
        Services.Certificates(_pki.Open()).Revoke(issued.Identifier, RevocationReason.Superseded);
        var path = Path.Combine(_pki.Store.Folder, "sub.crl");
        var second = crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), NextUpdateHours = 24, Path = path });
        Assert.Equal(2, second.CrlNumber);
        Assert.Equal(1, second.RevokedCount);
        Assert.Equal(second.Der, File.ReadAllBytes(path));
        Assert.Equal(second.Pem, File.ReadAllText(second.StoreFile));
        Assert.Equal(ErrorIds.ExportFileExists, Assert.Throws<PkiException>(() => crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), NextUpdateHours = 24, Path = path })).ErrorId);
        Assert.Equal(second.Der, File.ReadAllBytes(path));
        Assert.Equal(3, crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), NextUpdateHours = 24, Path = path, Force = true }).CrlNumber);
        var text = OpenSsl.Ok($"crl -inform DER -in {path} -noout -text");
        Assert.Contains(issued.SerialNumber, text.Replace(":", string.Empty).ToUpperInvariant());
        Assert.Contains("Superseded", text);

        // Another store instance (another session) continues the count.
        Assert.Equal(4, new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), AsPem = true }).CrlNumber);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9000)]
    public void A_next_update_out_of_range_is_InvalidNextUpdate(int hours) =>
        Assert.Equal(ErrorIds.InvalidNextUpdate, Assert.Throws<PkiException>(() => new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), NextUpdateHours = hours })).ErrorId);

    [Fact]
    public void Queries_filter_by_name_expiry_status_and_issuer()
    {
        var www = Issue("www.example.com", 10);
        var api = Issue("api.example.com", 100);
        var old = Issue("old.example.com", 5);
        var certificates = Services.Certificates(_pki.Open());
        certificates.Revoke(old.Identifier, RevocationReason.CessationOfOperation);

        string[] Names(CertificateQuery query) => certificates.Find(query).Items.Select(c => c.CommonName).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "api.example.com", "old.example.com", "www.example.com" }, Names(new CertificateQuery()));
        Assert.Equal(new[] { "api.example.com", "www.example.com" }, Names(new CertificateQuery { DnsNames = new[] { "w*", "API.*" } }));
        Assert.Equal(new[] { "www.example.com" }, Names(new CertificateQuery { ExpiresWithinDays = 30 }));
        Assert.Equal(new[] { "old.example.com" }, Names(new CertificateQuery { Status = CertificateStatus.Revoked }));
        Assert.Equal(new[] { "api.example.com" }, Names(new CertificateQuery { SerialNumbers = new[] { string.Join(":", Enumerable.Range(0, 16).Select(i => api.SerialNumber.Substring(i * 2, 2))).ToLowerInvariant() } }));
        Assert.Equal(new[] { "www.example.com" }, Names(new CertificateQuery { Identifiers = new[] { www.Identifier.ToUpperInvariant() }, Issuer = new CaIdentity("Sub") }));
        Assert.Empty(Names(new CertificateQuery { Issuer = new CaIdentity("Root") }));
        Assert.All(certificates.Find(new CertificateQuery()).Items, c => Assert.Equal(_pki.Sub.Pem + _pki.Root.Pem, c.CertificateChain));

        var later = Services.Certificates(_pki.Open(), () => DateTimeOffset.UtcNow.AddDays(50));
        Assert.Equal(nameof(CertificateStatus.Expired), later.Get(www.Identifier).Status);
        Assert.Equal(new[] { "www.example.com" }, later.Find(new CertificateQuery { Status = CertificateStatus.Expired }).Items.Select(c => c.CommonName));
    }

    [Fact]
    public void EnableCrl_points_to_the_issuers_crl_url()
    {
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), r => r.EnableCrl = true);
        var path = _pki.File("leaf.pem", issued.X509Certificate);
        Assert.Contains("URI:http://pki.example.com/sub.crl", OpenSsl.Ok($"x509 -in {path} -noout -ext crlDistributionPoints"));
    }
}
