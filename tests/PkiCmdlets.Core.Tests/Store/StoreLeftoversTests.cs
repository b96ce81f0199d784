using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// What a process killed mid-write leaves (temporary files, some holding keys in the clear; keys and certificates
/// whose record was never written) is removed by the next command that takes the store lock, and nothing a live
/// writer may still rename is touched. Every rename is followed by a sync of its folder.
/// </summary>
public sealed class StoreLeftoversTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Full(string relative) => Path.Combine(_temp.Root, relative);

    private static string Leave(string path, string text, TimeSpan? age = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (age.HasValue) File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age.Value);
        return path;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(folder.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to));
    }

    /// <summary>The number of a process that has ended.</summary>
    private static int EndedProcessId()
    {
        using var ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        ended.WaitForExit();
        return ended.Id;
    }

    [Fact]
    public void The_next_command_that_takes_the_lock_removes_dead_writers_temporary_files_and_keys_without_records()
    {
        // A store this process has not locked yet (the sweep runs on a process's first lock of a store): a copy of another.
        using var pki = new Hierarchy("ECC_256");
        CopyFolder(pki.Store.Root, _temp.Root);
        var root = pki.Root;
        var cas = Services.Cas(_temp.Open());
        var dead = EndedProcessId();
        var guid = Guid.NewGuid().ToString("N");
        var leftovers = new[]
        {
            Leave(Full($"keys/.csr-7.key.pem.{dead}.{guid}.tmp"), "-----BEGIN PRIVATE KEY-----"),
            Leave(Full($"cas/.{root.Id}.json.{dead}.{Guid.NewGuid():N}.tmp"), "{}"),
            Leave(Full($".store.json.{Guid.NewGuid():N}.tmp"), "{}", TimeSpan.FromHours(2)), // a name from before process numbers
            Leave(Full("keys/ca-00112233445566778899aabbccddeeff.key.pem"), "-----BEGIN PRIVATE KEY-----"),
            Leave(Full("cas/00112233445566778899aabbccddeeff.crt.pem"), "-----BEGIN CERTIFICATE-----"),
            Leave(Full("keys/csr-9.key.pem"), "-----BEGIN PRIVATE KEY-----"),
            Leave(Full("csrs/9.csr.pem"), "-----BEGIN CERTIFICATE REQUEST-----"),
        };
        using var live = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var kept = new[]
            {
                Leave(Full($"keys/.csr-8.key.pem.{live.Id}.{Guid.NewGuid():N}.tmp"), "a live writer's"),
                Leave(Full($"csrs/.1.json.{Guid.NewGuid():N}.tmp"), "young, and no process to ask"),
                Leave(Full("keys/ca-not-an-id.key.pem.bak"), "not a file of the store's"),
                Leave(Full("notes.txt"), "the user's"),
            };

            Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC" });

            Assert.All(leftovers, path => Assert.False(File.Exists(path), path + " was left"));
            Assert.All(kept, path => Assert.True(File.Exists(path), path + " was removed"));
            Assert.True(File.Exists(Full(StoreLayout.CaKey(root.Id))));
            Assert.True(File.Exists(Full(StoreLayout.CsrKey(1))));
            Assert.Equal(2, cas.Find().Items.Count);
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
    }

    [Fact]
    public void Files_of_the_user_s_own_in_the_store_folder_are_not_the_store_s_leftovers()
    {
        // A -StorePath may be a folder that holds other things too: only the store's own files and folders are swept.
        var dead = EndedProcessId();
        var theirs = new[]
        {
            Leave(Full($"backup/.cas.json.{dead}.{Guid.NewGuid():N}.tmp"), "the user's", TimeSpan.FromDays(2)),
            Leave(Full($"backup/keys/.ca.key.pem.{dead}.{Guid.NewGuid():N}.tmp"), "the user's", TimeSpan.FromDays(2)),
        };
        var ours = Leave(Full($"csrs/.1.json.{dead}.{Guid.NewGuid():N}.tmp"), "{}");

        Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC" });

        Assert.All(theirs, path => Assert.True(File.Exists(path), path + " was removed"));
        Assert.False(File.Exists(ours));
    }

    [Fact]
    public void A_temporary_file_is_stale_when_its_writer_is_gone_or_it_is_an_hour_old_and_never_when_it_is_this_process_own_and_young()
    {
        var folder = Path.Combine(_temp.Folder, "t");
        var own = Leave(Path.Combine(folder, "." + "x.json." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp"), "");
        var ownOld = Leave(Path.Combine(folder, "." + "y.json." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp"), "", TimeSpan.FromHours(1.5));
        var gone = Leave(Path.Combine(folder, ".z.json." + EndedProcessId() + "." + Guid.NewGuid().ToString("N") + ".tmp"), "");
        var notOurs = Leave(Path.Combine(folder, ".z.json.tmp"), "", TimeSpan.FromDays(3));

        Assert.False(StoreLeftovers.IsStaleTemporary(own, DateTime.UtcNow));
        Assert.True(StoreLeftovers.IsStaleTemporary(ownOld, DateTime.UtcNow));
        Assert.True(StoreLeftovers.IsStaleTemporary(gone, DateTime.UtcNow));
        Assert.False(StoreLeftovers.IsStaleTemporary(notOurs, DateTime.UtcNow));
    }

    [Fact]
    public void A_temporary_file_names_its_writer_so_that_a_sweep_can_tell_whether_it_is_alive()
    {
        var name = StoreLeftovers.TemporaryName("ca-0a.key.pem");
        Assert.Matches($@"^\.ca-0a\.key\.pem\.{Environment.ProcessId}\.[0-9a-f]{{32}}\.tmp$", name);
    }

    [Fact]
    public void Every_atomic_write_and_a_new_journal_sync_their_folder_after_the_rename()
    {
        var cas = Services.Cas(_temp.Open());
        var events = AtomicWriteFailure.Recording(_temp.Root, () =>
        {
            cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Root", Algorithm = "ECC", NoPassword = true });
            cas.CreateSubordinate(new NewCaRequest { Name = "Sub", CommonName = "Sub", Algorithm = "ECC", NoPassword = true, Issuer = new CaIdentity("Root") });
            new CertificateService(cas).Issue(new NewCertificateRequest { Csr = Hierarchy.Csr(Core.Keys.KeySpec.Ecc(256), "www.example.com"), Issuer = new CaIdentity("Sub") });
            new CrlService(cas).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        });

        var renames = events.Where(e => e.StartsWith("rename ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(renames);
        foreach (var rename in renames)
        {
            var path = rename["rename ".Length..];
            var next = events[events.IndexOf(rename) + 1];
            if (path.EndsWith(".head.json", StringComparison.Ordinal) && next != "sync " + Path.GetDirectoryName(path))
            {
                continue; // a head moved on, which may fall behind its journal after a power cut, never run ahead
            }
            Assert.Equal("sync " + Path.GetDirectoryName(path), next);
        }
        var crls = Full(StoreLayout.CrlFolder);
        Assert.Contains("sync " + crls, events);
        var journal = Full(StoreLayout.CertificateJournal(cas.Find(new[] { "Sub" }).Items[0].Id));
        Assert.Contains("sync " + Path.GetDirectoryName(journal), events); // the journal's own folder, once, when it was made
    }
}
