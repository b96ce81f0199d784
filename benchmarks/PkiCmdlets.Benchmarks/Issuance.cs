using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

/// <summary>Certificates issued per second from CSRs, store writes included, for an RSA-2048 and a P-256 intermediate.</summary>
internal static class Issuance
{
    public static void Run(int count)
    {
        Console.WriteLine($"New-ServerCertificate core operation from a CSR, {count} certificates in one process, store writes included");
        Console.WriteLine($"{"Intermediate",-12} {"certs/s",9} {"median ms",10} {"p90 ms",8} {"first 10% ms",13} {"last 10% ms",12}");
        foreach (var algorithm in new[] { "RSA_2048", "ECC_256" })
        {
            var store = Path.Combine(Path.GetTempPath(), "pkicmdlets-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                var pkiStore = new PkiStore(store);
                var cas = new CaService(pkiStore);
                cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Bench Root", Algorithm = algorithm, NoPassword = true });
                cas.CreateSubordinate(new NewCaRequest { Name = "Sub", CommonName = "Bench Sub", Algorithm = algorithm, NoPassword = true, Issuer = new CaIdentity("Root") });
                var csr = new CsrService(pkiStore).Create(new NewCsrRequest
                {
                    CommonName = "www.example.com", SubjectAlternativeNames = new[] { "example.com", "192.0.2.1" }, Algorithm = algorithm,
                }).Csr!;
                var certificates = new ServerCertificateService(pkiStore);
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
                Console.WriteLine($"{algorithm,-12} {count / total.Elapsed.TotalSeconds,9:F1} {Timing.Median(times),10:F2} {Timing.Percentile(times, 0.9),8:F2} {first,13:F2} {last,12:F2}");
            }
            finally
            {
                Directory.Delete(store, recursive: true);
            }
        }
    }
}
