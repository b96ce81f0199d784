using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Integrity;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Integrity;

/// <summary>
/// Test-PkiStore's check: a sound store is healthy with everything counted; each kind of damage is one problem naming
/// its file (and journal line); and the check changes nothing, not even the lock file.
/// </summary>
public sealed class StoreCheckTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");
    private readonly IssuedCertificate _first;
    private readonly IssuedCertificate _revoked;

    public StoreCheckTests()
    {
        var csr = Services.Csrs(_pki.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256" });
        _first = _pki.Issue(csr.Csr!);
        _revoked = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "old.example.com"));
        Services.Certificates(_pki.Open()).Revoke(_revoked.Identifier, RevocationReason.Superseded);
        new CrlService(Services.Cas(_pki.Open())).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
    }

    public void Dispose() => _pki.Dispose();

    private string Full(string relative) => Path.Combine(_pki.Store.Root, relative);

    /// <summary>Every file and folder of the store, the lock file too, with content: what the check must leave as it was.</summary>
    private Dictionary<string, string> Everything() =>
        Directory.GetFileSystemEntries(_pki.Store.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => (File.Exists(p) ? File.ReadAllText(p) : "folder") + (OperatingSystem.IsWindows() ? "" : " " + File.GetUnixFileMode(p)));

    private StoreCheckResult Check()
    {
        var before = Everything();
        var result = new StoreCheckService(_pki.Open()).Check();
        Assert.Equal(before, Everything());
        return result;
    }

    private StoreProblem SingleProblem(string errorId)
    {
        var result = Check();
        Assert.False(result.Healthy);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(errorId, problem.ErrorId);
        return problem;
    }

    [Fact]
    public void A_sound_store_is_healthy_and_everything_in_it_was_checked()
    {
        var result = Check();

        Assert.True(result.Healthy, string.Join("\n", result.Problems.Select(p => p.Message)));
        Assert.Equal(_pki.Store.Root, result.StorePath);
        Assert.Equal(2, result.CasChecked);
        Assert.Equal(2, result.KeysChecked);
        Assert.Equal(0, result.KeysLocked);
        Assert.Equal(1, result.JournalsChecked);
        Assert.Equal(4, result.JournalLines);
        Assert.Equal(2, result.CertificatesChecked);
        Assert.Equal(1, result.CrlsChecked);
        Assert.Equal(1, result.CsrsChecked);
    }

    [Fact]
    public void A_flipped_bit_in_a_journal_is_named_with_its_line()
    {
        var path = Full(StoreLayout.CertificateJournal(_pki.Sub.Id));
        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace("old.example.com", "olD.example.com");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var problem = SingleProblem(ErrorIds.StoreRecordCorrupt);

        Assert.Equal(path, problem.Path);
        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void A_revocation_line_cut_off_the_end_is_found_by_the_head()
    {
        var path = Full(StoreLayout.CertificateJournal(_pki.Sub.Id));
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, string.Join("\n", lines.Take(3)) + "\n");

        var result = Check();

        Assert.Contains(result.Problems, p => p.Path == path && p.Line == 4);
    }

    [Fact]
    public void A_swapped_CA_key_is_CaKeyMismatch()
    {
        File.Copy(Full(StoreLayout.CaKey(_pki.Root.Id)), Full(StoreLayout.CaKey(_pki.Sub.Id)), overwrite: true);

        Assert.Equal(Full(StoreLayout.CaKey(_pki.Sub.Id)), SingleProblem(ErrorIds.CaKeyMismatch).Path);
    }

    [Fact]
    public void An_encrypted_key_that_is_not_unlocked_is_checked_as_a_file_and_counted_apart()
    {
        using var temp = new TempStore();
        Services.Cas(temp.Open()).CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Root", Algorithm = "ECC_256", KeyPassword = Services.Password("pw") });

        var result = new StoreCheckService(temp.Open()).Check();

        Assert.True(result.Healthy);
        Assert.Equal(0, result.KeysChecked);
        Assert.Equal(1, result.KeysLocked);
    }

    [Fact]
    public void A_certificate_whose_DER_is_replaced_with_another_one_is_not_its_record()
    {
        // Rewritten with a sound chain, as an editor that knows the format would: only the record and the DER disagree.
        var path = Full(StoreLayout.CertificateJournal(_pki.Sub.Id));
        var lines = File.ReadAllLines(path);
        var other = lines[2].Split('\t')[1];
        lines[1] = lines[1].Split('\t')[0] + "\t" + other;
        OlderJournal.Rewrite(_pki.Store.Root, _pki.Sub.Id);
        File.WriteAllText(path, string.Join("\n", lines.Select(OlderJournal.WithoutHash)) + "\n");
        File.WriteAllText(Full(StoreLayout.CrlNumber(_pki.Sub.Id)), "{ \"lastCrlNumber\": 1 }");

        var problem = SingleProblem(ErrorIds.StoreRecordCorrupt);

        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void A_CRL_state_rolled_back_below_its_CRL_and_a_CRL_another_key_signed_are_named()
    {
        File.WriteAllText(Full(StoreLayout.CrlNumber(_pki.Sub.Id)), File.ReadAllText(Full(StoreLayout.CrlNumber(_pki.Sub.Id))).Replace("\"lastCrlNumber\": 1", "\"lastCrlNumber\": 0"));
        Assert.Equal(Full(StoreLayout.CrlNumber(_pki.Sub.Id)), SingleProblem(ErrorIds.StoreRecordCorrupt).Path);
    }

    [Fact]
    public void Leftovers_of_interrupted_writes_and_files_others_may_read_are_named_and_left_alone()
    {
        if (OperatingSystem.IsWindows()) return; // modes: on Windows the store's access list is inherited
        var leftover = Full($"keys/.csr-9.key.pem.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "-----BEGIN PRIVATE KEY-----");
        File.SetUnixFileMode(leftover, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var open = Full(StoreLayout.CaCertificate(_pki.Root.Id));
        File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = Check();

        Assert.Equal(new[] { (ErrorIds.StoreFileNotPrivate, open), (ErrorIds.StoreLeftover, leftover) },
            result.Problems.Select(p => (p.ErrorId, p.Path!)).OrderBy(p => p.ErrorId));
        Assert.True(File.Exists(leftover));
    }

    [Fact]
    public void Files_of_the_user_s_own_in_the_store_folder_are_not_the_store_s_problems()
    {
        if (OperatingSystem.IsWindows()) return; // modes: on Windows the store's access list is inherited
        var folder = Directory.CreateDirectory(Full("notes")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var notes = Path.Combine(folder, "readme.txt");
        File.WriteAllText(notes, "the user's");
        File.SetUnixFileMode(notes, (UnixFileMode)Convert.ToInt32("644", 8));
        File.WriteAllText(Path.Combine(folder, $".draft.txt.{int.MaxValue}.{Guid.NewGuid():N}.tmp"), "the user's");

        var result = Check();

        Assert.True(result.Healthy, string.Join("\n", result.Problems.Select(p => p.ErrorId + " " + p.Path)));
    }

    [Fact]
    public void A_damaged_CA_record_CSR_record_and_order_record_are_each_named()
    {
        if (OperatingSystem.IsWindows()) return; // the folder made here would need the store's access list
        File.WriteAllText(Full(StoreLayout.CaRecord(_pki.Root.Id)), "{ not json");
        File.WriteAllText(Full(StoreLayout.CsrRecord(1)), "{ not json");
        Directory.CreateDirectory(Full(StoreLayout.OrderFolder), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Full("acme"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Full(StoreLayout.OrderRecord(1)), "[]");
        File.SetUnixFileMode(Full(StoreLayout.OrderRecord(1)), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = Check();

        Assert.All(result.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
        Assert.Contains(result.Problems, p => p.Path == Full(StoreLayout.CaRecord(_pki.Root.Id)));
        Assert.Contains(result.Problems, p => p.Path == Full(StoreLayout.CsrRecord(1)));
        Assert.Contains(result.Problems, p => p.Path == Full(StoreLayout.OrderRecord(1)));
    }

    [Fact]
    public void A_path_without_a_store_is_StoreNotFound_and_creates_nothing()
    {
        var path = Path.Combine(_pki.Store.Folder, "nothing-here");

        var error = Assert.Throws<PkiException>(() => new StoreCheckService(new PkiStore(path)).Check());

        Assert.Equal(ErrorIds.StoreNotFound, error.ErrorId);
        Assert.False(Directory.Exists(path));
    }
}
