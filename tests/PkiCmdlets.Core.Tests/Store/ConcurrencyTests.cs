using System.Diagnostics;
using System.Reflection;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Eight_writers_and_a_second_process_create_200_csrs_without_losing_or_repeating_an_id()
    {
        const int threads = 8;
        const int perThread = 20;
        const int inProcess = 40;

        var writer = StartStoreWriter(_temp.Root, inProcess, "proc");
        var ids = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var csrs = Services.Csrs(_temp.Open()); // a store instance of its own, as separate sessions have
            for (var i = 0; i < perThread; i++)
            {
                ids.Add(csrs.Create(new NewCsrRequest { CommonName = $"t{t}-{i}.example.com", Algorithm = "ECC", Name = $"t{t}-{i}" }).Id);
            }
        });
        var output = writer.StandardOutput.ReadToEnd();
        Assert.True(writer.WaitForExit(120_000), "the second process did not finish");
        Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) ids.Add(int.Parse(line));

        const int total = threads * perThread + inProcess;
        Assert.Equal(total, ids.Count);
        Assert.Equal(total, ids.Distinct().Count());
        var stored = Services.Csrs(_temp.Open()).Find();
        Assert.Empty(stored.Problems);
        Assert.Equal(total, stored.Items.Count);
        Assert.Equal(Enumerable.Range(1, total), stored.Items.Select(c => c.Id).OrderBy(i => i));
        Assert.Equal(total, stored.Items.Select(c => c.Name).Distinct().Count());
        Assert.Equal(total, Directory.GetFiles(Path.Combine(_temp.Root, "keys")).Length);
    }

    [Fact]
    public void Four_processes_issuing_100_certificates_each_from_one_intermediate_get_400_distinct_serials_all_indexed()
    {
        const int processes = 4;
        const int each = 100;
        using var pki = new Hierarchy("ECC_256");
        var csr = pki.File("www.csr", Hierarchy.Csr(Core.Keys.KeySpec.Ecc(256), "www.example.com"));
        var writers = Enumerable.Range(0, processes).Select(_ => Start($"issue \"{pki.Store.Root}\" {each} Sub \"{csr}\"")).ToList();
        var serials = new List<string>();
        foreach (var writer in writers)
        {
            var output = writer.StandardOutput.ReadToEnd();
            Assert.True(writer.WaitForExit(300_000), "a writer did not finish");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
            serials.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        }

        Assert.Equal(processes * each, serials.Count);
        Assert.Equal(processes * each, serials.Distinct().Count());
        var indexed = new Core.Authority.CertificateService(pki.Open()).Find(new Core.Authority.CertificateQuery { Issuer = new Core.Authority.CaIdentity("Sub") });
        Assert.Empty(indexed.Problems);
        Assert.Equal(serials.OrderBy(s => s), indexed.Items.Select(c => c.SerialNumber).OrderBy(s => s));
        Assert.Equal(processes * each, indexed.Items.Select(c => c.Identifier).Distinct().Count());
    }

    private static Process StartStoreWriter(string store, int count, string prefix) => Start($"\"{store}\" {count} {prefix}");

    private static Process Start(string arguments)
    {
        var path = typeof(ConcurrencyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriter").Value!;
        Assert.True(File.Exists(path), "build tests/PkiCmdlets.StoreWriter first: " + path);
        var start = new ProcessStartInfo("dotnet", $"\"{path}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }
}
