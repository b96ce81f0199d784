using System.Diagnostics;
using System.Reflection;
using System.Text;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Formats;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Fuzz;

/// <summary>
/// The fuzz suite of issue 16: every parser gets the generated hostile inputs of <see cref="HostileCorpus"/> and must refuse
/// each with its specific ErrorId, within <see cref="TimeBound"/>, leaving the store byte-identical and the process alive.
/// Files are read in a child process (tests/PkiCmdlets.InputProbe) exactly as the cmdlets read them, so that an input that
/// overflows the stack, which nothing can catch, ends the child and fails the test instead of ending the test host.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    /// <summary>Per input: deep nesting is refused in microseconds, everything here in milliseconds; CI machines are slow.</summary>
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(2);

    private readonly Hierarchy _hierarchy = new("ECC_256");

    public void Dispose() => _hierarchy.Dispose();

    [Fact]
    public void Request_files_are_refused_each_with_its_error() =>
        Probe("csr-file", HostileCorpus.Requests().ToList());

    [Fact]
    public void Requests_given_as_text_are_refused_each_with_its_error() =>
        Probe("csr-text", HostileCorpus.Requests().Where(i => i.Name.EndsWith(".pem", StringComparison.Ordinal)).ToList());

    [Fact]
    public void Ca_certificate_files_are_refused_each_with_its_error() =>
        Probe("certificate:" + _hierarchy.File("hostile-ca.key", HostileCorpus.CaKey()), HostileCorpus.Certificates().ToList());

    [Fact]
    public void Key_files_are_refused_each_with_its_error() =>
        Probe("key:" + _hierarchy.File("hostile-ca.crt", Pem.Encode(Pem.CertificateLabel, HostileCorpus.GoodCaCertificate())), HostileCorpus.Keys(_hierarchy.Store.Folder).ToList());

    [Fact]
    public void Pfx_files_are_refused_each_with_its_error() =>
        Probe("pfx", HostileCorpus.PfxFiles().ToList());

    [Fact]
    public void Crl_files_are_refused_each_with_its_error() =>
        Probe("crl", HostileCorpus.Crls().ToList());

    /// <summary>The good files the corpus spoils are read: what is refused is the damage, not the kind of file.</summary>
    [Fact]
    public void The_good_files_the_corpus_starts_from_are_accepted()
    {
        var ca = _hierarchy.File("good-ca.crt", Pem.Encode(Pem.CertificateLabel, HostileCorpus.GoodCaCertificate()));
        var key = _hierarchy.File("good-ca.key", HostileCorpus.CaKey());
        var results = Run(_hierarchy.Store.Root, "key:" + ca, new[] { key });
        Assert.Equal("accepted", results[key].Outcome);
        // Import-CA took the corpus's CA into the store just now, so its CRL has an issuer to be imported for.
        var crl = _hierarchy.File("good.crl", Pem.Encode(Pem.CrlLabel, HostileCorpus.GoodCrl()));
        Assert.Equal("accepted", Run(_hierarchy.Store.Root, "crl", new[] { crl })[crl].Outcome);
        var csr = _hierarchy.File("good.csr", Hierarchy.Csr(KeySpec.Ecc(256), "good.example.com", "good.example.com"));
        Assert.Equal("accepted", Run(_hierarchy.Store.Root, "csr-file", new[] { csr })[csr].Outcome);
    }

    /// <summary>
    /// Damaged files in the store itself, read by a command: a CA certificate nested 40,000 deep is damage the error names
    /// (StoreRecordCorrupt), a CA key so nested is refused before it is parsed.
    /// </summary>
    [Theory]
    [InlineData("certificate", ErrorIds.StoreRecordCorrupt)]
    [InlineData("key", ErrorIds.InputNestingTooDeep)]
    public void A_deeply_nested_file_in_the_store_is_refused_by_the_command_that_reads_it(string file, string errorId)
    {
        var path = file == "certificate"
            ? Path.Combine(_hierarchy.Store.Root, "cas", _hierarchy.Sub.Id + ".crt.pem")
            : Path.Combine(_hierarchy.Store.Root, "keys", "ca-" + _hierarchy.Sub.Id + ".key.pem");
        File.WriteAllText(path, Pem.Encode(file == "certificate" ? Pem.CertificateLabel : Pem.PrivateKeyLabel, DerInputTests.NestedDefinite(40_000)));
        var csr = new HostileInput("good.csr", Encoding.ASCII.GetBytes(Hierarchy.Csr(KeySpec.Ecc(256), "good.example.com")), errorId);
        Probe("csr-file", new[] { csr });
    }

    public static TheoryData<string> DeepJson() => new() { new string('[', 10_000) + new string(']', 10_000), "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_001) };

    /// <summary>JSON nested deeper than the reader's limit (64), in every record of the store, is StoreRecordCorrupt.</summary>
    [Theory]
    [MemberData(nameof(DeepJson))]
    public void A_deeply_nested_json_record_is_StoreRecordCorrupt(string json)
    {
        var certificates = Services.Certificates(_hierarchy.Open());
        var issued = _hierarchy.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "a.example.com"));
        certificates.Revoke(issued.Identifier, Revocation.RevocationReason.KeyCompromise);
        new CrlService(_hierarchy.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") });
        var csr = Services.Csrs(_hierarchy.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256" });
        var root = _hierarchy.Store.Root;

        Within(() =>
        {
            var journal = Directory.GetFiles(Path.Combine(root, "issued"), "certificates.journal", SearchOption.AllDirectories).Single();
            var lines = File.ReadAllLines(journal);
            File.WriteAllLines(journal, lines.Append(json));
            var listing = Services.Certificates(_hierarchy.Open()).Find(new CertificateQuery());
            Assert.Contains(listing.Problems, p => p.ErrorId == ErrorIds.StoreRecordCorrupt);
            AssertRefused(() => new CrlService(_hierarchy.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") }), ErrorIds.StoreRecordCorrupt);
            File.WriteAllLines(journal, lines);

            var crlState = Path.Combine(root, "crls", _hierarchy.Sub.Id + ".json");
            File.WriteAllText(crlState, json);
            AssertRefused(() => new CrlService(_hierarchy.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") }), ErrorIds.StoreRecordCorrupt);

            var csrRecord = Path.Combine(root, "csrs", csr.Id + ".json");
            File.WriteAllText(csrRecord, json);
            AssertRefused(() => Services.Csrs(_hierarchy.Open()).Get(csr.Id), ErrorIds.StoreRecordCorrupt);

            var caRecord = Path.Combine(root, "cas", _hierarchy.Root.Id + ".json");
            File.WriteAllText(caRecord, json);
            Assert.Contains(Services.Cas(_hierarchy.Open()).Find().Problems, p => p.ErrorId == ErrorIds.StoreRecordCorrupt);
        });
    }

    private static void Within(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        Assert.True(clock.Elapsed < TimeBound * 4, "took " + clock.ElapsedMilliseconds + " ms");
    }

    private static void AssertRefused(Action action, string errorId)
    {
        var error = Assert.Throws<PkiException>(action);
        Assert.Equal(errorId, error.ErrorId);
        ErrorTargets.AssertNotContent(error.Target, errorId);
    }

    /// <summary>
    /// Writes the inputs to files, has the child read them as <paramref name="kind"/> says, and requires, for every one,
    /// its ErrorId within <see cref="TimeBound"/>; then the child's normal exit and a store unchanged byte for byte.
    /// </summary>
    private void Probe(string kind, IReadOnlyList<HostileInput> inputs)
    {
        var folder = Path.Combine(_hierarchy.Store.Folder, "hostile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var files = inputs.Select(i =>
        {
            var path = Path.Combine(folder, i.Name);
            File.WriteAllBytes(path, i.Bytes);
            return path;
        }).ToList();
        var before = _hierarchy.Store.Snapshot();

        var results = Run(_hierarchy.Store.Root, kind, files);

        var failures = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (!results.TryGetValue(files[i], out var result)) failures.Add(input.Name + ": no answer");
            else if (result.Outcome != input.ErrorId) failures.Add(input.Name + ": " + result.Outcome + ", not " + input.ErrorId);
            else if (result.Elapsed > TimeBound) failures.Add(input.Name + ": " + result.Elapsed.TotalMilliseconds + " ms");
        }
        Assert.True(failures.Count == 0, kind + ": " + failures.Count + " of " + inputs.Count + " inputs were not refused as they should be:\n" + string.Join("\n", failures));
        Assert.Equal(before, _hierarchy.Store.Snapshot());
    }

    /// <summary>Runs the child; every file's outcome and time. Fails unless the child lived to exit normally.</summary>
    private static Dictionary<string, (string Outcome, TimeSpan Elapsed)> Run(string store, string kind, IReadOnlyList<string> files)
    {
        var path = typeof(HostileInputTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InputProbe").Value!;
        Assert.True(File.Exists(path), "build tests/PkiCmdlets.InputProbe first: " + path);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { path, store, "Sub", kind }.Concat(files)) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(120_000))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail(kind + ": the child did not finish in two minutes");
        }
        Assert.True(child.ExitCode == 0, kind + ": the child process died (exit code " + child.ExitCode + "), the last input it read ended it:\n"
            + output.Result.Split('\n').LastOrDefault(l => l.Length > 0) + "\n" + error.Result);
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(f => f[0], f => (f[1], TimeSpan.FromMilliseconds(long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture))));
    }
}
