using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>Certificates from outside CAs (ACME orders) live beside our own: kept, found, exported with the store's key, never revoked by us.</summary>
public sealed class ExternalCertificateTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly Hierarchy _outside = new("ECC_256");
    private readonly CertificateSigningRequest _csr;
    private readonly IssuedCertificate _issuedOutside;
    private readonly byte[][] _chain;

    public ExternalCertificateTests()
    {
        _csr = Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", SubjectAlternativeNames = new[] { "192.0.2.9" }, Algorithm = "ECC_256" });
        _issuedOutside = _outside.Issue(_csr.Csr!, r => r.IncludeChain = true);
        _chain = new[] { _outside.Sub.Certificate!.RawData, _outside.Root.Certificate!.RawData };
    }

    public void Dispose()
    {
        _temp.Dispose();
        _outside.Dispose();
    }

    private CertificateService Certificates => Services.Certificates(_temp.Open());

    private IssuedCertificate Keep() => Certificates.RecordExternal(_issuedOutside.Certificate!.RawData, _chain);

    [Fact]
    public void An_outside_certificate_is_kept_with_its_names_issuer_chain_and_the_store_s_CSR()
    {
        var kept = Keep();

        Assert.Equal(CertificateService.ExternalIssuerId, kept.IssuerId);
        Assert.Equal("Test Sub CA", kept.IssuerName);
        Assert.Equal(_issuedOutside.SerialNumber, kept.SerialNumber);
        Assert.Equal(new[] { "www.example.com" }, kept.DnsNames);
        Assert.Equal(new[] { "192.0.2.9" }, kept.IpAddresses);
        Assert.Equal(_csr.Id, kept.CsrId);
        Assert.Equal(_outside.Sub.Pem + _outside.Root.Pem, kept.CertificateChain);
    }

    [Fact]
    public void A_kept_certificate_is_found_with_the_store_s_own_with_its_chain()
    {
        var kept = Keep();

        var found = Assert.Single(Certificates.Find(new CertificateQuery { DnsNames = new[] { "www.*" } }).Items);
        Assert.Equal(kept.Identifier, found.Identifier);
        Assert.Equal(_outside.Sub.Pem + _outside.Root.Pem, found.CertificateChain);
    }

    [Fact]
    public void A_kept_certificate_is_exported_with_the_key_of_the_store_s_CSR()
    {
        var kept = Keep();

        var pfx = Path.Combine(_temp.Folder, "www.pfx");
        new CertificateExportService(_temp.Open()).Export(new ExportRequest
        {
            Identifier = kept.Identifier, Format = ExportFormat.Pfx, Path = pfx, IncludeChain = true, IncludePrivateKey = true, Password = Services.Password("pw"),
        });
        Assert.Contains("BEGIN PRIVATE KEY", OpenSsl.Ok($"pkcs12 -in {pfx} -nodes -passin pass:pw"));
    }

    [Fact]
    public void A_kept_certificate_is_not_revocable_by_the_store()
    {
        var kept = Keep();

        var error = Assert.Throws<PkiException>(() => Certificates.Revoke(kept.Identifier, RevocationReason.KeyCompromise));
        Assert.Equal(ErrorIds.CertificateNotRevocable, error.ErrorId);
    }

    [Fact]
    public void What_is_not_a_certificate_is_refused_as_CertificateUnreadable()
    {
        var before = _temp.Snapshot();
        var error = Assert.Throws<PkiException>(() => Certificates.RecordExternal(new byte[] { 0x30, 0x03, 0x02, 0x01 }, _chain));
        Assert.Equal(ErrorIds.CertificateUnreadable, error.ErrorId);
        Assert.Equal(before, _temp.Snapshot());
    }
}
