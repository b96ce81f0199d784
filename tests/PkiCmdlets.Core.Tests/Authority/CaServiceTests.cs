using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

public sealed class CaServiceTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly CaService _cas;

    public CaServiceTests()
    {
        _cas = Services.Cas(_temp.Open());
    }

    public void Dispose() => _temp.Dispose();

    private CertificateAuthority Root(string name = "Root", Action<NewCaRequest>? options = null)
    {
        var request = new NewCaRequest { Name = name, CommonName = "Example Root", Algorithm = "ECC_256", NoPassword = true };
        options?.Invoke(request);
        return _cas.CreateRoot(request);
    }

    private CertificateAuthority Sub(string issuer = "Root", Action<NewCaRequest>? options = null)
    {
        var request = new NewCaRequest { Name = "Sub", CommonName = "Example Sub", Algorithm = "ECC_256", NoPassword = true, Issuer = new CaIdentity(issuer) };
        options?.Invoke(request);
        return _cas.CreateSubordinate(request);
    }

    private PkiException Refused(Action action)
    {
        var before = _temp.Snapshot();
        var error = Assert.Throws<PkiException>(action);
        Assert.Equal(before, _temp.Snapshot());
        return error;
    }

    [Fact]
    public void A_root_has_every_field_and_ten_years_by_default()
    {
        var root = Root(options: r => { r.Organization = "Example Org"; r.Country = "us"; r.CrlUrl = "http://pki.example.com/root.crl"; });

        Assert.Matches("^[0-9a-f]{32}$", root.Id);
        Assert.Equal("Root", root.Name);
        Assert.True(root.IsRoot);
        Assert.Null(root.IssuerId);
        Assert.Equal("ECC_256", root.Algorithm);
        Assert.Equal(256, root.KeySize);
        Assert.Equal("CN=Example Root, O=Example Org, C=US", root.Subject);
        Assert.Equal("Root", root.IssuerName);
        Assert.Equal(root.Subject, root.IssuerSubject);
        Assert.Equal(root.NotBefore.AddYears(10), root.NotAfter);
        Assert.Null(root.PathLength);
        Assert.Equal("http://pki.example.com/root.crl", root.CrlUrl);
        Assert.False(root.KeyProtected);
        Assert.Equal(root.Pem, root.Chain);
        Assert.Equal(root.SerialNumber, root.Certificate!.SerialNumber);
        Assert.Equal(root.Id, _cas.Get(new CaIdentity("root")).Id);
        Assert.Equal("Root", _cas.Get(new CaIdentity(root.Id.ToUpperInvariant())).Name);
    }

    [Fact]
    public void Names_come_from_the_common_name_when_none_is_given_and_stay_unique()
    {
        var first = Root(null!, r => r.Name = null);
        var second = Root(null!, r => r.Name = null);
        Assert.Equal("Example_Root", first.Name);
        Assert.Equal("Example_Root-2", second.Name);
        Assert.Equal(ErrorIds.DuplicateName, Refused(() => Root("example_root")).ErrorId);
        Assert.Equal(ErrorIds.InvalidName, Refused(() => Root("bad name")).ErrorId);
    }

    [Fact]
    public void A_sub_ca_defaults_to_five_years_cut_to_its_issuer_and_path_length_zero()
    {
        Root(options: r => r.Years = 3);
        var sub = Sub();
        var root = _cas.Get(new CaIdentity("Root"));
        Assert.Equal(root.NotAfter, sub.NotAfter);
        Assert.Equal(0, sub.PathLength);
        Assert.Equal(root.Id, sub.IssuerId);
        Assert.Equal("Root", sub.IssuerName);
        Assert.Equal(root.Subject, sub.IssuerSubject);
        Assert.False(sub.IsRoot);
        Assert.Equal(sub.Pem + root.Pem, sub.Chain);
        Assert.Equal(ErrorIds.ValidityExceedsIssuer, Refused(() => Sub(options: r => { r.Name = "Sub2"; r.Years = 4; })).ErrorId);
    }

    [Fact]
    public void A_ca_key_needs_a_password_or_an_explicit_opt_out()
    {
        var error = Refused(() => Root(options: r => r.NoPassword = false));
        Assert.Equal(ErrorIds.CaKeyPasswordRequired, error.ErrorId);
        Assert.Contains("-KeyPassword", error.Message);
        Assert.Contains("-NoPassword", error.Message);
        Assert.Equal(ErrorIds.KeyPasswordConflict, Refused(() => Root(options: r => r.KeyPassword = Services.Password("x"))).ErrorId);
        Assert.Equal(ErrorIds.KeyPasswordEmpty, Refused(() => Root(options: r => { r.NoPassword = false; r.KeyPassword = Services.Password(""); })).ErrorId);
    }

    [Fact]
    public void An_encrypted_ca_key_is_used_with_its_password_or_after_unlock_and_never_without()
    {
        Root(options: r => { r.NoPassword = false; r.KeyPassword = Services.Password("root-pw"); });
        var keyFile = Path.Combine(_temp.Root, "keys", "ca-" + _cas.Get(new CaIdentity("Root")).Id + ".key.pem");
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains("BEGIN PRIVATE KEY", OpenSsl.Ok($"pkey -in {keyFile} -passin pass:root-pw"));

        var locked = Refused(() => Sub());
        Assert.Equal(ErrorIds.CaLocked, locked.ErrorId);
        Assert.Contains("Unlock-CA", locked.Message);
        Assert.Equal(ErrorIds.KeyPasswordIncorrect, Refused(() => Sub(options: r => r.IssuerKeyPassword = Services.Password("wrong"))).ErrorId);
        Assert.Equal(ErrorIds.KeyPasswordIncorrect, Refused(() => _cas.Unlock(new CaIdentity("Root"), Services.Password("wrong"))).ErrorId);

        Assert.True(_cas.Unlock(new CaIdentity("Root"), Services.Password("root-pw")).Unlocked);
        Assert.Equal("Sub", Sub().Name);
        Assert.False(_cas.Lock(new CaIdentity("Root")).Unlocked);
        Assert.Equal(ErrorIds.CaLocked, Refused(() => Sub(options: r => r.Name = "Sub2")).ErrorId);
        Assert.Equal("Sub3", Sub(options: r => { r.Name = "Sub3"; r.IssuerKeyPassword = Services.Password("root-pw"); }).Name);
    }

    [Fact]
    public void An_unlocked_key_locks_itself_when_its_time_is_up()
    {
        var now = DateTimeOffset.UtcNow;
        var cas = Services.Cas(_temp.Open(), () => now);
        cas.CreateRoot(new NewCaRequest { Name = "Timed", CommonName = "Timed Root", Algorithm = "ECC_256", KeyPassword = Services.Password("pw") });
        cas.Unlock(new CaIdentity("Timed"), Services.Password("pw"), TimeSpan.FromSeconds(60));
        Assert.True(cas.Get(new CaIdentity("Timed")).Unlocked);
        now = now.AddSeconds(61);
        Assert.False(cas.Get(new CaIdentity("Timed")).Unlocked);
        Assert.Equal(ErrorIds.InvalidUnlockTimeout, Assert.Throws<PkiException>(() => cas.Unlock(new CaIdentity("Timed"), Services.Password("pw"), TimeSpan.Zero)).ErrorId);
    }

    [Fact]
    public void Path_lengths_nest()
    {
        Root(options: r => r.PathLength = 1);
        var sub = Sub(options: r => r.PathLength = 0);
        Assert.Equal(0, sub.PathLength);
        var error = Refused(() => Sub(options: r => { r.Name = "Sub2"; r.PathLength = 1; }));
        Assert.Equal(ErrorIds.PathLengthExceeded, error.ErrorId);
        Assert.Equal(ErrorIds.PathLengthExceeded, Refused(() => Sub("Sub", r => r.Name = "Below")).ErrorId);
        Assert.Equal(ErrorIds.InvalidPathLength, Refused(() => Root("Neg", r => r.PathLength = -1)).ErrorId);
    }

    [Theory]
    [InlineData("pki.example.com/root.crl")]
    [InlineData("ftp://pki.example.com/root.crl")]
    [InlineData("http://pki.example.com/a b.crl")]
    public void A_bad_crl_url_is_InvalidCrlUrl(string url)
    {
        var error = Refused(() => Root(options: r => r.CrlUrl = url));
        Assert.Equal(ErrorIds.InvalidCrlUrl, error.ErrorId);
        Assert.Equal(url, error.Target);
    }

    [Theory]
    [InlineData("*.example.com", null)]
    [InlineData(null, "10.1.2.3/8")]
    [InlineData(null, "10.0.0.0/33")]
    [InlineData(null, "10.0.0.0")]
    public void Bad_name_constraints_are_InvalidNameConstraint(string? domain, string? range)
    {
        Root();
        var error = Refused(() => Sub(options: r =>
        {
            r.PermittedDnsDomains = domain == null ? null : new[] { domain };
            r.PermittedIpRanges = range == null ? null : new[] { range };
        }));
        Assert.Equal(ErrorIds.InvalidNameConstraint, error.ErrorId);
        Assert.Equal(domain ?? range, error.Target);
    }

    [Fact]
    public void A_constrained_sub_ca_refuses_names_outside_its_constraints()
    {
        Root();
        var sub = Sub(options: r =>
        {
            r.PermittedDnsDomains = new[] { "example.com", ".internal.test" };
            r.ExcludedDnsDomains = new[] { "secret.example.com", "vault.internal.test" };
            r.PermittedIpRanges = new[] { "10.0.0.0/8", "fd00::/8" };
        });
        Assert.Equal(new[] { "example.com", ".internal.test" }, sub.PermittedDnsDomains);
        Assert.Equal(new[] { "secret.example.com", "vault.internal.test" }, sub.ExcludedDnsDomains);
        Assert.Equal(new[] { "10.0.0.0/8", "fd00::/8" }, sub.PermittedIpRanges);

        var certificates = new CertificateService(_cas);
        IssuedCertificate Issue(string cn, params string[] sans) => certificates.Issue(new NewCertificateRequest
        {
            Csr = Hierarchy.Csr(KeySpec.Ecc(256), cn, sans),
            Issuer = new CaIdentity("Sub"),
        });

        Assert.Equal("example.com", Issue("example.com").CommonName);
        Assert.Equal("www.example.com", Issue("www.example.com", "*.api.example.com", "10.1.2.3", "fd00::1").CommonName);
        Assert.Equal("a.internal.test", Issue("a.internal.test", "*.a.internal.test").CommonName);
        // *.internal.test could stand for the excluded vault.internal.test.
        Assert.Equal(ErrorIds.NameNotPermitted, Refused(() => Issue("b.internal.test", "*.internal.test")).ErrorId);
        foreach (var (cn, bad) in new[] { ("internal.test", "internal.test"), ("www.example.org", "www.example.org"), ("www.example.com", "*.secret.example.com"), ("www.example.com", "*.example.com"),
                     ("x.secret.example.com", "x.secret.example.com"), ("www.example.com", "192.168.1.1"), ("www.example.com", "notexample.com") })
        {
            var sans = cn == bad ? Array.Empty<string>() : new[] { bad };
            var error = Refused(() => Issue(cn, sans));
            Assert.Equal(ErrorIds.NameNotPermitted, error.ErrorId);
            Assert.Equal(bad, error.Target);
        }
    }

    [Fact]
    public void Find_filters_by_wildcard_id_and_kind_and_reports_unknown_names()
    {
        var root = Root();
        Sub();
        Assert.Equal(new[] { "Root", "Sub" }, _cas.Find().Items.Select(c => c.Name));
        Assert.Equal(new[] { "Sub" }, _cas.Find(new[] { "S*" }).Items.Select(c => c.Name));
        Assert.Equal(new[] { "Root" }, _cas.Find(new[] { root.Id }).Items.Select(c => c.Name));
        Assert.Equal(new[] { "Root" }, _cas.Find(null, roots: true).Items.Select(c => c.Name));
        Assert.Equal(new[] { "Sub" }, _cas.Find(null, roots: false).Items.Select(c => c.Name));
        var listing = _cas.Find(new[] { "Missing", "Root" });
        Assert.Equal(new[] { "Root" }, listing.Items.Select(c => c.Name));
        Assert.Equal(ErrorIds.CaNotFound, Assert.Single(listing.Problems).ErrorId);
        Assert.Equal(ErrorIds.CaNotFound, Assert.Throws<PkiException>(() => _cas.Get(new CaIdentity("Missing"))).ErrorId);
    }

    [Fact]
    public void A_damaged_ca_record_is_reported_and_the_rest_listed()
    {
        var root = Root();
        Sub();
        Root("Other");
        File.WriteAllText(Path.Combine(_temp.Root, "cas", root.Id + ".crt.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var listing = _cas.Find();
        Assert.Equal(new[] { "Other" }, listing.Items.Select(c => c.Name));
        Assert.Equal("Other", _cas.Get(new CaIdentity("Other")).Name); // lookups of other CAs still work
        File.WriteAllText(Path.Combine(_temp.Root, "cas", root.Id + ".json"), "{ damaged");
        // Asked for by Id, the damaged record says it is damaged rather than missing.
        Assert.Equal(ErrorIds.StoreRecordCorrupt, Assert.Throws<PkiException>(() => _cas.Get(new CaIdentity(root.Id))).ErrorId);
        Assert.Equal(ErrorIds.CaNotFound, Assert.Throws<PkiException>(() => _cas.Get(new CaIdentity("Root"))).ErrorId);
        // The root, and the intermediate whose chain runs through it, each name the damaged file.
        Assert.Equal(2, listing.Problems.Count);
        Assert.All(listing.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
        Assert.All(listing.Problems, p => Assert.Contains(root.Id + ".crt.pem", p.Message));
    }

    [Theory]
    [InlineData("RSA_3072")]
    [InlineData("ECC_384")]
    [InlineData("ECC_521")]
    [InlineData("SM2_256")]
    public void Every_algorithm_makes_a_hierarchy(string algorithm)
    {
        Root(options: r => r.Algorithm = algorithm);
        var sub = Sub(options: r => r.Algorithm = algorithm);
        Assert.Equal(algorithm, sub.Algorithm);
        var spec = KeySpec.FromAlgorithmName(algorithm);
        var issued = new CertificateService(_cas).Issue(new NewCertificateRequest { Csr = Hierarchy.Csr(spec, "www.example.com"), Issuer = new CaIdentity("Sub") });
        Assert.Equal(algorithm, issued.Algorithm);
    }
}
