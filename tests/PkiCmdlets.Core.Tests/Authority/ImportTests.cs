using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>Import-CA: CAs that openssl and easy-rsa made come in, work, and anything else is refused with the store unchanged.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly CaImportService _imports;

    public ImportTests()
    {
        _imports = new CaImportService(Services.Cas(_temp.Open()));
        Directory.CreateDirectory(_temp.Folder);
    }

    public void Dispose() => _temp.Dispose();

    private string File(string name) => Path.Combine(_temp.Folder, name);

    /// <summary>A root made by openssl, its key in <paramref name="keyForm"/>: pkcs8, pkcs8-encrypted, traditional, traditional-encrypted.</summary>
    private (string Certificate, string Key) OpensslRoot(string keyForm, string curve = "P-256")
    {
        var key = File("ca.key");
        var certificate = File("ca.crt");
        OpenSsl.Ok($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:{curve} -nodes -keyout {key} -out {certificate} -days 3650 -subj /CN=Easy-RSA_CA -addext keyUsage=critical,keyCertSign,cRLSign");
        var target = File("ca-" + keyForm + ".key");
        switch (keyForm)
        {
            case "pkcs8": System.IO.File.Copy(key, target); break;
            case "pkcs8-encrypted": OpenSsl.Ok($"pkey -in {key} -aes256 -passout pass:import-pw -out {target}"); break;
            case "traditional": OpenSsl.Ok($"pkey -in {key} -traditional -out {target}"); break;
            case "traditional-encrypted": OpenSsl.Ok($"pkey -in {key} -traditional -aes256 -passout pass:import-pw -out {target}"); break;
        }
        return (certificate, target);
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("pkcs8-encrypted")]
    [InlineData("traditional")]
    [InlineData("traditional-encrypted")]
    public void An_openssl_root_is_imported_and_issues_through_a_new_sub_ca(string keyForm)
    {
        var (certificate, key) = OpensslRoot(keyForm);
        var root = _imports.Import(new ImportCaRequest
        {
            CertificatePath = certificate, KeyPath = key, NoPassword = true,
            KeyFilePassword = keyForm.EndsWith("encrypted", StringComparison.Ordinal) ? Services.Password("import-pw") : null,
        });
        Assert.True(root.IsRoot);
        Assert.True(root.Imported);
        Assert.Equal("Easy-RSA_CA", root.Name);
        Assert.Equal("ECC_256", root.Algorithm);

        var cas = Services.Cas(_temp.Open());
        cas.CreateSubordinate(new NewCaRequest { Name = "Sub", CommonName = "Sub", Algorithm = "ECC_256", NoPassword = true, Issuer = new CaIdentity(root.Id) });
        var issued = new CertificateService(cas).Issue(new NewCertificateRequest { Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), Issuer = new CaIdentity("Sub") });
        var sub = System.IO.File.ReadAllText(Directory.GetFiles(Path.Combine(_temp.Root, "cas"), "*.crt.pem").Single(f => !f.Contains(root.Id)));
        System.IO.File.WriteAllText(File("sub.pem"), sub);
        System.IO.File.WriteAllText(File("leaf.pem"), issued.X509Certificate);
        OpenSsl.Ok($"verify -x509_strict -purpose sslserver -CAfile {certificate} -untrusted {File("sub.pem")} {File("leaf.pem")}");
    }

    [Fact]
    public void An_intermediate_is_imported_below_its_issuer_and_a_pfx_is_read()
    {
        using var pki = new Hierarchy("ECC_256");
        var key = Directory.GetFiles(Path.Combine(pki.Store.Root, "keys"), "ca-" + pki.Root.Id + ".key.pem").Single();
        var rootPem = pki.File("root.pem", pki.Root.Pem);
        var root = _imports.Import(new ImportCaRequest { CertificatePath = rootPem, KeyPath = key, NoPassword = true, Name = "ImportedRoot" });

        var subKey = Directory.GetFiles(Path.Combine(pki.Store.Root, "keys"), "ca-" + pki.Sub.Id + ".key.pem").Single();
        var pfx = pki.File("sub.pfx", string.Empty);
        OpenSsl.Ok($"pkcs12 -export -in {pki.File("sub.pem", pki.Sub.Pem)} -inkey {subKey} -passout pass:pfx-pw -out {pfx}");
        var sub = _imports.Import(new ImportCaRequest { PfxPath = pfx, KeyFilePassword = Services.Password("pfx-pw"), KeyPassword = Services.Password("store-pw") });
        Assert.False(sub.IsRoot);
        Assert.Equal(root.Id, sub.IssuerId);
        Assert.True(sub.KeyProtected);
        Assert.Equal(0, sub.PathLength);
    }

    [Fact]
    public void Bad_imports_are_refused_and_leave_the_store_unchanged()
    {
        var (certificate, key) = OpensslRoot("pkcs8-encrypted");
        var leafKey = File("leaf.key");
        var leaf = File("leaf.crt");
        OpenSsl.Ok($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {leafKey} -out {leaf} -days 30 -subj /CN=leaf -addext basicConstraints=critical,CA:FALSE");
        var otherKey = File("other.key");
        OpenSsl.Ok($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out {otherKey}");
        using var elsewhere = new Hierarchy("ECC_256");
        var orphan = elsewhere.File("orphan.pem", elsewhere.Sub.Pem);
        var orphanKey = Directory.GetFiles(Path.Combine(elsewhere.Store.Root, "keys"), "ca-" + elsewhere.Sub.Id + ".key.pem").Single();

        void Refused(string errorId, ImportCaRequest request)
        {
            var before = _temp.Snapshot();
            Assert.Equal(errorId, Assert.Throws<PkiException>(() => _imports.Import(request)).ErrorId);
            Assert.Equal(before, _temp.Snapshot());
        }

        Refused(ErrorIds.KeyFilePasswordRequired, new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true });
        Refused(ErrorIds.KeyPasswordIncorrect, new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true, KeyFilePassword = Services.Password("wrong") });
        Refused(ErrorIds.CaKeyPasswordRequired, new ImportCaRequest { CertificatePath = certificate, KeyPath = key, KeyFilePassword = Services.Password("import-pw") });
        Refused(ErrorIds.CaImportNotCa, new ImportCaRequest { CertificatePath = leaf, KeyPath = leafKey, NoPassword = true });
        Refused(ErrorIds.CaImportKeyMismatch, new ImportCaRequest { CertificatePath = certificate, KeyPath = otherKey, NoPassword = true });
        Refused(ErrorIds.CaImportIssuerMissing, new ImportCaRequest { CertificatePath = orphan, KeyPath = orphanKey, NoPassword = true });
        Refused(ErrorIds.ImportFileUnreadable, new ImportCaRequest { CertificatePath = File("missing.crt"), KeyPath = key, NoPassword = true });
        var weakKey = File("weak.key");
        var weak = File("weak.crt");
        OpenSsl.Ok($"req -x509 -newkey rsa:1024 -nodes -keyout {weakKey} -out {weak} -days 30 -subj /CN=weak -addext keyUsage=critical,keyCertSign,cRLSign");
        Refused(ErrorIds.CaKeyUnsupported, new ImportCaRequest { CertificatePath = weak, KeyPath = weakKey, NoPassword = true });
        var brainpoolKey = File("bp.key");
        var brainpool = File("bp.crt");
        OpenSsl.Ok($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:brainpoolP256r1 -nodes -keyout {brainpoolKey} -out {brainpool} -days 30 -subj /CN=bp -addext keyUsage=critical,keyCertSign,cRLSign");
        Refused(ErrorIds.CaKeyUnsupported, new ImportCaRequest { CertificatePath = brainpool, KeyPath = brainpoolKey, NoPassword = true });

        _imports.Import(new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true, KeyFilePassword = Services.Password("import-pw") });
        Refused(ErrorIds.CaAlreadyInStore, new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true, KeyFilePassword = Services.Password("import-pw") });
    }
}
