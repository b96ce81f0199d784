using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using Org.BouncyCastle.Asn1.X509;

/// <summary>
/// Section sign: certificates per second issued in-core from CSRs, next to `openssl speed`'s signatures per second
/// for the issuer's algorithm, both measured in this run. Each issuance is what ServerCertificateService.Issue does
/// between the store reads and the store writes: parse and verify the CSR, the subject and validity, a serial,
/// build the TBSCertificate and sign it. One issuer per family (RSA-2048, P-256, SM2), with CSRs of the same family.
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
        Console.WriteLine($"In-core issuance from {CsrCount} distinct CSRs per issuer (parse + verify CSR, build TBSCertificate, sign; no store), " +
            $"{seconds} s each, vs openssl speed -seconds {seconds} sign/s" + (threads > 1 ? $"; then {threads} threads vs -multi {threads}" : string.Empty));
        var columns = new List<(string, int)> { ("Issuer", 8), ("ours/s", 8), ("openssl/s", 9), ("ratio", 5), ("target", 6), ("verdict", 7) };
        if (threads > 1) columns.AddRange(new[] { ($"ours {threads}t/s", 8), ($"openssl -multi {threads}/s", 8), ("ratio", 5) });
        var table = new Table(columns.ToArray());

        foreach (var (algorithm, openSslName, target) in Issuers)
        {
            using var temp = new TempStore();
            var csrs = CsrSet.Create(temp.Store, algorithm, CsrCount).Select(c => c.Der).ToList();
            using var issuerKey = PrivateKey.Generate(KeySpec.FromSeedName(algorithm));
            var pkcs8 = issuerKey.ExportPkcs8();
            // Each thread signs with a key object of its own, read as Issue reads the CA's key; each starts at another CSR.
            var issuers = Enumerable.Range(0, threads).Select(i => new InCoreIssuer(algorithm, PrivateKey.FromPkcs8(pkcs8, "issuer"), csrs, i * CsrCount / threads)).ToList();
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

    /// <summary>An issuer that signs certificates for the CSRs in turn, as Issue does once it has the CSR text and the CA's key.</summary>
    private sealed class InCoreIssuer : IDisposable
    {
        private readonly PrivateKey _key;
        private readonly CertificateBuilder.Issuer _issuer;
        private readonly DateTimeOffset _notBefore;
        private readonly DateTimeOffset _notAfter;
        private readonly IReadOnlyList<byte[]> _csrs;
        private int _next;

        public InCoreIssuer(string algorithm, PrivateKey key, IReadOnlyList<byte[]> csrs, int first)
        {
            _key = key;
            _issuer = new CertificateBuilder.Issuer(new X509Name($"CN=Bench {algorithm} Issuing CA"), key.ExportSubjectPublicKeyInfo(), key);
            _notBefore = DateTimeOffset.UtcNow.AddDays(-1);
            _notAfter = _notBefore.AddYears(5);
            _csrs = csrs;
            _next = first;
        }

        public void IssueNext()
        {
            var csr = CsrContent.FromDer(_csrs[_next++ % _csrs.Count], "bench CSR");
            var subject = SubjectName.Create(csr.CommonName, csr.Country, csr.State, csr.Locality, csr.Organization, csr.OrganizationalUnit);
            var validity = ValidityPeriod.ForServer(null, null, null, null, null, DateTimeOffset.UtcNow, _notBefore, _notAfter);
            CertificateBuilder.Server(subject.ToX509Name(), csr.PublicKeyInfo, csr.Names, _issuer, SerialNumber.Generate(), validity, crlUrl: null);
        }

        public void Dispose() => _key.Dispose();
    }
}
