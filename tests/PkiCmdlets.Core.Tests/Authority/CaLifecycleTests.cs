using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// A CA after it is made: removed only when nothing depends on it, its key given a new password, backed up and taken back
/// by Import-CA byte for byte, and renewed with the same key so what it issued still chains (openssl judges).
/// </summary>
public sealed class CaLifecycleTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private CaService Cas => Services.Cas(_pki.Open());

    private string File(string name) => Path.Combine(_pki.Store.Folder, name);

    private string Write(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    [Fact]
    public void A_ca_with_unexpired_certificates_or_subordinates_is_not_removed_and_Force_removes_all_it_kept()
    {
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        new CrlService(Cas).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        var before = _pki.Store.Snapshot();

        var withCertificates = Assert.Throws<PkiException>(() => Cas.Remove(new CaIdentity("Sub"), force: false));
        var withSubordinate = Assert.Throws<PkiException>(() => Cas.Remove(new CaIdentity("Root"), force: true));

        Assert.Equal(ErrorIds.CaHasIssuedCertificates, withCertificates.ErrorId);
        Assert.Equal("Sub", withCertificates.Target);
        Assert.Contains("1 certificate", withCertificates.Message);
        Assert.Equal(ErrorIds.CaHasSubordinates, withSubordinate.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());

        var removed = Cas.Remove(new CaIdentity("Sub"), force: true);
        Assert.Equal(_pki.Sub.Id, removed.Id);
        var left = _pki.Store.Snapshot().Keys.Where(k => k.Contains(_pki.Sub.Id, StringComparison.Ordinal)).ToList();
        Assert.Empty(left);
        Assert.False(Directory.Exists(Path.Combine(_pki.Store.Root, StoreLayout.IssuerFolder(_pki.Sub.Id))));
        Assert.Equal(ErrorIds.CertificateNotFound, Assert.Throws<PkiException>(() => Services.Certificates(_pki.Open()).Get(issued.Identifier)).ErrorId);
        Cas.Remove(new CaIdentity("Root"), force: false); // its only subordinate is gone, and it issued no certificate
        Assert.Empty(Cas.Find().Items);
    }

    [Fact]
    public void A_ca_whose_certificates_have_all_expired_is_removed_without_Force()
    {
        var now = DateTimeOffset.UtcNow;
        var issued = Services.Certificates(_pki.Open()).Issue(new NewCertificateRequest { Csr = Hierarchy.Csr(KeySpec.Ecc(256), "old.example.com"), Issuer = new CaIdentity("Sub"), Days = 1 });
        var later = Services.Cas(_pki.Open(), clock: () => now.AddDays(2));

        var removed = later.Remove(new CaIdentity("Sub"), force: false);

        Assert.Equal("Sub", removed.Name);
        Assert.True(issued.NotAfter < now.AddDays(2));
    }

    [Fact]
    public void A_key_gets_a_new_password_only_with_the_right_current_one_and_a_strong_new_one()
    {
        using var temp = new TempStore();
        var cas = Services.Cas(temp.Open());
        cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Root", Algorithm = "ECC", KeyPassword = Services.Password("old-password") });
        var keyFile = Path.Combine(temp.Root, "keys", "ca-" + cas.Find().Items[0].Id + ".key.pem");
        var before = temp.Snapshot();

        var wrong = Assert.Throws<PkiException>(() => cas.ChangeKeyPassword(new CaIdentity("Root"), Services.Password("not-it"), Services.Password("new-password")));
        var weak = Assert.Throws<PkiException>(() => cas.ChangeKeyPassword(new CaIdentity("Root"), Services.Password("old-password"), Services.Password("short")));
        var empty = Assert.Throws<PkiException>(() => cas.ChangeKeyPassword(new CaIdentity("Root"), Services.Password("old-password"), Services.Password("")));
        var locked = Assert.Throws<PkiException>(() => cas.ChangeKeyPassword(new CaIdentity("Root"), null, Services.Password("new-password")));

        Assert.Equal(ErrorIds.KeyPasswordIncorrect, wrong.ErrorId);
        Assert.Equal(ErrorIds.KeyPasswordTooWeak, weak.ErrorId);
        Assert.Equal(ErrorIds.KeyPasswordEmpty, empty.ErrorId);
        Assert.Equal(ErrorIds.CaLocked, locked.ErrorId);
        Assert.Equal(before, temp.Snapshot());

        var changed = cas.ChangeKeyPassword(new CaIdentity("Root"), Services.Password("old-password"), Services.Password("new-password"));
        Assert.True(changed.KeyProtected);
        Assert.NotEqual(0, OpenSsl.Run($"pkey -in {keyFile} -passin pass:old-password -noout").ExitCode);
        Assert.Equal(0, OpenSsl.Run($"pkey -in {keyFile} -passin pass:new-password -noout").ExitCode);
        cas.CreateSubordinate(new NewCaRequest { Name = "Sub", CommonName = "Sub", Algorithm = "ECC", NoPassword = true, Issuer = new CaIdentity("Root"), IssuerKeyPassword = Services.Password("new-password") });
    }

    [Fact]
    public void An_unprotected_key_is_protected_and_an_unlocked_one_needs_no_current_password()
    {
        var keyFile = Path.Combine(_pki.Store.Root, "keys", "ca-" + _pki.Sub.Id + ".key.pem");
        Assert.Contains("BEGIN PRIVATE KEY", System.IO.File.ReadAllText(keyFile));

        var protectedNow = Cas.ChangeKeyPassword(new CaIdentity("Sub"), null, Services.Password("first-password"));
        Assert.True(protectedNow.KeyProtected);
        Assert.True(protectedNow.Locked);
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", System.IO.File.ReadAllText(keyFile));

        var cas = Cas;
        cas.Unlock(new CaIdentity("Sub"), Services.Password("first-password"));
        cas.ChangeKeyPassword(new CaIdentity("Sub"), null, Services.Password("second-password"));
        cas.Lock(new CaIdentity("Sub"));
        Assert.Equal(0, OpenSsl.Run($"pkey -in {keyFile} -passin pass:second-password -noout").ExitCode);
    }

    /// <summary>
    /// Set-CAKeyPassword writes the key file, then the record's KeyProtected flag; a crash between the two leaves an
    /// encrypted key under a record that says it is not. The key file's own PEM label decides how it is opened.
    /// </summary>
    [Fact]
    public void A_key_encrypted_before_a_crash_kept_its_record_unchanged_opens_with_its_new_password()
    {
        var keyFile = Path.Combine(_pki.Store.Root, "keys", "ca-" + _pki.Sub.Id + ".key.pem");
        var password = Services.Password("new-password");
        var pkcs8 = Pkcs8Pem.Decode(System.IO.File.ReadAllText(keyFile), null, keyFile);
        System.IO.File.WriteAllText(keyFile, Pkcs8Pem.Encode(pkcs8, password));
        Assert.Contains("\"keyProtected\": false", System.IO.File.ReadAllText(Path.Combine(_pki.Store.Root, "cas", _pki.Sub.Id + ".json")));

        var listed = Cas.Find(new[] { "Sub" }).Items.Single();
        Assert.True(listed.KeyProtected);
        Assert.True(listed.Locked);

        Assert.Equal(ErrorIds.CaLocked, Assert.Throws<PkiException>(() => _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "a.example.com"))).ErrorId);
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "b.example.com"), r => r.IssuerKeyPassword = password);
        Assert.Equal(_pki.Sub.Id, issued.IssuerId);
        var cas = Cas;
        cas.Unlock(new CaIdentity("Sub"), password);
        Assert.True(cas.Find(new[] { "Sub" }).Items.Single().Unlocked);
        cas.Lock(new CaIdentity("Sub"));
        var again = Cas.ChangeKeyPassword(new CaIdentity("Sub"), password, Services.Password("newer-password"));
        Assert.True(again.KeyProtected);
    }

    /// <summary>The other way round: a record that says protected over a key in the clear opens it as it is.</summary>
    [Fact]
    public void A_key_in_the_clear_under_a_record_that_says_protected_opens_without_a_password()
    {
        var recordFile = Path.Combine(_pki.Store.Root, "cas", _pki.Sub.Id + ".json");
        System.IO.File.WriteAllText(recordFile, System.Text.RegularExpressions.Regex.Replace(System.IO.File.ReadAllText(recordFile), "(\"keyProtected\"\\s*:\\s*)false", "${1}true"));
        Assert.Contains("\"keyProtected\": true", System.IO.File.ReadAllText(recordFile));

        Assert.False(Cas.Find(new[] { "Sub" }).Items.Single().KeyProtected);
        Assert.Equal(_pki.Sub.Id, _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "c.example.com")).IssuerId);
    }

    [Fact]
    public void A_key_the_store_does_not_hold_gets_no_password()
    {
        var before = _pki.Store.Snapshot();
        var certificate = Write("root-only.pem", _pki.Root.Pem);
        using var other = new TempStore();
        var anchor = new CaImportService(Services.Cas(other.Open())).Import(new ImportCaRequest { CertificatePath = certificate });
        var error = Assert.Throws<PkiException>(() => Services.Cas(other.Open()).ChangeKeyPassword(new CaIdentity(anchor.Id), null, Services.Password("new-password")));
        Assert.Equal(ErrorIds.CaKeyNotInStore, error.ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("Pem")]
    [InlineData("Pfx")]
    public void An_exported_ca_is_taken_back_by_Import_CA_byte_for_byte(string format)
    {
        using var temp = new TempStore();
        var cas = Services.Cas(temp.Open());
        var root = cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Backup Root", Algorithm = "ECC", KeyPassword = Services.Password("ca-password"), CrlUrl = "http://crl.example.com/root.crl" });
        var certificateFile = Path.Combine(temp.Root, "cas", root.Id + ".crt.pem");
        var keyFile = Path.Combine(temp.Root, "keys", "ca-" + root.Id + ".key.pem");
        var export = new CaExportService(cas);
        var path = Path.Combine(temp.Folder, "backup." + format.ToLowerInvariant());
        var keyPath = Path.Combine(temp.Folder, "backup.key");
        var written = export.Export(new ExportCaRequest
        {
            Authority = new CaIdentity("Root"), Format = Enum.Parse<ExportFormat>(format), Path = path,
            KeyPath = format == "Pem" ? keyPath : null,
            Password = format == "Pfx" ? Services.Password("pfx-password") : null,
            KeyPassword = format == "Pfx" ? Services.Password("ca-password") : null,
        });
        if (format == "Pem")
        {
            Assert.Equal(new[] { path, keyPath }, written);
            Assert.Equal(System.IO.File.ReadAllBytes(keyFile), System.IO.File.ReadAllBytes(keyPath)); // the store's key file as it is: encrypted
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(keyPath));
        }
        var originalKey = Pkcs8Pem.Decode(System.IO.File.ReadAllText(keyFile), Services.Password("ca-password"), "original");

        using var restored = new TempStore();
        var back = new CaImportService(Services.Cas(restored.Open())).Import(format == "Pem"
            ? new ImportCaRequest { Name = "Root", CertificatePath = path, KeyPath = keyPath, KeyFilePassword = Services.Password("ca-password"), KeyPassword = Services.Password("ca-password"), CrlUrl = root.CrlUrl }
            : new ImportCaRequest { Name = "Root", PfxPath = path, KeyFilePassword = Services.Password("pfx-password"), KeyPassword = Services.Password("ca-password"), CrlUrl = root.CrlUrl });

        Assert.Equal(System.IO.File.ReadAllBytes(certificateFile), System.IO.File.ReadAllBytes(Path.Combine(restored.Root, "cas", back.Id + ".crt.pem")));
        var restoredKey = Pkcs8Pem.Decode(System.IO.File.ReadAllText(Path.Combine(restored.Root, "keys", "ca-" + back.Id + ".key.pem")), Services.Password("ca-password"), "restored");
        Assert.Equal(originalKey, restoredKey);
        Assert.Equal(root.Thumbprint, back.Thumbprint);
        Assert.Equal(root.Name, back.Name);
        Assert.Equal(root.CrlUrl, back.CrlUrl);
        Assert.True(back.KeyProtected);
    }

    [Fact]
    public void Export_CA_refuses_what_cannot_be_written_before_writing_anything()
    {
        var exports = new CaExportService(Cas);
        void Refused(string errorId, ExportCaRequest request)
        {
            request.Authority ??= new CaIdentity("Sub");
            if (request.Path.Length == 0) request.Path = File("never.pem");
            Assert.Equal(errorId, Assert.Throws<PkiException>(() => exports.Export(request)).ErrorId);
            Assert.False(System.IO.File.Exists(File("never.pem")));
        }

        Refused(ErrorIds.PfxPasswordRequired, new ExportCaRequest { Format = ExportFormat.Pfx });
        Refused(ErrorIds.ExportFormatConflict, new ExportCaRequest { Format = ExportFormat.Der });
        Refused(ErrorIds.ExportPathRepeated, new ExportCaRequest { KeyPath = File("never.pem") });
        Refused(ErrorIds.CaCrlMissing, new ExportCaRequest { CrlPath = File("never.crl") });
        Refused(ErrorIds.CaNotFound, new ExportCaRequest { Authority = new CaIdentity("Nobody") });
    }

    [Fact]
    public void A_renewed_root_keeps_its_subject_key_and_identifiers_and_what_it_issued_still_chains_to_it()
    {
        var leaf = Write("leaf.pem", _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com")).X509Certificate);
        var sub = Write("sub.pem", _pki.Sub.Pem);

        var renewed = Cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Root"), Years = 20 });

        Assert.Equal(_pki.Root.Id, renewed.Id);
        Assert.Equal(_pki.Root.Subject, renewed.Subject);
        Assert.NotEqual(_pki.Root.SerialNumber, renewed.SerialNumber);
        Assert.True(renewed.NotAfter > _pki.Root.NotAfter.AddYears(9));
        var oldSki = _pki.Root.Certificate!.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
        Assert.Equal(oldSki, renewed.Certificate!.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.Equal(_pki.Root.Certificate.PublicKey.EncodedKeyValue.RawData, renewed.Certificate.PublicKey.EncodedKeyValue.RawData);
        var newRoot = Write("new-root.pem", renewed.Pem);
        var verify = OpenSsl.Run($"verify -x509_strict -purpose sslserver -CAfile {newRoot} -untrusted {sub} {leaf}");
        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.Contains("Basic Constraints: critical", OpenSsl.Ok($"x509 -in {newRoot} -noout -text"));
    }

    [Fact]
    public void A_renewed_intermediate_stays_within_its_root_and_signs_as_before()
    {
        var renewed = Cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Sub"), Years = 3 });

        Assert.Equal(_pki.Sub.Subject, renewed.Subject);
        Assert.NotEqual(_pki.Sub.Thumbprint, renewed.Thumbprint);
        Assert.True(renewed.NotAfter <= _pki.Root.NotAfter);
        var root = Write("root.pem", _pki.Root.Pem);
        var oldSub = Write("old-sub.pem", _pki.Sub.Pem);
        var newSub = Write("new-sub.pem", renewed.Pem);
        var leaf = Write("leaf.pem", _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com")).X509Certificate);
        Assert.Equal(0, OpenSsl.Run($"verify -CAfile {root} -untrusted {newSub} {leaf}").ExitCode);
        Assert.Equal(0, OpenSsl.Run($"verify -CAfile {root} -untrusted {oldSub} {leaf}").ExitCode);
        Assert.Equal(ErrorIds.ValidityExceedsIssuer, Assert.Throws<PkiException>(() => Cas.Renew(new RenewCaRequest { Authority = new CaIdentity("Sub"), Years = 50 })).ErrorId);
    }
}
