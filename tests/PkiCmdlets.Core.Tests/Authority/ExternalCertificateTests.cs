using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>Certificates from outside CAs (ACME orders) live beside our own: found, exported with the store's key, never revoked by us.</summary>
public sealed class ExternalCertificateTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly Hierarchy _outside = new("ECC_256");

    public void Dispose()
    {
        _temp.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public void An_outside_certificate_is_kept_found_exported_and_not_revocable()
    {
        var csr = Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", SubjectAlternativeNames = new[] { "192.0.2.9" }, Algorithm = "ECC_256" });
        var issuedOutside = _outside.Issue(csr.Csr!, r => r.IncludeChain = true);
        var chain = new[] { _outside.Sub.Certificate!.RawData, _outside.Root.Certificate!.RawData };
        var certificates = Services.Certificates(_temp.Open());

        var kept = certificates.RecordExternal(issuedOutside.Certificate!.RawData, chain);
        Assert.Equal(CertificateService.ExternalIssuerId, kept.IssuerId);
        Assert.Equal("Test Sub CA", kept.IssuerName);
        Assert.Equal(issuedOutside.SerialNumber, kept.SerialNumber);
        Assert.Equal(new[] { "www.example.com" }, kept.DnsNames);
        Assert.Equal(new[] { "192.0.2.9" }, kept.IpAddresses);
        Assert.Equal(csr.Id, kept.CsrId);
        Assert.Equal(_outside.Sub.Pem + _outside.Root.Pem, kept.CertificateChain);

        var found = Assert.Single(certificates.Find(new CertificateQuery { DnsNames = new[] { "www.*" } }).Items);
        Assert.Equal(kept.Identifier, found.Identifier);
        Assert.Equal(_outside.Sub.Pem + _outside.Root.Pem, found.CertificateChain);

        var pfx = Path.Combine(_temp.Folder, "www.pfx");
        new CertificateExportService(_temp.Open()).Export(new ExportRequest
        {
            Identifier = kept.Identifier, Format = ExportFormat.Pfx, Path = pfx, IncludeChain = true, IncludePrivateKey = true, Password = Services.Password("pw"),
        });
        Assert.Contains("BEGIN PRIVATE KEY", OpenSsl.Ok($"pkcs12 -in {pfx} -nodes -passin pass:pw"));

        var error = Assert.Throws<PkiException>(() => certificates.Revoke(kept.Identifier, RevocationReason.KeyCompromise));
        Assert.Equal(ErrorIds.CertificateNotRevocable, error.ErrorId);
        Assert.Equal(ErrorIds.CertificateUnreadable, Assert.Throws<PkiException>(() => certificates.RecordExternal(new byte[] { 0x30, 0x03, 0x02, 0x01 }, chain)).ErrorId);
    }
}
