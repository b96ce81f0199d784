using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Tests.Formats;

/// <summary>`Get-Content request.csr | New-ServerCertificate` sends one line at a time; the lines of a block are one request.</summary>
public sealed class PemLinesTests
{
    private const string Block = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\nAAAA\n-----END CERTIFICATE REQUEST-----\n";

    [Fact]
    public void The_lines_of_a_block_make_the_block_once_its_END_line_arrives()
    {
        var lines = new PemLines();
        var results = Block.TrimEnd('\n').Split('\n').Append(string.Empty).Select(lines.Add).ToList();
        Assert.Equal(new string?[] { null, null, null, Block, null }, results);
        lines.Finish();
    }

    [Fact]
    public void Two_files_piped_one_after_the_other_make_two_blocks_and_blank_lines_are_passed_over()
    {
        var lines = new PemLines();
        var input = (Block + "\n  \n" + Block).Split('\n');
        Assert.Equal(new[] { Block, Block }, input.Select(lines.Add).Where(t => t != null).ToArray());
    }

    [Fact]
    public void A_whole_text_or_one_line_of_base64_passes_as_it_came()
    {
        var lines = new PemLines();
        Assert.Same(Block, lines.Add(Block));
        Assert.Equal("MIIBAAAA", lines.Add("MIIBAAAA"));
    }

    [Fact]
    public void A_block_without_its_END_line_is_InvalidPem_at_the_end()
    {
        var lines = new PemLines();
        Assert.Null(lines.Add("-----BEGIN CERTIFICATE REQUEST-----"));
        Assert.Null(lines.Add("MIIB"));
        var error = Assert.Throws<PkiException>(lines.Finish);
        Assert.Equal(ErrorIds.InvalidPem, error.ErrorId);
        Assert.Contains("END CERTIFICATE REQUEST", error.Message);
        lines.Finish(); // reported once
    }
}
