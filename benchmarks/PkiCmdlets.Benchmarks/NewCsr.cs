using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

/// <summary>
/// Section csr: New-Csr's cost per algorithm, key generation alone and the whole core operation (key generation,
/// PKCS#10 signing, durable store writes). Medians, because RSA key generation varies widely.
/// </summary>
internal static class NewCsr
{
    private static readonly string[] Algorithms = { "RSA_2048", "RSA_3072", "RSA_4096", "ECC_256", "ECC_384", "ECC_521", "SM2_256" };

    public static void Run(IReadOnlyList<int> numbers)
    {
        var runs = numbers.Count > 0 ? numbers[0] : 15;
        using var temp = new TempStore();
        var csrs = new CsrService(temp.Store);
        // Warm-up: JIT, the native provider, the store folders.
        foreach (var family in new[] { "ECC", "SM2", "RSA" })
        {
            csrs.Create(new NewCsrRequest { CommonName = "warmup.example.com", Algorithm = family });
        }

        Console.WriteLine($"New-Csr core operation, median of {runs} runs each (ms)");
        var table = new Table(("Algorithm", 10), ("key generation", 14), ("New-Csr (whole)", 15), ("p90 whole", 9));
        foreach (var algorithm in Algorithms)
        {
            var spec = KeySpec.FromAlgorithmName(algorithm);
            var generation = Timing.Measure(runs, () => PrivateKey.Generate(spec).Dispose());
            var whole = Timing.Measure(runs, () => csrs.Create(new NewCsrRequest
            {
                CommonName = "www.example.com",
                SubjectAlternativeNames = new[] { "example.com", "192.0.2.1" },
                Country = "US",
                Organization = "Contoso",
                Algorithm = algorithm,
            }));
            table.Row(algorithm, $"{Timing.Median(generation):F1}", $"{Timing.Median(whole):F1}", $"{Timing.Percentile(whole, 0.9):F1}");
        }
    }
}
