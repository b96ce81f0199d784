using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>
/// Offline roots, both ways, with openssl as the other side: a root whose key stays with openssl is a trust anchor in the
/// store (it signs nothing here), our intermediate's request is signed by it and comes back, an intermediate comes in with
/// its chain in one PEM or PFX, our root signs an intermediate whose key openssl keeps, and the offline root's CRL comes in.
/// </summary>
public sealed class OfflineRootTests : IDisposable
{
    private readonly TempStore _temp = new();

    public OfflineRootTests() => Directory.CreateDirectory(_temp.Folder);

    public void Dispose() => _temp.Dispose();

    private string File(string name) => Path.Combine(_temp.Folder, name);

    private CaService Cas => Services.Cas(_temp.Open());

    private CaImportService Imports => new(Cas);

    private PendingCaService Pending => new(Cas, spec => TestKeys.For(spec, "pending"));

    /// <summary>An openssl root whose key stays with openssl: the offline root.</summary>
    private (string Certificate, string Key) OpensslRoot(string name = "offline-root", string commonName = "Offline Root CA")
    {
        var key = File(name + ".key");
        var certificate = File(name + ".crt");
        OpenSsl.Ok($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {key} -out {certificate} -days 3650 -subj \"/CN={commonName}\" " +
            "-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign -addext subjectKeyIdentifier=hash");
        return (certificate, key);
    }

    /// <summary>openssl's root signs a request as a CA, keeping the extensions it asks for (CA:true, keyCertSign) and adding key identifiers.</summary>
    private string OpensslSign(string csr, (string Certificate, string Key) root, string name)
    {
        var output = File(name + ".crt");
        var extensions = File(name + ".ext");
        System.IO.File.WriteAllText(extensions, "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        OpenSsl.Ok($"x509 -req -in {csr} -CA {root.Certificate} -CAkey {root.Key} -CAcreateserial -days 1825 -copy_extensions copyall -extfile {extensions} -out {output}");
        return output;
    }

    private string ServerCertificate(string issuer)
    {
        var issued = Services.Certificates(_temp.Open()).Issue(new NewCertificateRequest
        {
            Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), Issuer = new CaIdentity(issuer),
        });
        var path = File("leaf-" + issued.Identifier + ".pem");
        System.IO.File.WriteAllText(path, issued.X509Certificate);
        return path;
    }

    [Fact]
    public void An_offline_root_comes_in_without_its_key_and_signs_nothing_here()
    {
        var root = OpensslRoot();

        var anchor = Imports.Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var before = _temp.Snapshot();

        Assert.False(anchor.HasKey);
        Assert.True(anchor.IsRoot);
        Assert.False(anchor.Locked);
        Assert.False(System.IO.File.Exists(Path.Combine(_temp.Root, "keys", "ca-" + anchor.Id + ".key.pem")));
        var signing = Assert.Throws<PkiException>(() => Cas.CreateSubordinate(new NewCaRequest { CommonName = "Sub", Algorithm = "ECC", NoPassword = true, Issuer = new CaIdentity("Offline") }));
        var crl = Assert.Throws<PkiException>(() => new CrlService(Cas).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Offline") }));
        var unlock = Assert.Throws<PkiException>(() => Cas.Unlock(new CaIdentity("Offline"), Services.Password("whatever")));
        var renew = Assert.Throws<PkiException>(() => Cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Offline") }));
        Assert.All(new[] { signing, crl, unlock, renew }, e => Assert.Equal(ErrorIds.CaKeyNotInStore, e.ErrorId));
        Assert.Equal("Offline", crl.Target);
        Assert.Contains("Import-Crl", crl.Message);
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public void Our_intermediate_s_request_is_signed_by_the_offline_root_and_comes_back_usable_only_for_its_own_key()
    {
        var root = OpensslRoot();
        var csrPath = File("ops.csr");
        var pending = Pending.Request(new NewCaRequest { Name = "Ops", CommonName = "Ops CA", Organization = "Example", Algorithm = "ECC", NoPassword = true, PathLength = 0 }, csrPath);

        // openssl checks the request, and sees that it asks for a CA's extensions.
        var text = OpenSsl.Ok($"req -in {csrPath} -noout -verify -text");
        Assert.Contains("verify OK", text);
        Assert.Contains("CA:TRUE, pathlen:0", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Equal(System.IO.File.ReadAllText(csrPath), pending.Csr);
        Assert.Empty(Cas.Find().Items); // not a CA yet

        // A certificate for another key is refused, and changes nothing.
        var otherKey = File("other.key");
        var otherCsr = File("other.csr");
        OpenSsl.Ok($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {otherKey} -out {otherCsr} -subj /CN=Ops_CA -addext basicConstraints=critical,CA:true");
        var other = OpensslSign(otherCsr, root, "other");
        var before = _temp.Snapshot();
        var mismatch = Assert.Throws<PkiException>(() => Pending.Complete(new CompleteSubCaRequest { Name = "Ops", CertificatePath = other }));
        Assert.Equal(ErrorIds.CaPendingKeyMismatch, mismatch.ErrorId);
        Assert.Equal(before, _temp.Snapshot());

        // The signed certificate, with the offline root after it in the same file: the root comes in without its key.
        var signed = OpensslSign(csrPath, root, "ops");
        var bundle = File("ops-chain.pem");
        System.IO.File.WriteAllText(bundle, System.IO.File.ReadAllText(signed) + System.IO.File.ReadAllText(root.Certificate));
        var ops = Pending.Complete(new CompleteSubCaRequest { Name = "Ops", CertificatePath = bundle });

        Assert.Equal(pending.Id, ops.Id);
        Assert.True(ops.HasKey);
        Assert.False(ops.IsRoot);
        var anchor = Assert.Single(Cas.Find(roots: true).Items);
        Assert.False(anchor.HasKey);
        Assert.Equal(anchor.Id, ops.IssuerId);
        Assert.Empty(Pending.FindAll().Items);
        var leaf = ServerCertificate("Ops");
        var verify = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile {root.Certificate} -untrusted {signed} {leaf}");
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    [Fact]
    public void A_completed_intermediate_links_to_an_offline_root_already_in_the_store_and_a_file_that_does_not_link_is_refused()
    {
        var root = OpensslRoot();
        Imports.Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var pending = Pending.Request(new NewCaRequest { Name = "Ops", CommonName = "Ops CA", Algorithm = "ECC", KeyPassword = Services.Password("ops-key-pw") });
        var csr = File("ops.csr");
        System.IO.File.WriteAllText(csr, pending.Csr);
        var signed = OpensslSign(csr, root, "ops");
        var stranger = OpensslRoot("stranger", "Stranger Root CA");
        var broken = File("broken.pem");
        System.IO.File.WriteAllText(broken, System.IO.File.ReadAllText(signed) + System.IO.File.ReadAllText(stranger.Certificate));
        var before = _temp.Snapshot();

        var error = Assert.Throws<PkiException>(() => Pending.Complete(new CompleteSubCaRequest { Name = "Ops", CertificatePath = broken }));
        Assert.Equal(ErrorIds.CaChainBroken, error.ErrorId);
        Assert.Equal(broken, error.Target);
        Assert.Equal(before, _temp.Snapshot());

        var ops = Pending.Complete(new CompleteSubCaRequest { Name = "ops", CertificatePath = signed });
        Assert.Equal("Offline", ops.IssuerName);
        Assert.True(ops.KeyProtected);
        Assert.Equal(ErrorIds.CaLocked, Assert.Throws<PkiException>(() => ServerCertificate("Ops")).ErrorId);
        Cas.Unlock(new CaIdentity("Ops"), Services.Password("ops-key-pw"));
        var leaf = ServerCertificate("Ops");
        Assert.Equal(0, OpenSsl.Run($"verify -CAfile {root.Certificate} -untrusted {signed} {leaf}").ExitCode);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public void An_intermediate_comes_in_with_its_chain_in_the_same_file_and_the_root_comes_without_a_key(string form)
    {
        var root = OpensslRoot();
        var subKey = File("sub.key");
        var subCsr = File("sub.csr");
        OpenSsl.Ok($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {subKey} -out {subCsr} -subj \"/CN=Partner Sub CA\" " +
            "-addext basicConstraints=critical,CA:true,pathlen:0 -addext keyUsage=critical,keyCertSign,cRLSign");
        var sub = OpensslSign(subCsr, root, "sub");
        ImportCaRequest request;
        if (form == "pem")
        {
            var bundle = File("sub-chain.pem");
            System.IO.File.WriteAllText(bundle, System.IO.File.ReadAllText(sub) + System.IO.File.ReadAllText(root.Certificate));
            request = new ImportCaRequest { CertificatePath = bundle, KeyPath = subKey, NoPassword = true };
        }
        else
        {
            var pfx = File("sub.pfx");
            OpenSsl.Ok($"pkcs12 -export -in {sub} -inkey {subKey} -certfile {root.Certificate} -passout pass:pfx-pw -out {pfx}");
            request = new ImportCaRequest { PfxPath = pfx, KeyFilePassword = Services.Password("pfx-pw"), NoPassword = true };
        }

        var imported = Imports.Import(request);

        Assert.True(imported.HasKey);
        var anchor = Assert.Single(Cas.Find(roots: true).Items);
        Assert.Equal("Offline_Root_CA", anchor.Name);
        Assert.False(anchor.HasKey);
        Assert.Equal(anchor.Id, imported.IssuerId);
        var leaf = ServerCertificate(imported.Name);
        var verify = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile {root.Certificate} -untrusted {sub} {leaf}");
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    [Fact]
    public void A_chain_file_with_a_certificate_off_the_chain_or_without_the_issuer_is_CaChainBroken()
    {
        var root = OpensslRoot();
        var subKey = File("sub.key");
        var subCsr = File("sub.csr");
        OpenSsl.Ok($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {subKey} -out {subCsr} -subj \"/CN=Partner Sub CA\" -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign");
        var sub = OpensslSign(subCsr, root, "sub");
        var stranger = OpensslRoot("stranger", "Stranger Root CA");
        var extra = File("extra.pem");
        System.IO.File.WriteAllText(extra, System.IO.File.ReadAllText(sub) + System.IO.File.ReadAllText(root.Certificate) + System.IO.File.ReadAllText(stranger.Certificate));
        var wrongIssuer = File("wrong.pem");
        System.IO.File.WriteAllText(wrongIssuer, System.IO.File.ReadAllText(sub) + System.IO.File.ReadAllText(stranger.Certificate));

        var offChain = Assert.Throws<PkiException>(() => Imports.Import(new ImportCaRequest { CertificatePath = extra, KeyPath = subKey, NoPassword = true }));
        var unlinked = Assert.Throws<PkiException>(() => Imports.Import(new ImportCaRequest { CertificatePath = wrongIssuer, KeyPath = subKey, NoPassword = true }));
        var alone = Assert.Throws<PkiException>(() => Imports.Import(new ImportCaRequest { CertificatePath = sub, KeyPath = subKey, NoPassword = true }));

        Assert.Equal(ErrorIds.CaChainBroken, offChain.ErrorId);
        Assert.Contains("Stranger Root CA", offChain.Message);
        Assert.Equal(ErrorIds.CaChainBroken, unlinked.ErrorId);
        Assert.Equal(ErrorIds.CaImportIssuerMissing, alone.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "cas")) && Directory.GetFiles(Path.Combine(_temp.Root, "cas")).Length > 0);
    }

    [Fact]
    public void Our_root_signs_an_intermediate_whose_key_openssl_keeps_and_openssl_issues_below_it()
    {
        var root = Cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Our Root CA", Algorithm = "ECC", NoPassword = true, CrlUrl = "http://crl.example.com/root.crl" });
        var rootPath = File("our-root.pem");
        System.IO.File.WriteAllText(rootPath, root.Pem);
        var partnerKey = File("partner.key");
        var partnerCsr = File("partner.csr");
        OpenSsl.Ok($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {partnerKey} -out {partnerCsr} -subj \"/O=Partner/CN=Partner Issuing CA\"");

        var partner = Cas.CreateSubordinate(new NewCaRequest { Issuer = new CaIdentity("Root"), CsrPath = partnerCsr, PathLength = 0 });

        Assert.False(partner.HasKey);
        Assert.Equal("Partner Issuing CA", partner.CommonName);
        Assert.Equal("Partner", partner.Organization);
        var partnerPath = File("partner.pem");
        System.IO.File.WriteAllText(partnerPath, partner.Pem);
        Assert.Equal(0, OpenSsl.Run($"verify -x509_strict -CAfile {rootPath} {partnerPath}").ExitCode);
        // The partner's own openssl issues with the key it kept; the chain verifies to our root.
        var leafKey = File("leaf.key");
        var leafCsr = File("leaf.csr");
        var leaf = File("leaf.pem");
        var leafExtensions = File("leaf.ext");
        System.IO.File.WriteAllText(leafExtensions, "basicConstraints=critical,CA:false\nsubjectAltName=DNS:www.partner.example\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n");
        OpenSsl.Ok($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {leafKey} -out {leafCsr} -subj /CN=www.partner.example");
        OpenSsl.Ok($"x509 -req -in {leafCsr} -CA {partnerPath} -CAkey {partnerKey} -CAcreateserial -days 30 -extfile {leafExtensions} -out {leaf}");
        var verify = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile {rootPath} -untrusted {partnerPath} {leaf}");
        Assert.True(verify.ExitCode == 0, verify.All);
        // Here it signs nothing.
        var before = _temp.Snapshot();
        Assert.Equal(ErrorIds.CaKeyNotInStore, Assert.Throws<PkiException>(() => ServerCertificate(partner.Name)).ErrorId);
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public void The_offline_root_s_crl_comes_in_only_newer_and_only_signed_by_it_and_the_chain_s_crls_export_for_openssl()
    {
        var root = OpensslRoot();
        Imports.Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var pending = Pending.Request(new NewCaRequest { Name = "Ops", CommonName = "Ops CA", Algorithm = "ECC", NoPassword = true });
        var csr = File("ops.csr");
        System.IO.File.WriteAllText(csr, pending.Csr);
        var signed = OpensslSign(csr, root, "ops");
        Pending.Complete(new CompleteSubCaRequest { Name = "Ops", CertificatePath = signed });
        // The offline root's CRL, signed by openssl where its key is.
        Directory.CreateDirectory(File("db"));
        System.IO.File.WriteAllText(File("db/index.txt"), string.Empty);
        System.IO.File.WriteAllText(File("db/crlnumber"), "05\n");
        var config = File("ca.cnf");
        System.IO.File.WriteAllText(config, $"[ca]\ndefault_ca=d\n[d]\ndatabase={File("db/index.txt")}\ncrlnumber={File("db/crlnumber")}\ndefault_md=sha256\ndefault_crl_days=30\n");
        var rootCrl = File("root.crl");
        OpenSsl.Ok($"ca -config {config} -gencrl -keyfile {root.Key} -cert {root.Certificate} -out {rootCrl}");
        var crls = new CrlService(Cas);

        var imported = crls.Import(rootCrl);
        var before = _temp.Snapshot();
        var again = Assert.Throws<PkiException>(() => crls.Import(rootCrl));
        var stranger = OpensslRoot("stranger", "Stranger Root CA");
        var strangerCrl = File("stranger.crl");
        System.IO.File.WriteAllText(File("db/crlnumber"), "09\n");
        OpenSsl.Ok($"ca -config {config} -gencrl -keyfile {stranger.Key} -cert {stranger.Certificate} -out {strangerCrl}");
        var foreign = Assert.Throws<PkiException>(() => crls.Import(strangerCrl));
        var namedWrong = Assert.Throws<PkiException>(() => crls.Import(rootCrl, new CaIdentity("Ops")));
        var garbage = File("garbage.crl");
        System.IO.File.WriteAllText(garbage, "not a CRL");
        var unreadable = Assert.Throws<PkiException>(() => crls.Import(garbage));

        Assert.Equal("Offline", imported.IssuerName);
        Assert.Equal(5, imported.CrlNumber);
        Assert.Equal(ErrorIds.CrlNotNewer, again.ErrorId);
        Assert.Equal(ErrorIds.CrlIssuerNotFound, foreign.ErrorId);
        Assert.Equal(ErrorIds.CrlIssuerNotFound, namedWrong.ErrorId);
        Assert.Equal(ErrorIds.CrlUnreadable, unreadable.ErrorId);
        Assert.Equal(before, _temp.Snapshot());

        // The intermediate's own CRL, and both for a server that checks the whole chain.
        crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Ops") });
        var leaf = ServerCertificate("Ops");
        var exports = new CaExportService(Cas);
        var chainPath = File("ops-chain.pem");
        var crlPath = File("ops-crls.pem");
        exports.Export(new ExportCaRequest { Authority = new CaIdentity("Ops"), Path = chainPath, IncludeChain = true, CrlPath = crlPath });
        var verify = OpenSsl.Run($"verify -crl_check_all -CRLfile {crlPath} -CAfile {chainPath} {leaf}");
        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.Equal(2, System.IO.File.ReadAllText(crlPath).Split("BEGIN X509 CRL").Length - 1);
        // Without the root's CRL, openssl cannot check the intermediate.
        var subOnly = File("ops-crl-only.pem");
        exports.Export(new ExportCaRequest { Authority = new CaIdentity("Ops"), Path = File("ops.pem"), CrlPath = subOnly });
        Assert.NotEqual(0, OpenSsl.Run($"verify -crl_check_all -CRLfile {subOnly} -CAfile {chainPath} {leaf}").ExitCode);
    }
}
