using System.Security.Cryptography;
using System.Text;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// A journal that shows damage: every line chains to the one before it by a SHA-256 hash, the journal's head
/// (issued/&lt;issuer id&gt;.head.json) says how far it reached, and a journal that lost lines, changed a byte, or
/// went missing after its CA issued is StoreRecordCorrupt for listing, export and Publish-Crl, naming the line.
/// </summary>
public sealed class JournalIntegrityTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com", "example.com");
    private static readonly byte[] HashField = Encoding.ASCII.GetBytes(",\"hash\":\"");
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private string JournalPath => Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id));

    private string HeadPath => Path.Combine(_pki.Store.Root, StoreLayout.JournalHead(_pki.Sub.Id));

    private CertificateService Certificates => Services.Certificates(_pki.Open());

    private IssuedCertificate Issue(string commonName) => _pki.Issue(Csr, r => r.CommonName = commonName);

    private PublishedCrl Publish() => new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), AsPem = true });

    private static List<string> Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static void WriteLines(string path, IEnumerable<string> lines) => File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    /// <summary>Three certificates, the second revoked, and a CRL of that: the journal has a header, three issue lines and a revocation line.</summary>
    private (IssuedCertificate First, IssuedCertificate Revoked, IssuedCertificate Last) IssueThreeRevokeOne()
    {
        var first = Issue("first.example.com");
        var revoked = Issue("revoked.example.com");
        var last = Issue("last.example.com");
        Certificates.Revoke(revoked.Identifier, RevocationReason.KeyCompromise);
        return (first, revoked, last);
    }

    /// <summary>Publish-Crl refuses with StoreRecordCorrupt, naming <paramref name="expected"/> when given, and changes nothing.</summary>
    private PkiException PublishIsRefused(string? expected = null)
    {
        var before = _pki.Store.Snapshot();
        var refused = Assert.Throws<PkiException>(Publish);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, refused.ErrorId);
        if (expected != null) Assert.Contains(expected, refused.Message);
        Assert.Equal(before, _pki.Store.Snapshot());
        return refused;
    }

    [Fact]
    public void Each_line_carries_the_SHA256_of_the_hash_before_it_and_of_the_line_without_its_hash()
    {
        IssueThreeRevokeOne();

        var previous = new byte[32];
        var lines = Lines(JournalPath);
        Assert.Equal(5, lines.Count);
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var json = line.IndexOf('\t') is var tab and >= 0 ? tab : line.Length;
            // The hash is the JSON object's last property: ,"hash":"<64 hex>"}
            Assert.Equal('}', line[json - 1]);
            var field = json - 1 - 74;
            Assert.Equal(HashField, bytes.AsSpan(field, HashField.Length).ToArray());
            var stored = Convert.FromHexString(line.Substring(field + HashField.Length, 64));
            var content = bytes.Take(field).Concat(bytes.Skip(field + 74)).ToArray();
            Assert.Equal(SHA256.HashData(previous.Concat(content).ToArray()), stored);
            previous = stored;
        }
        var head = File.ReadAllText(HeadPath);
        Assert.Contains("\"lines\":5", head);
        Assert.Contains("\"length\":" + new FileInfo(JournalPath).Length, head);
        Assert.Contains(Convert.ToHexString(previous).ToLowerInvariant(), head);
    }

    [Fact]
    public void A_line_without_its_hash_field_is_the_line_an_older_version_wrote_and_reads_as_it_did()
    {
        var (_, revoked, _) = IssueThreeRevokeOne();
        var revocation = Lines(JournalPath)[4];
        var legacy = OlderJournal.WithoutHash(revocation);

        // What the fast path reads with the hash is what the older form gives it without.
        Assert.Equal(revoked.Identifier, JournalEntry.TryReadRevocation(Encoding.UTF8.GetBytes(revocation), 0, revocation.Length)!.Identifier);
        Assert.Equal(revoked.Identifier, JournalEntry.TryReadRevocation(Encoding.UTF8.GetBytes(legacy), 0, legacy.Length)!.Identifier);
        // An older version's serializer passes over the field it does not know.
        var entry = Newtonsoft.Json.JsonConvert.DeserializeObject<JournalEntry>(revocation)!;
        Assert.Equal(JournalEntry.Revoked, entry.Op);
        Assert.Equal(revoked.Identifier, entry.Identifier);
    }

    [Fact]
    public void A_journal_written_before_the_chain_stays_readable_and_gains_the_chain_from_its_next_append()
    {
        var (first, revoked, last) = IssueThreeRevokeOne();
        OlderJournal.Rewrite(_pki.Store.Root, _pki.Sub.Id);

        var listed = Certificates.Find(new CertificateQuery());
        Assert.Empty(listed.Problems);
        Assert.Equal(new[] { first.Identifier, revoked.Identifier, last.Identifier }, listed.Items.Select(c => c.Identifier));
        Assert.Equal(1, Publish().RevokedCount);

        var next = Issue("next.example.com");
        var lines = Lines(JournalPath);
        Assert.Equal(6, lines.Count);
        Assert.DoesNotContain("\"hash\"", lines[4]);
        Assert.Contains("\"hash\"", lines[5]);
        Assert.True(File.Exists(HeadPath));
        Assert.Empty(Certificates.Find(new CertificateQuery()).Problems);

        // The first hashed line vouches for every line before it: a change up there is now seen.
        lines[1] = lines[1].Replace("first.example.com", "forst.example.com");
        WriteLines(JournalPath, lines);
        var changed = Certificates.Find(new CertificateQuery());
        Assert.Contains("Line 6 of", Assert.Single(changed.Problems).Message);
        Assert.DoesNotContain(changed.Items, c => c.Identifier == next.Identifier);
    }

    [Theory]
    [InlineData("record")]
    [InlineData("certificate")]
    [InlineData("hash")]
    public void A_flipped_bit_is_named_by_its_line_in_listing_export_and_Publish_Crl(string where)
    {
        var (first, revoked, last) = IssueThreeRevokeOne();
        var lines = Lines(JournalPath);
        var line = lines[2]; // the second certificate's issue line
        var tab = line.IndexOf('\t');
        var position = where switch
        {
            "record" => line.IndexOf("revoked.example.com", StringComparison.Ordinal) + 2,
            "certificate" => tab + 40,
            _ => tab - 10,
        };
        var chars = line.ToCharArray();
        chars[position] = (char)(chars[position] ^ 0x01);
        lines[2] = new string(chars);
        WriteLines(JournalPath, lines);

        var listed = Certificates.Find(new CertificateQuery());
        var problem = Assert.Single(listed.Problems, p => p.Message.Contains("Line 3 of"));
        Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
        Assert.Equal(JournalPath, problem.Target);
        Assert.DoesNotContain(listed.Items, c => c.Identifier == revoked.Identifier);
        Assert.Contains(listed.Items, c => c.Identifier == first.Identifier);
        Assert.Contains(listed.Items, c => c.Identifier == last.Identifier);

        var export = Assert.Throws<PkiException>(() => new CertificateExportService(_pki.Open()).Export(new ExportRequest
        {
            Identifier = revoked.Identifier, Format = ExportFormat.Der, Path = Path.Combine(_pki.Store.Folder, "revoked.der"),
        }));
        Assert.Equal(ErrorIds.StoreRecordCorrupt, export.ErrorId);
        Assert.Contains("Line 3 of", export.Message);
        Assert.False(File.Exists(Path.Combine(_pki.Store.Folder, "revoked.der")));
        PublishIsRefused("Line 3 of");
    }

    [Fact]
    public void A_line_cut_in_half_is_named_and_the_certificate_is_not_listed_as_valid()
    {
        var (_, revoked, _) = IssueThreeRevokeOne();
        var lines = Lines(JournalPath);
        lines[2] = lines[2][..(lines[2].Length / 2)];
        WriteLines(JournalPath, lines);

        var listed = Certificates.Find(new CertificateQuery());
        Assert.Contains(listed.Problems, p => p.Message.Contains("Line 3 of"));
        Assert.DoesNotContain(listed.Items, c => c.Identifier == revoked.Identifier);
        PublishIsRefused("Line 3 of");
    }

    [Fact]
    public void A_deleted_revocation_line_in_the_middle_never_un_revokes_a_certificate()
    {
        var (_, revoked, _) = IssueThreeRevokeOne();
        var kept = Issue("after.example.com");
        var lines = Lines(JournalPath);
        Assert.Contains("\"op\":\"revoked\"", lines[4]);
        lines.RemoveAt(4);
        WriteLines(JournalPath, lines);

        var listed = Certificates.Find(new CertificateQuery());
        var problem = Assert.Single(listed.Problems);
        Assert.Contains("Line 5 of", problem.Message); // the line after the gap no longer follows from the one before
        Assert.DoesNotContain(listed.Items, c => c.Identifier == kept.Identifier);
        PublishIsRefused("Line 5 of");
        Assert.NotNull(revoked);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Lines_cut_off_the_end_are_named_by_the_journal_head(int removed)
    {
        IssueThreeRevokeOne();
        var lines = Lines(JournalPath);
        WriteLines(JournalPath, lines.Take(lines.Count - removed));

        var listed = Certificates.Find(new CertificateQuery());
        var problem = Assert.Single(listed.Problems);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
        Assert.Contains($"Line {6 - removed} of", problem.Message);
        Assert.Contains("5 lines", problem.Message);
        var before = _pki.Store.Snapshot();
        // Nothing is appended to a journal that lost lines: the head would no longer show what was lost.
        Assert.Equal(ErrorIds.StoreRecordCorrupt, Assert.Throws<PkiException>(() => Issue("more.example.com")).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
        PublishIsRefused($"Line {6 - removed} of");
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("emptied")]
    [InlineData("folder")]
    [InlineData("issuer folder deleted")]
    public void A_journal_lost_after_its_CA_issued_is_damage_not_emptiness(string how)
    {
        IssueThreeRevokeOne();
        Assert.Equal(1, Publish().RevokedCount);
        switch (how)
        {
            case "deleted": File.Delete(JournalPath); break;
            case "emptied": File.WriteAllBytes(JournalPath, Array.Empty<byte>()); break;
            case "folder": File.Delete(JournalPath); Directory.CreateDirectory(JournalPath); break;
            default: Directory.Delete(Path.GetDirectoryName(JournalPath)!, recursive: true); break;
        }

        var listed = Certificates.Find(new CertificateQuery());
        Assert.Empty(listed.Items);
        var problem = Assert.Single(listed.Problems);
        Assert.Equal(ErrorIds.StoreRecordCorrupt, problem.ErrorId);
        Assert.Equal(JournalPath, problem.Target);
        Assert.Contains("5 lines", problem.Message);
        PublishIsRefused(JournalPath);
        var before = _pki.Store.Snapshot();
        Assert.Equal(ErrorIds.StoreRecordCorrupt, Assert.Throws<PkiException>(() => Issue("more.example.com")).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_journal_and_head_both_lost_after_a_CRL_are_still_damage_to_Publish_Crl()
    {
        IssueThreeRevokeOne();
        Assert.Equal(1, Publish().RevokedCount);
        Directory.Delete(Path.Combine(_pki.Store.Root, StoreLayout.IssuedFolder), recursive: true);

        PublishIsRefused(JournalPath);
    }

    [Fact]
    public void A_journal_with_a_hashed_line_and_no_head_is_damage()
    {
        IssueThreeRevokeOne();
        File.Delete(HeadPath);

        var problem = Assert.Single(Certificates.Find(new CertificateQuery()).Problems);
        Assert.Contains(HeadPath, problem.Message);
        PublishIsRefused(HeadPath);
    }

    [Fact]
    public void Appending_to_a_zero_byte_journal_writes_the_header_first_so_the_certificate_is_listed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(JournalPath)!);
        File.WriteAllBytes(JournalPath, Array.Empty<byte>());
        Assert.Empty(Certificates.Find(new CertificateQuery()).Problems); // nothing was issued: empty, not damaged

        var issued = Issue("www.example.com");

        var lines = Lines(JournalPath);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("{\"journal\":\"issued-certificates\",\"formatVersion\":1,", lines[0]);
        var listed = Certificates.Find(new CertificateQuery());
        Assert.Empty(listed.Problems);
        Assert.Equal(issued.Identifier, Assert.Single(listed.Items).Identifier);
        Certificates.Revoke(issued.Identifier, RevocationReason.Superseded);
        Assert.Equal(1, Publish().RevokedCount);
    }

    [Fact]
    public void A_journal_whose_only_line_is_unfinished_gets_its_header_on_the_next_append()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(JournalPath)!);
        File.WriteAllText(JournalPath, "{\"journal\":\"issued-cer"); // a process died while creating it

        var issued = Issue("www.example.com");

        Assert.StartsWith("{\"journal\":\"issued-certificates\"", Lines(JournalPath)[0]);
        Assert.Equal(issued.Identifier, Assert.Single(Certificates.Find(new CertificateQuery()).Items).Identifier);
    }

    [Fact]
    public void The_next_append_chains_from_the_head_without_reading_the_journal_again()
    {
        Issue("one.example.com");
        var lines = Lines(JournalPath);
        // An edit in the middle that the appender does not look at: it chains from the head's hash, so the edit stays visible.
        lines[1] = lines[1].Replace("one.example.com", "won.example.com");
        WriteLines(JournalPath, lines);

        Issue("two.example.com");

        var problem = Assert.Single(Certificates.Find(new CertificateQuery()).Problems);
        Assert.Contains("Line 2 of", problem.Message);
    }
}
