using System.Text;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// The issued-certificate journal: one durable append per issue, never a rewrite; unfinished and damaged
/// lines; batches; revocations.
/// </summary>
public sealed class IssuedJournalTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "example.com");
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private string JournalPath => Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id));

    private CertificateService Certificates => Services.Certificates(_pki.Open());

    private IssuedCertificate Issue(string commonName) => _pki.Issue(Csr, r => r.CommonName = commonName);

    private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Each_issue_appends_one_line_and_leaves_every_earlier_byte_as_it_was()
    {
        var first = Issue("one.example.com");
        var before = File.ReadAllBytes(JournalPath);
        var second = Issue("two.example.com");
        var after = File.ReadAllBytes(JournalPath);

        Assert.Equal(before, after.Take(before.Length));
        var lines = Lines(JournalPath);
        Assert.Equal(3, lines.Length); // the header, then one line per certificate
        Assert.Contains("\"formatVersion\":1", lines[0]);
        var fields = lines[2].Split('\t');
        Assert.Equal(2, fields.Length);
        Assert.Contains(second.Identifier, fields[0]);
        Assert.Equal(second.Certificate.RawData, Convert.FromBase64String(fields[1]));
        Assert.Equal(new[] { first.Identifier, second.Identifier }, Certificates.Find(new CertificateQuery()).Items.Select(c => c.Identifier));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(JournalPath));
        }
    }

    [Fact]
    public void Every_property_of_a_record_reads_back_as_written_and_unknown_fields_are_passed_over()
    {
        // Every property gets a value of its own, found by reflection: a property added to IssuedRecord without a
        // reader in JournalEntry comes back empty and fails here, by name.
        var record = new IssuedRecord();
        var properties = typeof(IssuedRecord).GetProperties();
        for (var i = 0; i < properties.Length; i++)
        {
            properties[i].SetValue(record, SampleValue(properties[i], i + 1));
        }
        record.Identifier = "00112233445566778899aabbccddeeff";
        record.SerialNumber = "7F01";
        record.Subject = "CN=\"quoted\", O=Ünïcode\tTab";
        var store = _pki.Open();
        var journal = new IssuedJournal(store, "acme");
        using (store.Lock(CancellationToken.None))
        {
            journal.AppendIssued(new[] { new KeyValuePair<IssuedRecord, byte[]>(record, new byte[] { 0x30, 0x00 }) });
        }
        // A line of a later version, with a field this one does not know, appended (and hashed) as any other line.
        using (store.Lock(CancellationToken.None))
        {
            new Journal(store, StoreLayout.CertificateJournal("acme"), StoreLayout.JournalHead("acme")).Append(Array.Empty<byte>(), new[]
            {
                Encoding.UTF8.GetBytes("{\"op\":\"revoked\",\"identifier\":\"nothing-issued\",\"revokedAt\":\"2026-01-01T00:00:00+00:00\",\"fromTheFuture\":[1,{\"a\":2}]}"),
            });
        }

        var problems = new List<PkiException>();
        var read = Assert.Single(journal.ReadAll(problems));

        Assert.Empty(problems);
        foreach (var property in properties)
        {
            var written = Newtonsoft.Json.JsonConvert.SerializeObject(property.GetValue(record));
            var back = Newtonsoft.Json.JsonConvert.SerializeObject(property.GetValue(read.Record));
            Assert.True(written == back, $"IssuedRecord.{property.Name} was written as {written} and read back as {back}: JournalEntry reads no such field.");
        }
        Assert.Equal(new byte[] { 0x30, 0x00 }, read.Der());
    }

    [Fact]
    public void A_revocation_line_revokes_the_record_it_names()
    {
        var issued = Issue("www.example.com");
        Certificates.Revoke(issued.Identifier, RevocationReason.AffiliationChanged);

        var read = Assert.Single(new IssuedJournal(_pki.Open(), _pki.Sub.Id).ReadAll(new List<PkiException>())).Record;
        Assert.Equal(RevocationReason.AffiliationChanged, read.RevocationReason);
        Assert.NotNull(read.RevokedAt);
        Assert.DoesNotContain("revokedAt", File.ReadAllLines(JournalPath)[1]); // the issue line stays as it was written
    }

    /// <summary>A value unlike any default for each property type IssuedRecord has; a new type must be given one here.</summary>
    private static object SampleValue(System.Reflection.PropertyInfo property, int n)
    {
        var type = property.PropertyType;
        if (type == typeof(string)) return "value-" + n + "-of-" + property.Name;
        if (type == typeof(List<string>)) return new List<string> { "first-" + n, "second-" + n };
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?)) return new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMinutes(n).AddMilliseconds(n);
        if (type == typeof(int) || type == typeof(int?)) return 40 + n;
        if (type == typeof(RevocationReason?)) return RevocationReason.AffiliationChanged;
        throw new InvalidOperationException($"IssuedRecord.{property.Name} is a {type}: give it a sample value here, so that its round trip is checked.");
    }

    [Fact]
    public void An_unfinished_last_line_is_passed_over_by_readers_and_cut_off_by_the_next_append()
    {
        var kept = Issue("kept.example.com");
        // A process that died in the middle of an append: part of a line, no newline.
        File.AppendAllText(JournalPath, "{\"op\":\"issued\",\"certificate\":{\"identifier\":\"dead");

        var listed = Certificates.Find(new CertificateQuery());
        Assert.Empty(listed.Problems);
        Assert.Equal(kept.Identifier, Assert.Single(listed.Items).Identifier);

        var next = Issue("next.example.com");
        Assert.DoesNotContain("dead", File.ReadAllText(JournalPath));
        listed = Certificates.Find(new CertificateQuery());
        Assert.Empty(listed.Problems);
        Assert.Equal(new[] { kept.Identifier, next.Identifier }, listed.Items.Select(c => c.Identifier));
    }

    [Theory]
    [InlineData("{ damaged")]
    [InlineData("{\"op\":\"issued\"}")]
    [InlineData("{\"op\":\"issued\",\"certificate\":{\"identifier\":\"abc\"}}\t!!not base64!!")]
    [InlineData("{\"op\":\"erased\"}")]
    public void A_damaged_line_is_named_with_its_line_number_and_every_other_certificate_is_listed(string damage)
    {
        var first = Issue("first.example.com");
        File.AppendAllText(JournalPath, damage + "\n");
        var last = Issue("last.example.com");

        var listed = Certificates.Find(new CertificateQuery());
        var problem = Assert.Single(listed.Problems);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
        Assert.Equal(JournalPath, problem.Target);
        Assert.Contains("Line 3 of", problem.Message);
        Assert.Equal(new[] { first.Identifier, last.Identifier }, listed.Items.Where(c => c.Identifier != "abc").Select(c => c.Identifier));
        // Revocation still works around the damage; a CRL does not, since the damaged line might be a revocation it would leave out.
        Certificates.Revoke(last.Identifier, RevocationReason.Superseded);
        var before = _pki.Store.Snapshot();
        var refused = Assert.Throws<PkiException>(() => new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), AsPem = true }));
        Assert.Equal(ErrorIds.StoreRecordCorrupt, refused.ErrorId);
        Assert.Contains("Line 3 of", refused.Message);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_certificate_is_read_from_its_line_only_when_used_and_damage_there_is_named_then()
    {
        var issued = Issue("www.example.com");
        var listed = Certificates.Find(new CertificateQuery());
        var found = Assert.Single(listed.Items);
        Assert.Empty(listed.Problems);
        // Damaged after the listing read the line (which a damaged line would have failed): the certificate is read only now.
        var lines = File.ReadAllLines(JournalPath);
        var tab = lines[1].IndexOf('\t');
        lines[1] = lines[1][..(tab + 5)] + "!" + lines[1][(tab + 6)..];
        File.WriteAllText(JournalPath, string.Join("\n", lines) + "\n");

        var error = Assert.Throws<PkiException>(() => found.Certificate);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, error.ErrorId);
        Assert.Contains("Line 2 of", error.Message);
        Assert.Equal(issued.Identifier, found.Identifier);
    }

    [Fact]
    public void A_failed_flush_reports_StoreNotWritable_returns_nothing_and_leaves_the_journal_as_it_was()
    {
        Issue("before.example.com");
        var before = _pki.Store.Snapshot();

        AtomicWriteFailure.DuringJournalFlush(JournalPath, () =>
            Assert.Equal(ErrorIds.StoreNotWritable, Assert.Throws<PkiException>(() => Issue("lost.example.com")).ErrorId));

        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_failed_first_append_leaves_no_journal_behind()
    {
        var before = _pki.Store.Snapshot();
        AtomicWriteFailure.DuringJournalFlush(JournalPath, () => Assert.Throws<PkiException>(() => Issue("lost.example.com")));
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_batch_signs_on_Add_and_records_everything_with_one_append_on_Commit()
    {
        using var batch = Certificates.BeginBatch();
        foreach (var name in new[] { "a.example.com", "b.example.com", "c.example.com" })
        {
            batch.Add(new NewCertificateRequest { Csr = Csr, Issuer = new CaIdentity("Sub"), CommonName = name });
        }
        // A request that breaks a rule is refused on its own; the batch keeps the others.
        var refused = Assert.Throws<PkiException>(() => batch.Add(new NewCertificateRequest { Csr = Csr, Issuer = new CaIdentity("Root") }));
        Assert.Equal(ErrorIds.IssuerNotIntermediate, refused.ErrorId);
        Assert.Equal(3, batch.Count);
        Assert.False(File.Exists(JournalPath)); // nothing is recorded, so nothing is returned, before Commit

        var issued = batch.Commit();

        Assert.Equal(new[] { "a.example.com", "b.example.com", "c.example.com" }, issued.Select(c => c.CommonName));
        Assert.Equal(0, batch.Count);
        Assert.Empty(batch.Commit());
        Assert.Equal(4, Lines(JournalPath).Length);
        Assert.Equal(3, issued.Select(c => c.SerialNumber).Distinct().Count());
        var listed = Certificates.Find(new CertificateQuery()).Items;
        Assert.Equal(issued.Select(c => c.Identifier), listed.Select(c => c.Identifier));
        Assert.All(issued.Zip(listed), pair => Assert.Equal(pair.First.Certificate.RawData, pair.Second.Certificate.RawData));
    }

    [Fact]
    public void RevokeMany_appends_the_revocations_together_and_reports_each_certificate_it_cannot_revoke()
    {
        var a = Issue("a.example.com");
        var b = Issue("b.example.com");
        var c = Issue("c.example.com");
        Certificates.Revoke(c.Identifier, RevocationReason.KeyCompromise);
        var lines = Lines(JournalPath).Length;

        var result = Certificates.RevokeMany(new[] { a.Identifier, b.Identifier, c.Identifier, "ffffffffffffffffffffffffffffffff" }, RevocationReason.Superseded);

        Assert.Equal(new[] { a.Identifier, b.Identifier }, result.Items.Select(i => i.Identifier).OrderBy(i => i == b.Identifier));
        Assert.All(result.Items, i => Assert.Equal(nameof(CertificateStatus.Revoked), i.Status));
        Assert.Equal(new[] { ErrorIds.CertificateNotFound, ErrorIds.CertificateAlreadyRevoked }, result.Problems.Select(p => p.ErrorId));
        Assert.Equal(lines + 2, Lines(JournalPath).Length);
        var revoked = Certificates.Find(new CertificateQuery { Status = CertificateStatus.Revoked }).Items;
        Assert.Equal(3, revoked.Count);
        Assert.Equal(nameof(RevocationReason.KeyCompromise), revoked.Single(r => r.Identifier == c.Identifier).RevocationReason);
    }

    [Fact]
    public void A_journal_of_a_newer_format_is_refused_rather_than_misread()
    {
        Issue("one.example.com");
        Issue("two.example.com"); // so that this process has read past the header
        var text = File.ReadAllText(JournalPath);
        File.WriteAllText(JournalPath, text.Replace("\"formatVersion\":1", "\"formatVersion\":9"));

        var error = Assert.Single(Certificates.Find(new CertificateQuery()).Problems);
        Assert.Equal(ErrorIds.StoreVersionUnsupported, error.ErrorId);
        var before = _pki.Store.Snapshot();
        Assert.Equal(ErrorIds.StoreVersionUnsupported, Assert.Throws<PkiException>(() => Issue("three.example.com")).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }
}
