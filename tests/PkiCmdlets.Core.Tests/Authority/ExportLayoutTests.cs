using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// The files nginx, Apache and HAProxy take, as openssl reads them: the certificate, the chain without the root (the root
/// only when asked), the full chain and the key alone; keys 0600, everything else 0644, and a replaced file keeps its mode.
/// </summary>
public sealed class ExportLayoutTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");
    private readonly CertificateExportService _exports;
    private readonly IssuedCertificate _issued;

    public ExportLayoutTests()
    {
        _exports = new CertificateExportService(_pki.Open());
        var csr = new CsrService(_pki.Open(), spec => TestKeys.For(spec, "www")).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC", Name = "www" });
        _issued = _pki.Issue(csr.Csr!);
    }

    public void Dispose() => _pki.Dispose();

    private string Target(string name) => Path.Combine(_pki.Store.Folder, name);

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void The_certificate_chain_full_chain_and_key_go_to_files_of_their_own_as_web_servers_take_them()
    {
        var written = _exports.Export(new ExportRequest
        {
            Identifier = _issued.Identifier, Path = Target("cert.pem"), ChainPath = Target("chain.pem"), FullChainPath = Target("fullchain.pem"), KeyPath = Target("privkey.pem"),
        });

        Assert.Equal(new[] { Target("cert.pem"), Target("chain.pem"), Target("fullchain.pem"), Target("privkey.pem") }, written);
        Assert.Equal(_issued.X509Certificate, File.ReadAllText(Target("cert.pem")));
        Assert.Equal(_pki.Sub.Pem, File.ReadAllText(Target("chain.pem")));
        Assert.Equal(_issued.X509Certificate + _pki.Sub.Pem, File.ReadAllText(Target("fullchain.pem")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Target("privkey.pem")));
        Assert.Equal(OpenSsl.Ok($"x509 -in {Target("cert.pem")} -noout -pubkey"), OpenSsl.Ok($"pkey -in {Target("privkey.pem")} -pubout"));
        var root = Target("root.pem");
        File.WriteAllText(root, _pki.Root.Pem);
        Assert.Equal(0, OpenSsl.Run($"verify -CAfile {root} -untrusted {Target("chain.pem")} {Target("cert.pem")}").ExitCode);
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(Public, Mode(Target("cert.pem")));
        Assert.Equal(Public, Mode(Target("chain.pem")));
        Assert.Equal(Public, Mode(Target("fullchain.pem")));
        Assert.Equal(Secret, Mode(Target("privkey.pem")));
    }

    [Fact]
    public void The_root_joins_a_chain_only_with_IncludeRoot()
    {
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = Target("bundle.pem"), IncludeChain = true, IncludeRoot = true, ChainPath = Target("chain.pem") });
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = Target("plain.pem"), IncludeChain = true });

        Assert.Equal(_issued.X509Certificate + _pki.Sub.Pem + _pki.Root.Pem, File.ReadAllText(Target("bundle.pem")));
        Assert.Equal(_pki.Sub.Pem + _pki.Root.Pem, File.ReadAllText(Target("chain.pem")));
        Assert.Equal(_issued.X509Certificate + _pki.Sub.Pem, File.ReadAllText(Target("plain.pem")));
    }

    [Fact]
    public void A_file_with_the_key_in_it_is_0600_and_one_replaced_with_Force_keeps_the_mode_its_owner_gave_it()
    {
        if (OperatingSystem.IsWindows()) return;
        var combined = Target("haproxy.pem");
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = combined, IncludeChain = true, IncludePrivateKey = true });
        Assert.Equal(Secret, Mode(combined));

        var certificate = Target("cert.pem");
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = certificate });
        var groupOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(certificate, groupOnly);
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = certificate, IncludeChain = true, Force = true });
        Assert.Equal(groupOnly, Mode(certificate));
        Assert.Contains(_pki.Sub.Pem, File.ReadAllText(certificate));

        // A key written over a file others could read is cut to its owner's bits.
        _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = certificate, IncludePrivateKey = true, Force = true });
        Assert.Equal(Secret, Mode(certificate));
    }

    [Fact]
    public void A_published_crl_is_readable_by_the_web_server_and_stays_so_when_replaced()
    {
        if (OperatingSystem.IsWindows()) return;
        var crl = Target("sub.crl");
        var crls = new CrlService(Services.Cas(_pki.Open()));
        crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), Path = crl });
        Assert.Equal(Public, Mode(crl));
        crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), Path = crl, Force = true });
        Assert.Equal(Public, Mode(crl));
    }

    [Fact]
    public void Two_files_of_one_export_at_one_path_and_a_key_file_without_a_key_are_refused_before_anything_is_written()
    {
        var foreign = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "foreign.example.com"));
        var same = Assert.Throws<PkiException>(() => _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = Target("a.pem"), KeyPath = Target("a.pem") }));
        var noKey = Assert.Throws<PkiException>(() => _exports.Export(new ExportRequest { Identifier = foreign.Identifier, Path = Target("b.pem"), KeyPath = Target("b.key") }));
        File.WriteAllText(Target("exists.pem"), "keep");
        var exists = Assert.Throws<PkiException>(() => _exports.Export(new ExportRequest { Identifier = _issued.Identifier, Path = Target("c.pem"), FullChainPath = Target("exists.pem") }));

        Assert.Equal(ErrorIds.ExportPathRepeated, same.ErrorId);
        Assert.Equal(ErrorIds.PrivateKeyNotAvailable, noKey.ErrorId);
        Assert.Equal(ErrorIds.ExportFileExists, exists.ErrorId);
        Assert.False(File.Exists(Target("a.pem")));
        Assert.False(File.Exists(Target("b.pem")));
        Assert.False(File.Exists(Target("c.pem")));
        Assert.Equal("keep", File.ReadAllText(Target("exists.pem")));
    }
}
