using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

/// <summary>
/// Section ca: issuing from many CSR files, ours next to `openssl ca -batch -infiles` (one process that checks each
/// request's signature and signs, with its text database) over the same files and the same intermediate, per family
/// (RSA-2048, P-256, SM2). Ours runs as New-ServerCertificate does with a pipeline: one IssuanceBatch, Submit per CSR
/// (its worker threads, one per core, read and verify it, check every rule, build, sign), Commit whenever the batch is
/// full and at the end (one durable journal append each). The time from a batch's first Submit until its workers are
/// done is the in-core figure, the whole loop the through-the-store one. Next to them, one core's sign+verify limit
/// from `openssl speed` (a certificate from a CSR costs one verification and one signature), and as ours uses every
/// core, the same from `openssl speed -multi N`. openssl ca writes a file per certificate (newcerts/), so its rate depends on the file system: it also runs
/// with its database on tmpfs (/dev/shm), printed in the notes. One certificate of each side is checked with
/// `openssl verify` and the two compared. When the module is built (out/PkiCmdlets/), the same files are also piped to
/// New-ServerCertificate in a fresh pwsh per run: what a user sees, JIT and PowerShell included.
/// </summary>
internal static class CaBenchmark
{
    private const double StoreTarget = 2.0;
    private const double LimitTarget = 0.5;
    private const int SpeedSeconds = 2;

    private static readonly (string Algorithm, string OpenSslName)[] Families =
    {
        ("RSA_2048", "rsa2048"),
        ("ECC_256", "ecdsap256"),
        ("SM2_256", "sm2"),
    };

    public static void Run(IReadOnlyList<int> numbers)
    {
        var count = numbers.Count > 0 ? numbers[0] : 1000;
        var runs = numbers.Count > 1 ? numbers[1] : 3;
        Console.WriteLine($"Issuing from {count} CSR files (PEM) per family with one intermediate of that family: openssl ca -batch -notext -infiles (one process), " +
            $"ours piped (IssuanceBatch, commit every {IssuanceBatch.PreferredSize}; in-core = from the first Submit of a batch to its workers done, store = the whole loop with every commit); " +
            $"the fastest of {runs} runs of each, alternating (other work on the machine only ever slows a run down); limit = one core's 1/(1/sign + 1/verify) from openssl speed -seconds {SpeedSeconds}, the best of one measurement per run");
        var module = PwshPipeline.FindModule();
        var workers = IssuanceBatch.WorkerCount;
        Console.WriteLine($"Ours checks and signs on {workers} worker thread(s) (IssuanceBatch.Submit, one per core): in-core is held to the one-core limit " +
            (workers > 1 ? $"(the target) and, for honesty, to the {workers}-core limit of openssl speed -multi {workers}" : "(the target)"));
        var columns = new List<(string, int)>
        {
            ("Issuer", 8), ("openssl ca/s", 7), ("ours store/s", 7), ("store/ca", 5), ("target", 6), ("verdict", 7),
            ("ours pwsh/s", 7), ("pwsh/ca", 5), ("verdict", 7), ("ours in-core/s", 7), ("limit/s", 7), ("in-core/limit", 5), ("target", 6), ("verdict", 7),
        };
        if (workers > 1) columns.AddRange(new[] { ($"limit {workers} cores/s", 7), ($"in-core/limit {workers}c", 5) });
        var table = new Table(columns.ToArray());
        var notes = new List<string>
        {
            module == null
                ? "pwsh: no module under out/PkiCmdlets/, so no pwsh figures (dotnet tool restore; dotnet pwsh -File build.ps1 -Task Build)"
                : $"pwsh: {module}, built {File.GetLastWriteTime(module):yyyy-MM-dd HH:mm}; PEM texts piped to New-ServerCertificate -Days 365, a fresh pwsh per run",
        };
        foreach (var (algorithm, openSslName) in FamilyFilter.Apply(Families, f => f.Algorithm))
        {
            var family = RunFamily(algorithm, openSslName, count, runs, module, workers);
            var limit = family.Speed.SignPlusVerifyPerSecond;
            var cells = new List<string>
            {
                algorithm, $"{family.OpenSslCa:F0}", $"{family.Store:F0}", $"{family.Store / family.OpenSslCa:F2}", $"≥{StoreTarget:F1}",
                Table.Verdict(family.Store / family.OpenSslCa >= StoreTarget),
                family.Pwsh is { } pwsh ? $"{pwsh:F0}" : "-", family.Pwsh is { } p ? $"{p / family.OpenSslCa:F2}" : "-",
                family.Pwsh is { } q ? Table.Verdict(q / family.OpenSslCa >= StoreTarget) : "",
                $"{family.InCore:F0}", $"{limit:F0}", $"{family.InCore / limit:F2}", $"≥{LimitTarget:F1}", Table.Verdict(family.InCore / limit >= LimitTarget),
            };
            if (family.SpeedMulti is { } multi)
            {
                cells.Add($"{multi.SignPlusVerifyPerSecond:F0}");
                cells.Add($"{family.InCore / multi.SignPlusVerifyPerSecond:F2}");
            }
            table.Row(cells.ToArray());
            notes.AddRange(family.Notes);
        }
        notes.ForEach(Console.WriteLine);
    }

    private sealed record FamilyResult(double OpenSslCa, double InCore, double Store, double? Pwsh, OpenSsl.SpeedResult Speed,
        OpenSsl.SpeedResult? SpeedMulti, IReadOnlyList<string> Notes);

    private static FamilyResult RunFamily(string algorithm, string openSslName, int count, int runs, string? module, int workers)
    {
        var sm2 = algorithm.StartsWith("SM2", StringComparison.Ordinal);
        var rsa = algorithm.StartsWith("RSA", StringComparison.Ordinal);
        using var temp = new TempStore();
        var sub = temp.CreateIntermediate(algorithm);
        var subCertificate = temp.Store.FullPath(StoreLayout.CaCertificate(sub.Id));
        var subKey = temp.Store.FullPath(StoreLayout.CaKey(sub.Id));
        var csrs = CsrFiles.Create(Path.Combine(temp.Root, "csrs"), algorithm, count);
        var service = new CertificateService(temp.Store);

        // JIT (tier 1, with time for its background compiles) and the native provider warmed up, as in a process that
        // has issued for a while; nothing committed. The pwsh runs show the cold start a user's session has instead.
        using (var warmUp = service.BeginBatch())
        {
            foreach (var csr in csrs.Take(Math.Min(count, 200))) warmUp.Submit(Request(csr));
            warmUp.TakeRefused(wait: true);
        }
        Thread.Sleep(500);

        var opensslRates = new List<double>();
        var inCoreRates = new List<double>();
        var storeRates = new List<double>();
        var cores = new List<double>();
        var pwshRates = new List<double>();
        var tmpfsRates = new List<double>();
        var speeds = new List<OpenSsl.SpeedResult>();
        var speedsMulti = new List<OpenSsl.SpeedResult>();
        var tmpfs = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "pkicmdlets-bench-" + Guid.NewGuid().ToString("N")) : null;
        string? pwshProblem = null;
        OpenSslCa.Result? theirs = null;
        IssuedCertificate? ours = null;
        for (var run = 0; run < runs; run++)
        {
            theirs = OpenSslCa.Issue(csrs, subCertificate, subKey, Path.Combine(temp.Root, $"openssl-ca-{run}"), rsa, sm2);
            if (theirs.DatabaseEntries != count) throw new InvalidOperationException($"openssl ca issued {theirs.DatabaseEntries} of {count} certificates");
            opensslRates.Add(count / theirs.Elapsed.TotalSeconds);
            if (tmpfs != null)
            {
                try
                {
                    tmpfsRates.Add(count / OpenSslCa.Issue(csrs, subCertificate, subKey, Path.Combine(tmpfs, $"openssl-ca-{run}"), rsa, sm2).Elapsed.TotalSeconds);
                }
                finally
                {
                    Directory.Delete(tmpfs, recursive: true);
                }
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var piped = Piped(service, csrs);
            if (piped.Issued != count) throw new InvalidOperationException($"ours issued {piped.Issued} of {count} certificates");
            ours = piped.First;
            inCoreRates.Add(count / piped.InCore.TotalSeconds);
            storeRates.Add(count / piped.Whole.TotalSeconds);
            cores.Add(piped.Cpu.TotalSeconds / piped.Whole.TotalSeconds);

            // openssl speed in every run too, the best kept: like ours, the limit is taken from the quietest moment.
            speeds.Add(OpenSsl.SpeedSignVerify(openSslName, SpeedSeconds));
            if (workers > 1) speedsMulti.Add(OpenSsl.SpeedSignVerify(openSslName, SpeedSeconds, workers));

            if (module == null || pwshProblem != null) continue;
            try
            {
                var (issued, elapsed) = PwshPipeline.Issue(module, temp.Root, "Sub", csrs, Path.Combine(temp.Root, "pwsh"));
                if (issued != count) throw new InvalidOperationException($"New-ServerCertificate issued {issued} of {count} certificates");
                pwshRates.Add(count / elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
                pwshProblem = e.Message; // reported below; the other figures stand
            }
        }
        var speed = speeds.OrderByDescending(r => r.SignPlusVerifyPerSecond).First();
        var speedMulti = speedsMulti.OrderByDescending(r => r.SignPlusVerifyPerSecond).FirstOrDefault();

        // CSR 0 is for www0.example.com: ours is the first returned; openssl ca's found by name.
        var oursPath = Path.Combine(temp.Root, "ours-0.pem");
        File.WriteAllText(oursPath, ours!.X509Certificate);
        var theirsPem = CertificateComparison.FindPem(theirs!.Certificates, "www0.example.com");
        var theirsPath = Path.Combine(temp.Root, "openssl-ca-0.pem");
        File.WriteAllText(theirsPath, theirsPem);
        var difference = CertificateComparison.ProfileDifference(ours.X509Certificate, theirsPem);
        var inCore = Best(inCoreRates);
        var store = Best(storeRates);
        var notes = new List<string>
        {
            $"{algorithm}: openssl speed {speed.SignsPerSecond:F0} sign/s, {speed.VerifiesPerSecond:F0} verify/s" +
                (speedMulti != null ? $" (-multi {workers}: {speedMulti.SignsPerSecond:F0}, {speedMulti.VerifiesPerSecond:F0})" : string.Empty) + $"; runs (certs/s) openssl ca {Runs(opensslRates)}" +
                (tmpfsRates.Count > 0 ? $" (database on tmpfs: {Runs(tmpfsRates)}, ours store / its best {store / Best(tmpfsRates):F2})" : string.Empty) + ", " +
                $"ours in-core {Runs(inCoreRates)}, store {Runs(storeRates)}; ours {1e6 / inCore:F0} µs in-core + {1e6 / store - 1e6 / inCore:F0} µs commit per certificate, " +
                $"{Median(cores):F2} cores busy (CPU time / wall time)" + (pwshRates.Count > 0 ? $"; pwsh {Runs(pwshRates)}" : string.Empty)
                + (pwshProblem != null ? $"; pwsh failed: {pwshProblem}" : string.Empty),
            $"  openssl verify -purpose sslserver -verify_hostname www0.example.com: ours {CertificateComparison.Verify(oursPath, subCertificate, "www0.example.com", sm2)}, " +
                $"openssl ca's {CertificateComparison.Verify(theirsPath, subCertificate, "www0.example.com", sm2)}; " +
                $"same profile (subject, extensions and criticality, SANs, signature algorithm, days): {difference ?? "yes"}",
        };
        return new FamilyResult(Best(opensslRates), inCore, store, pwshRates.Count > 0 ? Best(pwshRates) : null, speed, speedMulti, notes);
    }

    private sealed record PipedResult(int Issued, IssuedCertificate First, TimeSpan InCore, TimeSpan Whole, TimeSpan Cpu);

    /// <summary>
    /// As New-ServerCertificate does with CSRs piped to it: Submit each (taking the refusals so far), and when the batch
    /// is full and at the end wait for every refusal, then Commit. In-core is the time from a batch's first Submit until
    /// its workers are done (the submits and that wait), so work left running on a worker is never missed; the commit
    /// itself (serial check, journal append, fsync, output objects) is the rest of the whole loop.
    /// </summary>
    private static PipedResult Piped(CertificateService service, IReadOnlyList<string> csrs)
    {
        var issued = new List<IssuedCertificate>(csrs.Count);
        long inCoreTicks = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var whole = Stopwatch.StartNew();
        using (var batch = service.BeginBatch())
        {
            void Commit()
            {
                var start = Stopwatch.GetTimestamp();
                if (batch.TakeRefused(wait: true).Count > 0) throw new InvalidOperationException("a CSR was refused");
                inCoreTicks += Stopwatch.GetTimestamp() - start;
                issued.AddRange(batch.Commit());
            }
            foreach (var csr in csrs)
            {
                var start = Stopwatch.GetTimestamp();
                batch.Submit(Request(csr));
                if (batch.TakeRefused().Count > 0) throw new InvalidOperationException("a CSR was refused");
                inCoreTicks += Stopwatch.GetTimestamp() - start;
                if (batch.IsFull) Commit();
            }
            Commit();
        }
        whole.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return new PipedResult(issued.Count, issued[0], Stopwatch.GetElapsedTime(0, inCoreTicks), whole.Elapsed, cpu);
    }

    private static NewCertificateRequest Request(string csrPath) => new() { CsrPath = csrPath, Issuer = new CaIdentity("Sub"), Days = 365 };

    private static double Median(List<double> values) => Timing.Median(values.Order().ToList());

    private static double Best(List<double> rates) => rates.Max();

    private static string Runs(IEnumerable<double> rates) => string.Join(" ", rates.Select(r => r.ToString("F0")));
}
