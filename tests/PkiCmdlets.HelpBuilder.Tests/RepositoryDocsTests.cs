using System.Reflection;
using System.Xml.Linq;
using PkiCmdlets.HelpBuilder.Markdown;

namespace PkiCmdlets.HelpBuilder.Tests;

/// <summary>The repository's own pages, which the build turns into the module's help.</summary>
public sealed class RepositoryDocsTests
{
    private static readonly string Docs = Path.Combine(
        typeof(RepositoryDocsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!, "docs");

    [Fact]
    public void Every_page_in_docs_becomes_one_command_of_the_MAML()
    {
        var output = Path.Combine(Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N") + ".xml");
        try
        {
            var error = new StringWriter();
            Assert.True(HelpBuilderCommand.Run(["--docs", Docs, "--out", output], TextWriter.Null, error) == 0, error.ToString());
            var names = XDocument.Load(output).Root!.Elements(Maml.Command + "command")
                .Select(c => c.Element(Maml.Command + "details")!.Element(Maml.Command + "name")!.Value);
            Assert.Equal(Directory.GetFiles(Docs, "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal), names);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void No_example_code_of_the_pages_has_fence_markers_and_every_example_has_remarks()
    {
        foreach (var page in Directory.GetFiles(Docs, "*.md"))
        {
            foreach (var example in CommandPageReader.Read(page).Examples)
            {
                Assert.DoesNotContain("```", example.Code, StringComparison.Ordinal);
                Assert.True(example.Remarks.Count > 0, $"{page}: '{example.Title}' has no remarks");
            }
        }
    }
}
