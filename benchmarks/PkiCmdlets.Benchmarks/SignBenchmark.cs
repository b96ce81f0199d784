using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;

/// <summary>
/// Section sign: certificates per second issued in-core from CSRs, next to `openssl speed`'s signatures per second
/// for the issuer's algorithm, both measured in this run. Each issuance is New-ServerCertificate's own code up to
/// the store write: parse and verify the CSR, every issuing rule, subject and validity, a serial, build the
/// TBSCertificate and sign it. One intermediate per family (RSA-2048, P-256, SM2), with CSRs of the same family.
/// </summary>
internal static class SignBenchmark
{
    private const int CsrCount = 100;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    private static readonly (string Algorithm, string OpenSslName, double Target)[] Issuers =
    {
        ("RSA_2048", "rsa2048", 0.7),
        ("ECC_256", "ecdsap256", 0.7),
        ("SM2_256", "sm2", 0.2),
    };

    public static void Run(IReadOnlyList<int> numbers)
    {
        var seconds = numbers.Count > 0 ? numbers[0] : 2;
        var duration = TimeSpan.FromSeconds(seconds);
        // A second thread only means something with a second core; openssl speed -multi 2 is then its counterpart.
        var threads = Math.Min(2, Environment.ProcessorCount);
        Console.WriteLine($"In-core issuance from {CsrCount} distinct CSRs per issuer (New-ServerCertificate up to the store write: parse + verify the CSR, every rule, build, sign), " +
            $"{seconds} s each, vs openssl speed -seconds {seconds} sign/s" + (threads > 1 ? $"; then {threads} threads vs -multi {threads}" : string.Empty));
        var columns = new List<(string, int)> { ("Issuer", 8), ("ours/s", 8), ("openssl/s", 9), ("ratio", 5), ("target", 6), ("verdict", 7) };
        if (threads > 1) columns.AddRange(new[] { ($"ours {threads}t/s", 8), ($"openssl -multi {threads}/s", 8), ("ratio", 5) });
        var table = new Table(columns.ToArray());

        foreach (var (algorithm, openSslName, target) in Issuers)
        {
            using var temp = new TempStore();
            var csrs = CsrSet.Create(temp.Store, algorithm, CsrCount).Select(c => c.Der).ToList();
            temp.CreateIntermediate(algorithm);
            // Each thread has a batch of its own, so its own copy of the issuer's key, and starts at another CSR.
            var issuers = Enumerable.Range(0, threads).Select(i => new InCoreIssuer(new CertificateService(temp.Store), csrs, i * CsrCount / threads)).ToList();
            try
            {
                Timing.PerSecond(WarmUp, issuers.Select(x => (Action)x.IssueNext).ToList());
                var ours = Timing.PerSecond(duration, new Action[] { issuers[0].IssueNext });
                var openssl = OpenSsl.SpeedSignsPerSecond(openSslName, seconds);
                var cells = new List<string> { algorithm, $"{ours:F0}", $"{openssl:F0}", $"{ours / openssl:F2}", $"≥{target:F1}", Table.Verdict(ours / openssl >= target) };
                if (threads > 1)
                {
                    var oursMulti = Timing.PerSecond(duration, issuers.Select(x => (Action)x.IssueNext).ToList());
                    var opensslMulti = OpenSsl.SpeedSignsPerSecond(openSslName, seconds, threads);
                    cells.AddRange(new[] { $"{oursMulti:F0}", $"{opensslMulti:F0}", $"{oursMulti / opensslMulti:F2}" });
                }
                table.Row(cells.ToArray());
            }
            finally
            {
                issuers.ForEach(x => x.Dispose());
            }
        }
    }

    /// <summary>
    /// Issues certificates for the CSRs in turn through New-ServerCertificate's own batch, which checks every rule
    /// and signs on Add; the batch is never committed, so nothing reaches the store. It is renewed every
    /// <see cref="Renewal"/> certificates to bound memory, which reads the issuer and its key again.
    /// </summary>
    private sealed class InCoreIssuer : IDisposable
    {
        private const int Renewal = 1000;

        private readonly CertificateService _service;
        private readonly IReadOnlyList<string> _csrs;
        private IssuanceBatch _batch;
        private int _next;

        public InCoreIssuer(CertificateService service, IReadOnlyList<byte[]> csrs, int first)
        {
            _service = service;
            _csrs = csrs.Select(der => Pem.Encode(Pem.CertificateRequestLabel, der)).ToList();
            _batch = service.BeginBatch();
            _next = first;
        }

        public void IssueNext()
        {
            if (_batch.Count == Renewal)
            {
                _batch.Dispose();
                _batch = _service.BeginBatch();
            }
            _batch.Add(new NewCertificateRequest { Csr = _csrs[_next++ % _csrs.Count], Issuer = new CaIdentity("Sub") });
        }

        public void Dispose() => _batch.Dispose();
    }
}
