using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Integrity;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// The store's rules for what issue 13's commands write: a pending intermediate's key and request are the store's files,
/// not leftovers, and what a crash in Complete-SubCA leaves is; a CA kept without its key and its imported CRL are a
/// healthy store; Import-Crl takes its number before it writes the CRL, as Publish-Crl does, never takes the number back,
/// whichever record of the last one was rolled back, and lets an interrupted import finish; Remove-CA removes every file
/// of the CA, its journal head too, durably.
/// </summary>
public sealed class LifecycleStoreRulesTests : IDisposable
{
    private readonly TempStore _temp = new();

    public LifecycleStoreRulesTests() => Directory.CreateDirectory(_temp.Folder);

    public void Dispose() => _temp.Dispose();

    private string File(string name) => Path.Combine(_temp.Folder, name);

    private string Full(string relative) => Path.Combine(_temp.Root, relative);

    private CaService Cas => Services.Cas(_temp.Open());

    private PendingCaService Pending => new(Cas, spec => TestKeys.For(spec, "pending"));

    private StoreCheckResult Check() => new StoreCheckService(_temp.Open()).Check();

    private static string Problems(StoreCheckResult result) => string.Join("\n", result.Problems.Select(p => p.ErrorId + ": " + p.Message));

    /// <summary>A root whose key stays with openssl.</summary>
    private (string Certificate, string Key) OpensslRoot()
    {
        var key = File("offline.key");
        var certificate = File("offline.crt");
        OpenSsl.Ok($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {key} -out {certificate} -days 3650 -subj \"/CN=Offline Root CA\" " +
            "-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign -addext subjectKeyIdentifier=hash");
        return (certificate, key);
    }

    /// <summary>A CRL openssl signs with <paramref name="key"/>, numbered <paramref name="number"/>, revoking serial 0x1234, which no store journal holds.</summary>
    private string OpensslCrl(string certificate, string key, int number, string name)
    {
        var db = File("db-" + name);
        Directory.CreateDirectory(db);
        System.IO.File.WriteAllText(Path.Combine(db, "index.txt"), "R\t351231000000Z\t250101000000Z,keyCompromise\t1234\tunknown\t/CN=Gone\n");
        System.IO.File.WriteAllText(Path.Combine(db, "crlnumber"), number.ToString("X2") + "\n");
        var config = Path.Combine(db, "ca.cnf");
        System.IO.File.WriteAllText(config, $"[ca]\ndefault_ca=d\n[d]\ndatabase={db}/index.txt\ncrlnumber={db}/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n");
        var crl = File(name + ".crl");
        OpenSsl.Ok($"ca -config {config} -gencrl -keyfile {key} -cert {certificate} -out {crl}");
        return crl;
    }

    /// <summary>A copy of the store at a new path, so that this process's first lock of it sweeps its leftovers.</summary>
    private static void Sweep(TempStore from, TempStore to)
    {
        foreach (var folder in Directory.GetDirectories(from.Root, "*", SearchOption.AllDirectories))
        {
            var copy = Directory.CreateDirectory(folder.Replace(from.Root, to.Root));
            if (!OperatingSystem.IsWindows()) copy.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
        foreach (var file in Directory.GetFiles(from.Root, "*", SearchOption.AllDirectories)) System.IO.File.Copy(file, file.Replace(from.Root, to.Root));
        to.Open().Lock(CancellationToken.None).Dispose();
    }

    [Fact]
    public void A_pending_intermediate_is_no_leftover_and_Test_PkiStore_checks_its_request_and_key()
    {
        var pending = Pending.Request(new NewCaRequest { Name = "Ops", CommonName = "Ops CA", Algorithm = "ECC", NoPassword = true });
        var files = new[] { StoreLayout.CaKey(pending.Id), StoreLayout.PendingCaRequest(pending.Id), StoreLayout.PendingCaRecord(pending.Id) };

        Assert.Empty(StoreLeftovers.Find(_temp.Open()));
        var healthy = Check();
        Assert.True(healthy.Healthy, Problems(healthy));
        Assert.Equal(1, healthy.PendingCasChecked);
        using (var copy = new TempStore())
        {
            Sweep(_temp, copy);
            Assert.All(files, f => Assert.True(System.IO.File.Exists(Path.Combine(copy.Root, f)), f + " was swept"));
            Assert.Equal(pending.Id, new PendingCaService(copy.Open()).FindAll().Items.Single().Id);
        }

        // Another key in its place: not the key its request asks a certificate for.
        using (var other = TestKeys.For(KeySpec.Ecc(256), "not-the-pending-key"))
        {
            System.IO.File.WriteAllText(Full(StoreLayout.CaKey(pending.Id)), Pkcs8Pem.Encode(other, null));
        }
        var problem = Assert.Single(Check().Problems);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
        Assert.Equal(Full(StoreLayout.CaKey(pending.Id)), problem.Path);
    }

    [Fact]
    public void A_pending_record_a_crash_left_beside_its_completed_CA_is_a_leftover_and_the_CA_keeps_its_key()
    {
        var root = OpensslRoot();
        new CaImportService(Cas).Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var pending = Pending.Request(new NewCaRequest { Name = "Ops", CommonName = "Ops CA", Algorithm = "ECC", NoPassword = true });
        var record = System.IO.File.ReadAllText(Full(StoreLayout.PendingCaRecord(pending.Id)));
        var csr = File("ops.csr");
        System.IO.File.WriteAllText(csr, pending.Csr);
        var signed = File("ops.crt");
        System.IO.File.WriteAllText(File("ops.ext"), "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        OpenSsl.Ok($"x509 -req -in {csr} -CA {root.Certificate} -CAkey {root.Key} -CAcreateserial -days 1825 -copy_extensions copyall -extfile {File("ops.ext")} -out {signed}");
        Pending.Complete(new CompleteSubCaRequest { Name = "Ops", CertificatePath = signed });
        // Complete-SubCA writes the CA, then removes the pending files: a crash in between leaves them.
        foreach (var (file, text) in new[] { (StoreLayout.PendingCaRecord(pending.Id), record), (StoreLayout.PendingCaRequest(pending.Id), pending.Csr) })
        {
            System.IO.File.WriteAllText(Full(file), text);
            if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(Full(file), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var leftovers = StoreLeftovers.Find(_temp.Open());
        Assert.Equal(new[] { Full(StoreLayout.PendingCaRequest(pending.Id)), Full(StoreLayout.PendingCaRecord(pending.Id)) }.OrderBy(p => p),
            leftovers.OrderBy(p => p));
        // Not pending: Remove-CA of its name must not take the CA's key as a pending intermediate's.
        Assert.False(Pending.IsPending("Ops"));
        Assert.Equal(ErrorIds.PendingCaNotFound, Assert.Throws<PkiException>(() => Pending.Remove("Ops")).ErrorId);
        Assert.True(System.IO.File.Exists(Full(StoreLayout.CaKey(pending.Id))));
        var problems = Check().Problems;
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(ErrorIds.StoreLeftover, p.ErrorId));
        using var copy = new TempStore();
        Sweep(_temp, copy);
        Assert.Empty(new PendingCaService(copy.Open()).FindAll().Items);
        Assert.True(System.IO.File.Exists(Path.Combine(copy.Root, StoreLayout.CaKey(pending.Id))));
        var after = new StoreCheckService(copy.Open()).Check();
        Assert.True(after.Healthy, Problems(after));
    }

    [Fact]
    public void A_CA_kept_without_its_key_and_its_imported_CRL_are_a_healthy_store()
    {
        var root = OpensslRoot();
        var anchor = new CaImportService(Cas).Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        new CrlService(Cas).Import(OpensslCrl(root.Certificate, root.Key, 5, "offline"));

        var result = Check();

        Assert.True(result.Healthy, Problems(result));
        Assert.Equal(1, result.CasChecked);
        Assert.Equal(0, result.KeysChecked);
        Assert.Equal(1, result.CrlsChecked);
        Assert.False(System.IO.File.Exists(Full(StoreLayout.CaKey(anchor.Id))));
    }

    [Fact]
    public void Import_Crl_never_takes_the_number_back_when_the_CRL_state_was_rolled_back()
    {
        var root = OpensslRoot();
        var anchor = new CaImportService(Cas).Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var crls = new CrlService(Cas);
        crls.Import(OpensslCrl(root.Certificate, root.Key, 5, "five"));
        var older = OpensslCrl(root.Certificate, root.Key, 3, "three");
        // crls/<id>.json from a backup, from before the CRL the store keeps.
        System.IO.File.WriteAllText(Full(StoreLayout.CrlNumber(anchor.Id)), "{\"lastCrlNumber\":1}");
        var before = _temp.Snapshot();

        var error = Assert.Throws<PkiException>(() => crls.Import(older));

        Assert.Equal(ErrorIds.CrlNotNewer, error.ErrorId);
        Assert.Equal(older, error.Target);
        Assert.Equal(before, _temp.Snapshot());
        Assert.Equal(6, crls.Import(OpensslCrl(root.Certificate, root.Key, 6, "six")).CrlNumber);
    }

    [Fact]
    public void An_import_stopped_before_its_CRL_was_written_finishes_with_the_same_CRL_and_no_other_takes_its_number()
    {
        var root = OpensslRoot();
        var anchor = new CaImportService(Cas).Import(new ImportCaRequest { CertificatePath = root.Certificate, Name = "Offline" });
        var crls = new CrlService(Cas);
        var five = OpensslCrl(root.Certificate, root.Key, 5, "five");

        AtomicWriteFailure.During(_temp.Root, StoreLayout.Crl(anchor.Id), () => Assert.ThrowsAny<Exception>(() => crls.Import(five)));

        Assert.False(System.IO.File.Exists(Full(StoreLayout.Crl(anchor.Id))));
        Assert.Equal(ErrorIds.CrlNotNewer, Assert.Throws<PkiException>(() => crls.Import(OpensslCrl(root.Certificate, root.Key, 4, "four"))).ErrorId);
        Assert.Equal(5, crls.Import(five).CrlNumber);
        Assert.Equal(ErrorIds.CrlNotNewer, Assert.Throws<PkiException>(() => crls.Import(five)).ErrorId);
        var result = Check();
        Assert.True(result.Healthy, Problems(result));
    }

    [Fact]
    public void Import_Crl_takes_the_number_before_it_writes_the_CRL_each_synced_and_Publish_Crl_goes_on_above_it()
    {
        using var pki = new Hierarchy("ECC_256");
        var issued = pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        Services.Certificates(pki.Open()).Revoke(issued.Identifier, RevocationReason.KeyCompromise);
        var crls = new CrlService(Services.Cas(pki.Open()));
        crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        var key = Path.Combine(pki.Store.Root, StoreLayout.CaKey(pki.Sub.Id));
        var certificate = pki.File("sub.pem", pki.Sub.Pem);
        var crl = OpensslCrl(certificate, key, 10, "sub");
        var crlsFolder = Path.Combine(pki.Store.Root, StoreLayout.CrlFolder);

        var events = AtomicWriteFailure.Recording(pki.Store.Root, () => crls.Import(crl, new CaIdentity("Sub")));

        Assert.Equal(new[]
        {
            "rename " + Path.Combine(pki.Store.Root, StoreLayout.CrlNumber(pki.Sub.Id)), "sync " + crlsFolder,
            "rename " + Path.Combine(pki.Store.Root, StoreLayout.Crl(pki.Sub.Id)), "sync " + crlsFolder,
        }, events);
        // The imported CRL lists a serial the journal never held; the next CRL is the store's own again, numbered above it.
        var next = crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        Assert.Equal(11, next.CrlNumber);
        Assert.Equal(1, next.RevokedCount);
        var result = new StoreCheckService(pki.Open()).Check();
        Assert.True(result.Healthy, Problems(result));
    }

    [Fact]
    public void Remove_CA_removes_the_journal_head_too_and_syncs_its_folders_leaving_a_healthy_store()
    {
        using var pki = new Hierarchy("ECC_256");
        pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        var cas = Services.Cas(pki.Open());
        new CrlService(cas).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        Assert.True(System.IO.File.Exists(Path.Combine(pki.Store.Root, StoreLayout.JournalHead(pki.Sub.Id))));

        var events = AtomicWriteFailure.Recording(pki.Store.Root, () => cas.Remove(new CaIdentity("Sub"), force: true));

        var left = Directory.GetFileSystemEntries(pki.Store.Root, "*", SearchOption.AllDirectories).Where(p => p.Contains(pki.Sub.Id, StringComparison.Ordinal));
        Assert.Empty(left);
        Assert.Contains("sync " + Path.Combine(pki.Store.Root, StoreLayout.CaFolder), events);
        Assert.Contains("sync " + Path.Combine(pki.Store.Root, StoreLayout.IssuedFolder), events);
        var result = new StoreCheckService(pki.Open()).Check();
        Assert.True(result.Healthy, Problems(result));
        Assert.Equal(1, result.CasChecked);
    }
}
