using PkiCmdlets.HelpBuilder.Markdown;

namespace PkiCmdlets.HelpBuilder.Tests;

public sealed class MalformedPageTests
{
    public static TheoryData<string, string, string> Pages() => new()
    {
        { "a missing section", Without("## NOTES\n\n`Get-Widget` reports `WidgetNotFound`.\n"), "the section '## NOTES' is missing" },
        { "a misspelt section", Replace("## NOTES", "## NOTE"), "'## NOTE' is not a section of a cmdlet page" },
        { "no front matter", SamplePage.Text[SamplePage.Text.IndexOf("# Get-Widget", StringComparison.Ordinal)..], "does not start with a YAML front matter block" },
        { "a title that is not the file's", Replace("# Get-Widget\n", "# Get-Gadget\n"), "must all be the cmdlet's Verb-Noun name" },
        { "an empty synopsis", Replace("Gets widgets from the **widget** store.", ""), "SYNOPSIS and DESCRIPTION must not be empty" },
        { "an example without code", Replace("```powershell\nGet-Widget\n```", "    Get-Widget"), "the example 'Example 1: Get all widgets' (line 44) has no code" },
        { "a parameter without its yaml", Replace("```yaml\nType: System.String[]", "```text\nType: System.String[]"), "-Name (line 164): there must be exactly one ```yaml block, not 0" },
        { "yaml that does not parse", Replace("DefaultValue: Pem", "DefaultValue: [Pem"), "-Format (line 96): the yaml block is not valid" },
        { "an unknown yaml key", Replace("DefaultValue: Pem", "DefaultVaule: Pem"), "-Format (line 96): the yaml block is not valid" },
        { "a parameter set that SYNTAX lacks", Replace("- Name: Id\n  Position: Named\n  IsRequired: true\n  ValueFromPipeline: false", "- Name: ById\n  Position: Named\n  IsRequired: true\n  ValueFromPipeline: false"), "ParameterSets names 'ById', which is not '(All)' nor a parameter set of SYNTAX" },
        { "a bad position", Replace("Position: 0", "Position: first"), "Position 'first' is neither 'Named' nor a number from 0" },
        { "a syntax that shows an undocumented parameter", Replace("[-Force] [<CommonParameters>]\n```\n\n### Id", "[-Force] [-Quiet] [<CommonParameters>]\n```\n\n### Id"), "the syntax of parameter set 'Name' shows -Quiet, which has no '### -Quiet' section" },
        { "a syntax that leaves out a parameter of its set", Replace("Get-Widget -Id <int[]> -Path <string> [-Format <string>]", "Get-Widget -Id <int[]> -Path <string>"), "the yaml puts -Format in parameter set 'Id', but its syntax does not show them" },
        { "a parameter described twice", Replace("### -Hidden", "### -Force"), "the parameter -Force is described twice" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void A_malformed_page_fails_with_the_page_and_the_problem(string what, string page, string problem)
    {
        var path = Path.Combine(Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N"), SamplePage.Name + ".md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllText(path, page);
            var error = Assert.Throws<HelpPageException>(() => CommandPageReader.Read(path));
            Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
            Assert.True(error.Problem.Contains(problem, StringComparison.Ordinal), $"{what}: the problem given is '{error.Problem}'");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void The_sample_page_itself_is_read()
    {
        Assert.Equal(SamplePage.Name, CommandPageReader.Parse(SamplePage.Text, SamplePage.Name).Name);
    }

    private static string Replace(string oldText, string newText)
    {
        Assert.Contains(oldText, SamplePage.Text, StringComparison.Ordinal);
        return SamplePage.Text.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static string Without(string text) => Replace(text, "");
}
