using PkiCmdlets.Core.Keys;

/// <summary>
/// Section keygen: RSA key generation, the core's PrivateKey.Generate next to `openssl genpkey`, medians because
/// the time to find primes varies widely from one key to the next. openssl's figures are whole process runs;
/// the start of a process (timed with `openssl version`) is printed on its own so the reader can judge that part.
/// </summary>
internal static class KeyGeneration
{
    private const double Target = 1.5;
    private const int StartRuns = 15;

    public static void Run(IReadOnlyList<int> numbers)
    {
        var sizes = new[] { (Bits: 2048, Runs: numbers.Count > 0 ? numbers[0] : 15), (Bits: 4096, Runs: numbers.Count > 1 ? numbers[1] : 7) };
        var nowhere = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        PrivateKey.Generate(KeySpec.FromAlgorithmName("RSA_2048")).Dispose(); // warm-up: JIT, the native provider
        var start = Timing.Median(Timing.Measure(StartRuns, () => OpenSsl.Run("version")));
        Console.WriteLine("RSA key generation, median ms: PrivateKey.Generate vs openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N (whole process)");
        Console.WriteLine($"openssl process start (`openssl version`), median of {StartRuns}: {start:F1} ms, included in the openssl column");
        var table = new Table(("Key", 8), ("runs", 4), ("ours ms", 8), ("openssl ms", 8), ("ours/openssl", 5), ("target", 6), ("verdict", 7));
        foreach (var (bits, runs) in sizes)
        {
            var spec = KeySpec.FromAlgorithmName("RSA_" + bits);
            var ours = Timing.Median(Timing.Measure(runs, () => PrivateKey.Generate(spec).Dispose()));
            var openssl = Timing.Median(Timing.Measure(runs, () =>
                OpenSsl.Run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + bits, "-quiet", "-out", nowhere)));
            table.Row(spec.AlgorithmName, runs.ToString(), $"{ours:F0}", $"{openssl:F0}", $"{ours / openssl:F2}", $"≤{Target:F1}", Table.Verdict(ours / openssl <= Target));
        }
    }
}
