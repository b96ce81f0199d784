using System.Text;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>The journal's fast readers agree with the JSON parser on lines the store writes, and step aside for any other.</summary>
public sealed class JournalEntryTests
{
    private static byte[] Line(object entry) => PkiStore.JsonLine(entry);

    [Theory]
    [InlineData(2026, 0, RevocationReason.KeyCompromise)]
    [InlineData(2031, 1234567, RevocationReason.Unspecified)]
    [InlineData(2027, 5000000, RevocationReason.PrivilegeWithdrawn)]
    public void A_revocation_line_as_the_store_writes_it_reads_the_same_fast_as_parsed(int year, int ticks, RevocationReason reason)
    {
        var revokedAt = new DateTimeOffset(year, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(ticks);
        var line = Line(new JournalEntry { Op = JournalEntry.Revoked, Identifier = "00ff", RevokedAt = revokedAt, RevocationReason = reason });

        var fast = JournalEntry.TryReadRevocation(line, 0, line.Length);
        var parsed = new JournalEntry.Parser().Parse(line, 0, line.Length);

        Assert.NotNull(fast);
        Assert.Equal(("00ff", revokedAt, reason), (fast!.Identifier, fast.RevokedAt!.Value, fast.RevocationReason!.Value));
        Assert.Equal((parsed.Identifier, parsed.RevokedAt, parsed.RevocationReason), (fast.Identifier, fast.RevokedAt, fast.RevocationReason));
        Assert.Equal(revokedAt.Offset, fast.RevokedAt.Value.Offset);
    }

    [Theory]
    [InlineData("{\"identifier\":\"00ff\",\"op\":\"revoked\",\"revokedAt\":\"2026-01-01T00:00:00+00:00\"}")]
    [InlineData("{\"op\":\"revoked\",\"identifier\":\"00ff\",\"revokedAt\":\"2026-01-01T00:00:00+00:00\",\"revocationReason\":1,\"note\":\"x\"}")]
    [InlineData("{\"op\":\"revoked\",\"identifier\":\"00ff\",\"revokedAt\":\"yesterday\",\"revocationReason\":1}")]
    [InlineData("{\"op\":\"revoked\",\"identifier\":\"00\\u0066f\",\"revokedAt\":\"2026-01-01T00:00:00+00:00\"}")]
    [InlineData("{\"op\":\"revoked\",\"identifier\":\"00ff\",\"revokedAt\":\"2026-01-01T00:00:00+00:00\",\"revocationReason\":1")]
    public void Any_other_revocation_line_is_left_to_the_parser(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        Assert.Null(JournalEntry.TryReadRevocation(line, 0, line.Length));
    }

    [Fact]
    public void The_key_of_an_issue_line_as_the_store_writes_it_reads_without_parsing_and_any_other_is_left_to_the_parser()
    {
        var record = new IssuedRecord { Identifier = "0a1b", SerialNumber = "7F01", Subject = "CN=x", CommonName = "x" };
        var line = Line(new JournalEntry { Op = JournalEntry.Issued, Certificate = record });

        Assert.True(JournalEntry.TryReadKey(line, 0, line.Length, out var identifier, out var serial));
        Assert.Equal(("0a1b", "7F01"), (identifier, serial));
        var parsed = new JournalEntry.Parser().Parse(line, 0, line.Length).Certificate!;
        Assert.Equal((parsed.Identifier, parsed.SerialNumber), (identifier, serial));

        foreach (var other in new[]
        {
            "{\"op\":\"issued\",\"certificate\":{\"serialNumber\":\"7F01\",\"identifier\":\"0a1b\"}}",
            "{\"op\":\"issued\",\"certificate\":{\"identifier\":\"0a\\u0031b\",\"serialNumber\":\"7F01\"}}",
            "{\"op\":\"issued\",\"certificate\":{\"identifier\":\"\",\"serialNumber\":\"7F01\"}}",
            "{\"op\":\"issued\",\"certificate\":{\"identifier\":\"0a1b\"",
        })
        {
            var bytes = Encoding.UTF8.GetBytes(other);
            Assert.False(JournalEntry.TryReadKey(bytes, 0, bytes.Length, out _, out _), other);
        }
    }
}
