using System.Diagnostics;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

/// <summary>
/// Section scale: memory while issuing the first 10,000 certificates the way New-ServerCertificate's pipeline does
/// (batches of IssuanceBatch.PreferredSize), then listing and filtering 100,000 certificates of one intermediate (as Get-IssuedCertificate streams them, and
/// kept in a list as `$all = Get-IssuedCertificate` would), revoking them all as one piped Revoke-IssuedCertificate does, and
/// building the CRL. Listings are timed twice: the first call of a process (code not yet optimised by the JIT, as in
/// a fresh PowerShell session) and a repeat.
/// </summary>
internal static class StoreScale
{
    public static void Run(IReadOnlyList<int> numbers)
    {
        var total = numbers.Count > 0 ? numbers[0] : 100_000;
        using var temp = new TempStore();
        var sub = temp.CreateIntermediate("ECC_256");
        var csr = new CsrService(temp.Store).Create(new NewCsrRequest { CommonName = "host.example.com", Algorithm = "ECC_256" }).Csr!;
        var certificates = new CertificateService(temp.Store);
        var journal = new FileInfo(temp.Store.FullPath(StoreLayout.CertificateJournal(sub.Id)));

        Console.WriteLine($"A store of {total:N0} certificates from one P-256 intermediate, issued in batches of {IssuanceBatch.PreferredSize} as New-ServerCertificate's pipeline does");
        var memory = new Table(("issued", 7), ("managed heap MB", 15), ("working set MB", 14), ("journal MB", 10));
        var clock = Stopwatch.StartNew();
        long firstWorkingSet = 0, peakWorkingSet = 0;
        // One batch for the whole run, committed whenever it is full, as New-ServerCertificate does with a pipeline.
        using var batch = certificates.BeginBatch();
        for (var issued = 0; issued < total;)
        {
            for (; !batch.IsFull && issued < total; issued++)
            {
                batch.Submit(new NewCertificateRequest { Csr = csr, Issuer = new CaIdentity("Sub"), CommonName = $"host{issued}.example.com" });
            }
            if (batch.TakeRefused(wait: true).Count > 0) throw new InvalidOperationException("a CSR was refused");
            batch.Commit();
            if (issued <= 10_240)
            {
                if (firstWorkingSet == 0) firstWorkingSet = Environment.WorkingSet;
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
            }
            if (issued % 2_560 == 0 && issued <= 10_240 || issued == total)
            {
                journal.Refresh();
                memory.Row($"{issued:N0}", $"{GC.GetTotalMemory(false) / 1048576.0:F1}", $"{Environment.WorkingSet / 1048576.0:F1}", $"{journal.Length / 1048576.0:F1}");
            }
        }
        Console.WriteLine($"Issued {total:N0} in {clock.Elapsed.TotalSeconds:F1} s ({total / clock.Elapsed.TotalSeconds:F0}/s). Working set over the first 10,240: " +
            $"{firstWorkingSet / 1048576.0:F0} MB after the first batch, peak {peakWorkingSet / 1048576.0:F0} MB");

        Console.WriteLine();
        var table = new Table(("operation", 44), ("items", 7), ("first s", 7), ("repeat s", 8), ("target", 6), ("verdict", 7));
        Time(table, "Get-IssuedCertificate (all, streamed)", 1, () => Stream(certificates, new CertificateQuery()));
        Time(table, "Get-IssuedCertificate (all, kept in a list)", 1, () => certificates.Find(new CertificateQuery()).Items.Count);
        Time(table, "Get-IssuedCertificate -DnsName host4242*", 1, () => Stream(certificates, new CertificateQuery { DnsNames = new[] { "host4242*" } }));
        Time(table, "Get-IssuedCertificate -ExpiresWithinDays 30", 1, () => Stream(certificates, new CertificateQuery { ExpiresWithinDays = 30 }));
        var identifiers = certificates.FindEach(new CertificateQuery(), new()).Select(c => c.Identifier).ToList();
        Time(table, "Revoke-IssuedCertificate (every one, piped)", null, () => certificates.RevokeMany(identifiers, RevocationReason.Superseded).Items.Count, repeat: false);
        Time(table, "Get-IssuedCertificate -Status Revoked", 1, () => Stream(certificates, new CertificateQuery { Status = CertificateStatus.Revoked }));
        var crls = new CrlService(temp.Store);
        Time(table, "Publish-Crl", 2, () => crls.Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub") }).RevokedCount);
    }

    /// <summary>As Get-IssuedCertificate writes to the pipeline: one certificate at a time, each looked at and let go.</summary>
    private static int Stream(CertificateService certificates, CertificateQuery query) => certificates.FindEach(query, new()).Count();

    /// <summary>Runs <paramref name="operation"/> (which returns how many items it handled), then again, and prints both times against the target.</summary>
    private static void Time(Table table, string name, double? targetSeconds, Func<int> operation, bool repeat = true)
    {
        var clock = Stopwatch.StartNew();
        var count = operation();
        var first = clock.Elapsed.TotalSeconds;
        double? again = null;
        if (repeat)
        {
            clock.Restart();
            operation();
            again = clock.Elapsed.TotalSeconds;
        }
        table.Row(name, $"{count:N0}", $"{first:F2}", again.HasValue ? $"{again:F2}" : "", targetSeconds.HasValue ? $"< {targetSeconds:F0} s" : "",
            targetSeconds.HasValue ? Table.Verdict(first < targetSeconds) : "");
    }
}
