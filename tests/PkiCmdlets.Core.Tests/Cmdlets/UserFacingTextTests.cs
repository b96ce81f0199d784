using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace PkiCmdlets.Core.Tests.Cmdlets;

/// <summary>
/// Words users read describe the product in its own terms. The product was first specified from cloud
/// PKI API documents that the team called "seeds"; users can't look those up, so messages, help pages,
/// the about topic and the README never speak of them (code comments may).
/// </summary>
public sealed class UserFacingTextTests
{
    private static readonly Regex Seed = new(@"\bseeds?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string Root => CmdletAssembly.RepositoryRoot;

    [Theory]
    [InlineData("Only intermediates issue server certificates (seed 002).", true)]
    [InlineData("Seeds 000 and 001 call it CsrId.", true)]
    [InlineData("the SEED's DNS", true)]
    [InlineData("KeySpec.SeedName", false)]
    [InlineData("a seedling, seeded, reseed", false)]
    public void The_check_finds_seed_only_as_a_whole_word(string text, bool found)
    {
        Assert.Equal(found, Seed.IsMatch(text));
    }

    [Fact]
    public void Messages_help_pages_about_topic_and_readme_never_speak_of_seeds()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(Root, "en-US"), "*.txt"))
            .Append(Path.Combine(Root, "README.md"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count(f => f.EndsWith(".md", StringComparison.Ordinal)) >= 19, "the help pages weren't found under " + Root);
        Assert.Contains(files, f => Path.GetFileName(f) == "about_PkiCmdlets.help.txt");

        var hits = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (Seed.IsMatch(lines[i])) hits.Add($"{Relative(file)}:{i + 1}: {lines[i].Trim()}");
            }
        }
        hits.AddRange(ResourceHits(Path.Combine(Root, "src", "PkiCmdlets.Core", "Messages.resx")));

        Assert.True(hits.Count == 0, "User-facing text speaks of seeds; describe the rule or the name in its own terms:\n"
            + string.Join("\n", hits));
    }

    /// <summary>The values of a .resx, each hit named by file, line and resource name.</summary>
    private static IEnumerable<string> ResourceHits(string path)
    {
        var document = XDocument.Load(path, LoadOptions.SetLineInfo);
        var values = document.Root!.Elements("data").Select(d => (Name: (string?)d.Attribute("name"), Value: d.Element("value"))).ToList();
        Assert.True(values.Count > 100, "the messages weren't found in " + path);
        foreach (var (name, value) in values)
        {
            if (value is null) continue;
            var text = value.Value;
            foreach (Match match in Seed.Matches(text))
            {
                var line = ((IXmlLineInfo)value).LineNumber + text.Take(match.Index).Count(c => c == '\n');
                yield return $"{Relative(path)}:{line}: {name}: {text.Trim()}";
            }
        }
    }

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
