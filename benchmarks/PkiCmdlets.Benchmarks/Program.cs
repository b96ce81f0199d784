using System.Diagnostics;
using System.Globalization;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

// Usage: PkiCmdlets.Benchmarks [csr [runs] | issue [count]]; with no section, both.
// csr:   New-Csr's cost per algorithm: key generation alone and the whole core operation (key
//        generation, PKCS#10 signing, durable store writes). Medians, because RSA key generation varies widely.
// issue: New-ServerCertificate's throughput from CSRs with an RSA-2048 and a P-256 intermediate, store
//        writes included (parse and verify the CSR, build and sign, index update under the lock).
var section = args.Length > 0 && !int.TryParse(args[0], out _) ? args[0] : "all";
var numbers = args.Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
if (section is "all" or "issue") Issuance.Run(numbers.Count > 0 && section == "issue" ? numbers[0] : 300);
if (section is not ("all" or "csr")) return;
var runs = numbers.Count > 0 ? numbers[0] : 15;
var algorithms = new[] { "RSA_2048", "RSA_3072", "RSA_4096", "ECC_256", "ECC_384", "ECC_521", "SM2_256" };
var store = Path.Combine(Path.GetTempPath(), "pkicmdlets-bench-" + Guid.NewGuid().ToString("N"));

Console.WriteLine($"New-Csr core operation, median of {runs} runs each (ms); {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"{"Algorithm",-10} {"key generation",15} {"New-Csr (whole)",16} {"p90 whole",10}");
try
{
    var csrs = new CsrService(new PkiStore(store));
    // Warm-up: JIT, the native provider, the store folders.
    csrs.Create(new NewCsrRequest { CommonName = "warmup.example.com", Algorithm = "ECC" });
    csrs.Create(new NewCsrRequest { CommonName = "warmup.example.com", Algorithm = "SM2" });
    csrs.Create(new NewCsrRequest { CommonName = "warmup.example.com", Algorithm = "RSA" });

    foreach (var algorithm in algorithms)
    {
        var spec = KeySpec.FromSeedName(algorithm);
        var generation = Measure(runs, () => PrivateKey.Generate(spec).Dispose());
        var whole = Measure(runs, () => csrs.Create(new NewCsrRequest
        {
            CommonName = "www.example.com",
            SubjectAlternativeNames = new[] { "example.com", "192.0.2.1" },
            Country = "US",
            Organization = "Contoso",
            Algorithm = algorithm,
        }));
        Console.WriteLine($"{algorithm,-10} {Median(generation),15:F1} {Median(whole),16:F1} {Percentile(whole, 0.9),10:F1}");
    }
}
finally
{
    Directory.Delete(store, recursive: true);
}

static List<double> Measure(int runs, Action action) => Timing.Measure(runs, action);


static double Median(List<double> sorted) => Timing.Median(sorted);

static double Percentile(List<double> sorted, double p) => Timing.Percentile(sorted, p);
