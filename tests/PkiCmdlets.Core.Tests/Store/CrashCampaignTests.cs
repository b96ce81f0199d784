using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Integrity;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;
using Xunit.Abstractions;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// The kill -9 campaign: a worker process (tests/PkiCmdlets.StoreWriter crash) issues, revokes and publishes CRLs without
/// end, printing each item the moment the store returns it, and is killed with SIGKILL, at a random moment or at a
/// chosen write (before a rename, before a journal flush, after a folder sync). After every kill the next command, a new
/// process, runs on the store. Then: every item a worker printed is in the store, no CRL number was given to two
/// different CRLs, no temporary file or orphan key is left, and Test-PkiStore finds the store healthy. CI runs a short
/// campaign; PKICMDLETS_KILLS=300 runs a long one (and prints its figures).
/// </summary>
public sealed class CrashCampaignTests
{
    private static readonly string[] Seams = { "timer", "rename", "flush", "synced" };
    private readonly ITestOutputHelper _output;

    public CrashCampaignTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Kill_9_during_issuance_revocation_and_Publish_Crl_loses_nothing_returned_repeats_no_CRL_number_and_leaves_nothing_behind()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("PKICMDLETS_KILLS"), out var asked) ? asked : 12;
        using var pki = new Hierarchy("ECC_256");
        var csr = pki.File("www.csr", Hierarchy.Csr(Core.Keys.KeySpec.Ecc(256), "www.example.com"));
        var published = Path.Combine(pki.Store.Folder, "published");
        Directory.CreateDirectory(published);
        var issued = new Dictionary<string, string>();
        var revoked = new HashSet<string>();
        var crls = new Dictionary<long, HashSet<string>>();
        var killedAt = new Dictionary<string, int>();
        var leftoversSeen = 0;
        var random = new Random(16);

        for (var kill = 0; kill < kills; kill++)
        {
            var seam = Seams[kill % Seams.Length];
            var arguments = $"crash \"{pki.Store.Root}\" Sub \"{csr}\" \"{published}\" {random.Next()}"
                + (seam == "timer" ? string.Empty : $" {seam} {(seam == "flush" ? "0.3" : "0.08")}");
            using var worker = Start(arguments);
            var lines = new List<string>();
            var ready = new ManualResetEventSlim();
            worker.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (lines) lines.Add(e.Data);
                if (e.Data == "ready") ready.Set();
            };
            worker.BeginOutputReadLine();
            if (!ready.Wait(60_000))
            {
                worker.Kill();
                Assert.Fail("the worker did not start: " + worker.StandardError.ReadToEnd());
            }
            // A seam kills the worker itself at its write; the timer kills it anywhere, and also ends a worker whose seam never fired.
            if (!worker.WaitForExit(seam == "timer" ? random.Next(10, 400) : 5_000)) worker.Kill();
            worker.WaitForExit();
            List<string> printed;
            lock (lines) printed = lines.ToList();
            var dying = printed.FirstOrDefault(l => l.StartsWith("dying ", StringComparison.Ordinal));
            var where = dying == null ? "at a random moment" : dying.Split(' ')[1] + " of " + Kind(dying.Split(' ', 3)[2], pki.Store.Root);
            killedAt[where] = killedAt.GetValueOrDefault(where) + 1;
            foreach (var line in printed)
            {
                var fields = line.Split(' ');
                switch (fields[0])
                {
                    case "issued": issued[fields[1]] = fields[2]; break;
                    case "revoked": revoked.Add(fields[1]); break;
                    case "crl": Seen(crls, long.Parse(fields[1]), fields[2]); break;
                }
            }
            leftoversSeen += Directory.GetFiles(pki.Store.Root, "*.tmp", SearchOption.AllDirectories).Length;
            CollectCrls(pki.Store.Root, published, crls);

            // The next command, a process of its own as a new PowerShell session would be.
            using var next = Start($"issue \"{pki.Store.Root}\" 1 Sub \"{csr}\"");
            var output = next.StandardOutput.ReadToEnd();
            Assert.True(next.WaitForExit(60_000), "the next command did not finish");
            if (next.ExitCode != 0) Assert.Fail($"after kill {kill + 1} ({where}) the next command failed: " + next.StandardError.ReadToEnd());
            Assert.Empty(Directory.GetFiles(pki.Store.Root, "*.tmp", SearchOption.AllDirectories));
            Assert.Empty(StoreLeftovers.Find(pki.Open()));
            Assert.NotEmpty(output.Trim());
        }

        var store = pki.Open();
        var listed = new CertificateService(store).Find(new CertificateQuery { Issuer = new CaIdentity("Sub") });
        Assert.Empty(listed.Problems);
        var byIdentifier = listed.Items.ToDictionary(c => c.Identifier);
        var lost = issued.Where(pair => !byIdentifier.TryGetValue(pair.Key, out var found) || found.SerialNumber != pair.Value).ToList();
        var unrevoked = revoked.Where(id => !byIdentifier.TryGetValue(id, out var found) || found.Status != nameof(CertificateStatus.Revoked)).ToList();
        var final = new CrlService(store).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        Seen(crls, final.CrlNumber, Convert.ToHexString(SHA256.HashData(final.Der)));
        CollectCrls(pki.Store.Root, published, crls);
        var repeated = crls.Where(pair => pair.Value.Count > 1).Select(pair => pair.Key).ToList();
        var check = new StoreCheckService(store).Check();

        _output.WriteLine($"kills: {kills} ({string.Join(", ", killedAt.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))})");
        _output.WriteLine($"returned: {issued.Count} certificates, {revoked.Count} revocations, {crls.Count} CRL numbers; lost: {lost.Count + unrevoked.Count}");
        _output.WriteLine($"CRL numbers given to two different CRLs: {repeated.Count}; temporary files seen after kills: {leftoversSeen}, after the next command: 0");
        _output.WriteLine($"store after the campaign: {listed.Items.Count} certificates, {check.JournalLines} journal lines, Test-PkiStore healthy: {check.Healthy}");
        Assert.Empty(lost);
        Assert.Empty(unrevoked);
        Assert.Empty(repeated);
        Assert.True(check.Healthy, string.Join("\n", check.Problems.Select(p => p.Message)));
        Assert.Equal(revoked.Count + listed.Items.Count(c => c.Status == nameof(CertificateStatus.Revoked) && !revoked.Contains(c.Identifier)), final.RevokedCount);
    }

    /// <summary>What a seam's path is, for the figures: the CRL number, a CRL, a journal, its head, a record, or a folder.</summary>
    private static string Kind(string path, string root)
    {
        if (Directory.Exists(path)) return path == root ? "the store folder" : "folder " + Path.GetFileName(path).Split('-')[0];
        var name = Path.GetFileName(path);
        if (name.EndsWith(".crl", StringComparison.Ordinal)) return "the -Path CRL";
        if (name.EndsWith(".crl.pem", StringComparison.Ordinal)) return "the stored CRL";
        if (name.EndsWith(".head.json", StringComparison.Ordinal)) return "a journal head";
        if (name.EndsWith(".journal", StringComparison.Ordinal)) return "a journal";
        return Path.GetFileName(Path.GetDirectoryName(path)) == StoreLayout.CrlFolder ? "the CRL number" : name;
    }

    private static void Seen(Dictionary<long, HashSet<string>> crls, long number, string sha256)
    {
        if (!crls.TryGetValue(number, out var hashes)) crls[number] = hashes = new HashSet<string>();
        hashes.Add(sha256);
    }

    /// <summary>Every CRL the store or -Path holds now: a number written into two different CRLs shows here even if neither was returned.</summary>
    private static void CollectCrls(string root, string published, Dictionary<long, HashSet<string>> crls)
    {
        var files = Directory.GetFiles(published, "*.crl").Select(File.ReadAllBytes).ToList();
        var folder = Path.Combine(root, StoreLayout.CrlFolder);
        foreach (var stored in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.crl.pem") : Array.Empty<string>())
        {
            files.Add(Core.Formats.Pem.Decode(File.ReadAllText(stored), Core.Formats.Pem.CrlLabel));
        }
        foreach (var der in files)
        {
            Seen(crls, StoredCrl.Read(der).Number, Convert.ToHexString(SHA256.HashData(der)));
        }
    }

    private static Process Start(string arguments)
    {
        var path = typeof(CrashCampaignTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriter").Value!;
        Assert.True(File.Exists(path), "build tests/PkiCmdlets.StoreWriter first: " + path);
        return Process.Start(new ProcessStartInfo("dotnet", $"\"{path}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
    }
}
