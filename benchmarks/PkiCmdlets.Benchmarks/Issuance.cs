using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;

/// <summary>Section issue: certificates issued per second from CSRs, store writes included, for an RSA-2048 and a P-256 intermediate.</summary>
internal static class Issuance
{
    public static void Run(IReadOnlyList<int> numbers)
    {
        var count = numbers.Count > 0 ? numbers[0] : 300;
        Console.WriteLine($"New-ServerCertificate core operation from a CSR, {count} certificates in one process, store writes included");
        var table = new Table(("Intermediate", 12), ("certs/s", 7), ("median ms", 9), ("p90 ms", 6), ("first 10% ms", 12), ("last 10% ms", 11));
        foreach (var algorithm in new[] { "RSA_2048", "ECC_256" })
        {
            using var temp = new TempStore();
            var cas = new CaService(temp.Store);
            cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Bench Root", Algorithm = algorithm, NoPassword = true });
            cas.CreateSubordinate(new NewCaRequest { Name = "Sub", CommonName = "Bench Sub", Algorithm = algorithm, NoPassword = true, Issuer = new CaIdentity("Root") });
            var csr = new CsrService(temp.Store).Create(new NewCsrRequest
            {
                CommonName = "www.example.com", SubjectAlternativeNames = new[] { "example.com", "192.0.2.1" }, Algorithm = algorithm,
            }).Csr!;
            var certificates = new ServerCertificateService(temp.Store);
            var request = new NewServerCertificateRequest { Csr = csr, Issuer = new CaIdentity("Sub") };
            certificates.Issue(request); // warm-up: JIT, native provider

            var times = new List<double>(count);
            var total = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var one = Stopwatch.StartNew();
                certificates.Issue(request);
                times.Add(one.Elapsed.TotalMilliseconds);
            }
            total.Stop();
            var tenth = Math.Max(1, count / 10);
            var first = times.Take(tenth).Average();
            var last = times.Skip(count - tenth).Average();
            times.Sort();
            table.Row(algorithm, $"{count / total.Elapsed.TotalSeconds:F1}", $"{Timing.Median(times):F2}", $"{Timing.Percentile(times, 0.9):F2}", $"{first:F2}", $"{last:F2}");
        }
    }
}
