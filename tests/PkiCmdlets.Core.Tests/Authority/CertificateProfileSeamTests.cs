using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// A certificate profile is a seam: a second profile, defined here and nowhere in the product, is registered in the one
/// table and issues through the same path as the server profile (request, issuer rules, signing, journal, listing), with
/// its own extensions, names, lifetime and rules; every issued record says which profile made it.
/// </summary>
public sealed class CertificateProfileSeamTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "signer.example.com", "signer.example.com");
    private readonly Hierarchy _pki = new("ECC_256");

    static CertificateProfileSeamTests()
    {
        CertificateProfiles.Register(new CodeSigningTestProfile());
        CertificateProfiles.Register(new ServerAndClientTestProfile());
    }

    public void Dispose() => _pki.Dispose();

    private string JournalPath => Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id));

    [Fact]
    public void A_second_profile_issues_through_the_same_path_with_its_own_extensions_names_and_lifetime()
    {
        using var batch = Services.Certificates(_pki.Open()).BeginBatch();
        batch.Add(new NewCertificateRequest { Csr = Csr, Issuer = new CaIdentity("Sub"), Profile = CodeSigningTestProfile.ProfileName });
        batch.Add(new NewCertificateRequest { Csr = Csr, Issuer = new CaIdentity("Sub") });
        var issued = batch.Commit();

        var signing = issued[0];
        Assert.Equal(CodeSigningTestProfile.ProfileName, signing.Profile);
        Assert.Equal(TimeSpan.FromDays(30), signing.NotAfter - signing.NotBefore);
        Assert.Empty(signing.DnsNames);
        var certificate = signing.Certificate;
        Assert.Equal(new[] { "1.3.6.1.5.5.7.3.3" }, certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Null(certificate.Extensions["2.5.29.17"]); // no subjectAltName: this profile covers no names
        // What every issuance shares is there as for the server profile: key identifiers, issuer, chain.
        Assert.NotNull(certificate.Extensions["2.5.29.14"]);
        Assert.NotNull(certificate.Extensions["2.5.29.35"]);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root.Certificate!);
        chain.ChainPolicy.ExtraStore.Add(_pki.Sub.Certificate!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.3"));
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var server = issued[1];
        Assert.Equal("Server", server.Profile);
        Assert.Equal(new[] { "1.3.6.1.5.5.7.3.1" }, server.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));

        var listed = Services.Certificates(_pki.Open()).Find(new CertificateQuery()).Items;
        Assert.Equal(new[] { CodeSigningTestProfile.ProfileName, "Server" }, listed.Select(c => c.Profile));
    }

    [Fact]
    public void A_kind_that_is_a_server_certificate_and_more_is_a_subclass_that_names_its_extended_key_usages()
    {
        var issued = _pki.Issue(Csr, r =>
        {
            r.Profile = ServerAndClientTestProfile.ProfileName;
            r.Domains = new[] { "api.example.com" };
        });

        Assert.Equal(ServerAndClientTestProfile.ProfileName, issued.Profile);
        Assert.Equal(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" },
            issued.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(new[] { "signer.example.com", "api.example.com" }, issued.DnsNames); // the server profile's names and rules
        Assert.Equal(ErrorIds.InvalidDomain, Assert.Throws<PkiException>(() => _pki.Issue(Csr, r =>
        {
            r.Profile = ServerAndClientTestProfile.ProfileName;
            r.Domains = new[] { "someone@example.com" };
        })).ErrorId);
    }

    [Fact]
    public void A_profile_s_own_rules_refuse_what_it_does_not_take_and_change_nothing()
    {
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => _pki.Issue(Csr, r =>
        {
            r.Profile = CodeSigningTestProfile.ProfileName;
            r.Domains = new[] { "www.example.com" };
        }));
        Assert.Equal(CodeSigningTestProfile.TakesNoNames, error.ErrorId);
        // The rules every issuance shares still hold for it: an RSA key below an ECC intermediate is refused.
        var rsa = Hierarchy.Csr(KeySpec.Rsa(2048), "signer.example.com");
        Assert.Equal(ErrorIds.KeyAlgorithmMismatch, Assert.Throws<PkiException>(() => _pki.Issue(rsa, r => r.Profile = CodeSigningTestProfile.ProfileName)).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_profile_not_in_the_table_is_CertificateProfileUnknown_naming_those_that_are()
    {
        var before = _pki.Store.Snapshot();
        var error = Assert.Throws<PkiException>(() => _pki.Issue(Csr, r => r.Profile = "Timestamping"));
        Assert.Equal(ErrorIds.CertificateProfileUnknown, error.ErrorId);
        Assert.Equal("Timestamping", error.Target);
        Assert.Contains("Server", error.Message);
        Assert.Equal(before, _pki.Store.Snapshot());
        Assert.Equal("Server", _pki.Issue(Csr, r => r.Profile = "server").Profile); // names are case-insensitive
    }

    [Fact]
    public void Every_issued_record_says_which_profile_made_it_and_a_record_without_one_reads_as_the_server_profile()
    {
        var issued = _pki.Issue(Csr);
        var line = File.ReadAllLines(JournalPath)[1];
        Assert.Contains("\"profile\":\"Server\"", line);
        OlderJournal.Rewrite(_pki.Store.Root, _pki.Sub.Id, l => l.Replace(",\"profile\":\"Server\"", string.Empty));

        var listed = Assert.Single(Services.Certificates(_pki.Open()).Find(new CertificateQuery()).Items);
        Assert.Equal(issued.Identifier, listed.Identifier);
        Assert.Equal("Server", listed.Profile);
    }

    /// <summary>A TLS server that is also a TLS client: the server profile with clientAuth too. One class, one registration.</summary>
    private sealed class ServerAndClientTestProfile : ServerProfile
    {
        public new const string ProfileName = "TestServerAndClient";

        public override string Name => ProfileName;

        protected override KeyPurposeID[] ExtendedKeyUsages => new[] { KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth };
    }

    /// <summary>
    /// A code-signing certificate: CA:false, digitalSignature, the codeSigning EKU, no subject alternative names (and
    /// none may be added), 30 days. Defined only here, to prove that a new kind is one class and one registration.
    /// </summary>
    private sealed class CodeSigningTestProfile : CertificateProfile
    {
        public const string ProfileName = "TestCodeSigning";
        public const string TakesNoNames = "TestProfileTakesNoNames";

        public override string Name => ProfileName;

        public override TimeSpan DefaultLifetime => TimeSpan.FromDays(30);

        public override List<SubjectAlternativeName> NamesAsked(IssuanceRequest request) =>
            request.AddedNames.Count == 0
                ? new List<SubjectAlternativeName>()
                : throw new PkiException(TakesNoNames, PkiErrorKind.InvalidArgument, request.AddedNames[0], "A code-signing certificate names no hosts.");

        public override IReadOnlyList<SubjectAlternativeName> Covered(string commonName, List<SubjectAlternativeName> namesAsked) => namesAsked;

        public override void AddExtensions(X509ExtensionsGenerator extensions, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names)
        {
            extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
            extensions.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(new[] { KeyPurposeID.id_kp_codeSigning }));
        }
    }
}
