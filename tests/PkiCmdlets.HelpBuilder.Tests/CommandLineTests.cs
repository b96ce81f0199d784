using System.Xml.Linq;

namespace PkiCmdlets.HelpBuilder.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public CommandLineTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "docs"));
        File.WriteAllText(Path.Combine(_folder, "docs", SamplePage.Name + ".md"), SamplePage.Text);
    }

    private string Docs => Path.Combine(_folder, "docs");

    private string OutFile => Path.Combine(_folder, "out", "Widgets-help.xml");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Writes_the_MAML_of_every_page()
    {
        Assert.Equal(0, Run("--docs", Docs, "--out", OutFile, "--cmdlets", SamplePage.Name));
        var commands = XDocument.Load(OutFile).Root!.Elements(Maml.Command + "command").ToList();
        Assert.Equal(SamplePage.Name, Assert.Single(commands).Element(Maml.Command + "details")!.Element(Maml.Command + "name")!.Value);
        Assert.Contains("Help for 1 cmdlet(s) written to", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void A_broken_page_fails_with_its_name_and_problem_and_writes_nothing()
    {
        var broken = Path.Combine(Docs, "Set-Widget.md");
        File.WriteAllText(broken, SamplePage.Text.Replace("Get-Widget", "Set-Widget", StringComparison.Ordinal).Replace("## INPUTS", "## INPUT", StringComparison.Ordinal));

        Assert.Equal(1, Run("--docs", Docs, "--out", OutFile));
        Assert.Contains(broken + ": '## INPUT' is not a section of a cmdlet page", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 problem(s)", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(OutFile));
    }

    [Fact]
    public void Every_exported_cmdlet_needs_a_page_and_every_page_an_exported_cmdlet()
    {
        Assert.Equal(1, Run("--docs", Docs, "--out", OutFile, "--cmdlets", "Remove-Widget"));
        var error = _error.ToString();
        Assert.Contains(Path.Combine(Docs, "Remove-Widget.md") + ": is missing, so Remove-Widget would have no help", error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Docs, SamplePage.Name + ".md") + ": is not the page of an exported cmdlet", error, StringComparison.Ordinal);
        Assert.False(File.Exists(OutFile));
    }

    [Theory]
    [InlineData("--docs")]
    [InlineData("--out", "x.xml")]
    [InlineData("--docs", "docs", "--out", "x.xml", "--verbose", "yes")]
    public void A_wrong_command_line_shows_the_usage(params string[] args)
    {
        Assert.Equal(2, Run(args));
        Assert.StartsWith("usage: PkiCmdlets.HelpBuilder --docs <folder> --out <file.xml>", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_docs_folder_is_named()
    {
        Assert.Equal(2, Run("--docs", Path.Combine(_folder, "nowhere"), "--out", OutFile));
        Assert.Contains("nowhere' does not exist", _error.ToString(), StringComparison.Ordinal);
    }

    private int Run(params string[] args) => HelpBuilderCommand.Run(args, _output, _error);
}
