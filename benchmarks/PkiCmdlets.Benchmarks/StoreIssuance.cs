using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

/// <summary>
/// Section store: end-to-end issuance with the store, from CSR files, against a shell-script CA that runs
/// `openssl x509 -req` once per CSR over the same files and the same intermediate. Ours runs the way
/// New-ServerCertificate does when the CSRs are piped to it (batches of IssuanceBatch.PreferredSize, one durable journal append each),
/// and also one command per CSR (each call reads the issuer and its key again and appends on its own).
/// </summary>
internal static class StoreIssuance
{
    public static void Run(IReadOnlyList<int> numbers)
    {
        var count = numbers.Count > 0 ? numbers[0] : 1000;
        Console.WriteLine($"End-to-end issuance with the store: {count} CSR files (PEM) and one RSA-2048 intermediate; every certificate durable before it is returned");
        var table = new Table(("Issuer", 8), ("way", 44), ("seconds", 7), ("certs/s", 8), ("ratio to openssl", 16), ("target", 6), ("", 7));
        using var temp = new TempStore();
        var sub = temp.CreateIntermediate("RSA_2048");
        var csrs = CsrFiles.Create(temp.Root, "RSA_2048", count);
        var extensions = Path.Combine(temp.Root, "server.ext");
        OpenSsl.WriteServerExtensions(extensions, rsaSubjectKey: true);

        var openssl = OpenSsl.IssueEach(csrs, temp.Store.FullPath(StoreLayout.CaCertificate(sub.Id)), temp.Store.FullPath(StoreLayout.CaKey(sub.Id)),
            extensions, Path.Combine(temp.Root, "openssl-issued"), sm2: false);
        table.Row("RSA_2048", "openssl x509 -req, one process per CSR", $"{openssl.Elapsed.TotalSeconds:F2}", $"{openssl.PerSecond:F1}", "1.0", "", "");

        var certificates = new CertificateService(temp.Store);
        certificates.Issue(Request(csrs[0])); // warm-up: JIT and the native provider, as a session's first command would pay

        var piped = Stopwatch.StartNew();
        using (var batch = certificates.BeginBatch())
        {
            // As New-ServerCertificate does with a pipeline: submit each, commit whenever the batch is full, and at the end.
            foreach (var csr in csrs)
            {
                batch.Submit(Request(csr));
                if (batch.TakeRefused().Count > 0) throw new InvalidOperationException("a CSR was refused");
                if (batch.IsFull) batch.Commit();
            }
            batch.Commit();
        }
        piped.Stop();
        Print(table, "New-ServerCertificate, CSRs piped (batches)", count, piped.Elapsed, openssl.PerSecond, 10);

        var each = Stopwatch.StartNew();
        foreach (var csr in csrs) certificates.Issue(Request(csr));
        each.Stop();
        Print(table, "New-ServerCertificate once per CSR", count, each.Elapsed, openssl.PerSecond, null);

        var stored = certificates.Find(new CertificateQuery { Issuer = new CaIdentity("Sub") });
        Console.WriteLine($"  store check: {stored.Items.Count} certificates listed, {stored.Items.Select(c => c.SerialNumber).Distinct().Count()} distinct serials, {stored.Problems.Count} problems");
    }

    private static NewCertificateRequest Request(string csrPath) => new() { CsrPath = csrPath, Issuer = new CaIdentity("Sub") };

    private static void Print(Table table, string way, int count, TimeSpan elapsed, double opensslPerSecond, double? target)
    {
        var perSecond = count / elapsed.TotalSeconds;
        var ratio = perSecond / opensslPerSecond;
        table.Row("RSA_2048", way, $"{elapsed.TotalSeconds:F2}", $"{perSecond:F1}", $"{ratio:F1}",
            target.HasValue ? $">= {target:F0}" : "", target.HasValue ? Table.Verdict(ratio >= target) : "");
    }
}
