using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// The client profile's rules (which identities it takes and refuses), listing by profile, and client certificates
/// for a key the store makes: kept like a CSR's key, exported with it, and nothing kept when issuing is refused.
/// </summary>
public sealed class ClientProfileTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "alice");
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private IssuedCertificate Client(Action<NewCertificateRequest> options) => _pki.Issue(Csr, r =>
    {
        r.Profile = "Client";
        options(r);
    });

    [Theory]
    [InlineData("not a uri")]
    [InlineData("relative/path")]
    [InlineData("spiffe://Example.org/workload")]
    [InlineData("spiffe://example.org/a/../b")]
    [InlineData("spiffe://example.org/a//b")]
    [InlineData("spiffe://example.org/a?x=1")]
    [InlineData("SPIFFE://example.org/a")]
    [InlineData("https://example.org/é")]
    public void A_uri_a_certificate_cannot_name_is_InvalidUri_and_changes_nothing(string uri)
    {
        var before = _pki.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => Client(r => r.Uris = new[] { uri }));

        Assert.Equal(ErrorIds.InvalidUri, error.ErrorId);
        Assert.Equal(uri, error.Target);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("@example.com")]
    [InlineData("alice smith@example.com")]
    [InlineData("alice@*.example.com")]
    [InlineData("alice@exa mple.com")]
    public void A_user_principal_name_that_is_not_user_at_domain_is_InvalidUserPrincipalName(string upn)
    {
        var before = _pki.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => Client(r => r.UserPrincipalNames = new[] { upn }));

        Assert.Equal(ErrorIds.InvalidUserPrincipalName, error.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_client_s_dns_name_must_be_a_dns_name_and_its_e_mail_address_an_e_mail_address()
    {
        Assert.Equal(ErrorIds.InvalidDnsName, Assert.Throws<PkiException>(() => Client(r => r.Domains = new[] { "192.0.2.1" })).ErrorId);
        Assert.Equal(ErrorIds.InvalidEmailAddress, Assert.Throws<PkiException>(() => Client(r => r.EmailAddresses = new[] { "alice@" })).ErrorId);
    }

    [Fact]
    public void Identities_are_normalized_and_named_once()
    {
        var issued = Client(r =>
        {
            r.EmailAddresses = new[] { "alice@EXAMPLE.com, alice@example.com" };
            r.Domains = new[] { "Alice.Example.COM" };
            r.UserPrincipalNames = new[] { "Alice@Corp.Example.com" };
        });

        Assert.Equal(new[] { "alice@example.com" }, issued.EmailAddresses);
        Assert.Equal(new[] { "alice.example.com" }, issued.DnsNames);
        Assert.Equal(new[] { "Alice@corp.example.com" }, issued.UserPrincipalNames);
        Assert.Equal(new[] { "alice.example.com", "alice@example.com", "Alice@corp.example.com" }, issued.Names);
    }

    [Fact]
    public void The_server_profile_still_refuses_client_identities_and_ignores_those_of_a_csr()
    {
        var csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "someone@example.com");

        var issued = _pki.Issue(csr);

        Assert.Empty(issued.EmailAddresses);
        Assert.Equal(new[] { "www.example.com" }, issued.Names);
    }

    [Fact]
    public void Listing_filters_by_profile_and_refuses_a_profile_that_is_not_in_the_table()
    {
        var server = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        var client = Client(r => r.EmailAddresses = new[] { "alice@example.com" });
        var both = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "svc.example.com"), r => r.Profile = "ServerAndClient");
        var certificates = Services.Certificates(_pki.Open());

        Assert.Equal(new[] { client.Identifier }, certificates.Find(new CertificateQuery { Profiles = new[] { "client" } }).Items.Select(c => c.Identifier));
        Assert.Equal(new[] { server.Identifier, both.Identifier },
            certificates.Find(new CertificateQuery { Profiles = new[] { "Server", "ServerAndClient" } }).Items.Select(c => c.Identifier));
        var error = Assert.Throws<PkiException>(() => certificates.Find(new CertificateQuery { Profiles = new[] { "Smartcard" } }));
        Assert.Equal(ErrorIds.CertificateProfileUnknown, error.ErrorId);
    }

    [Fact]
    public void A_client_certificate_for_a_key_the_store_makes_keeps_the_key_as_a_csr_s_and_exports_it_in_a_pfx()
    {
        var issuance = new NewKeyIssuance(Services.Cas(_pki.Open()), spec => TestKeys.For(spec, "client"));

        var issued = issuance.Issue(
            new NewCertificateRequest { Issuer = new CaIdentity("Sub"), Profile = "Client", EmailAddresses = new[] { "dave@example.com" } },
            new NewCsrRequest { Algorithm = "ECC", Name = "dave" });

        Assert.Equal("dave@example.com", issued.CommonName);
        Assert.Equal(new[] { "dave@example.com" }, issued.EmailAddresses);
        Assert.NotNull(issued.CsrId);
        var csr = Services.Csrs(_pki.Open()).Get(issued.CsrId!.Value);
        Assert.Equal("dave", csr.Name);
        using var key = TestKeys.For(KeySpec.Ecc(256), "client");
        Assert.Equal(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(issued.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        var pfx = Path.Combine(_pki.Store.Folder, "dave.pfx");
        new CertificateExportService(_pki.Open()).Export(new ExportRequest
        {
            Identifier = issued.Identifier, Format = ExportFormat.Pfx, Path = pfx, IncludePrivateKey = true, Password = Services.Password("pfx-password"),
        });
        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(pfx, "pfx-password");
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(issued.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void A_refused_client_certificate_for_a_new_key_keeps_no_key_and_no_csr()
    {
        var issuance = new NewKeyIssuance(Services.Cas(_pki.Open()), spec => TestKeys.For(spec, "client"));
        var before = _pki.Store.Snapshot();

        // An RSA key below an ECC intermediate: the rules of issuing refuse it after the key is made, before it is kept.
        var mismatch = Assert.Throws<PkiException>(() => issuance.Issue(
            new NewCertificateRequest { Issuer = new CaIdentity("Sub"), Profile = "Client", CommonName = "erin" }, new NewCsrRequest { Algorithm = "RSA" }));
        var badUri = Assert.Throws<PkiException>(() => issuance.Issue(
            new NewCertificateRequest { Issuer = new CaIdentity("Sub"), Profile = "Client", CommonName = "erin", Uris = new[] { "no uri" } }, new NewCsrRequest { Algorithm = "ECC" }));
        var root = Assert.Throws<PkiException>(() => issuance.Issue(
            new NewCertificateRequest { Issuer = new CaIdentity("Root"), Profile = "Client", CommonName = "erin" }, new NewCsrRequest { Algorithm = "ECC" }));
        var noName = Assert.Throws<PkiException>(() => issuance.Issue(
            new NewCertificateRequest { Issuer = new CaIdentity("Sub"), Profile = "Client" }, new NewCsrRequest { Algorithm = "ECC" }));

        Assert.Equal(ErrorIds.KeyAlgorithmMismatch, mismatch.ErrorId);
        Assert.Equal(ErrorIds.InvalidUri, badUri.ErrorId);
        Assert.Equal(ErrorIds.IssuerNotIntermediate, root.ErrorId);
        Assert.Equal(ErrorIds.CommonNameMissing, noName.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }
}
