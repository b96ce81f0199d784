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

    private static readonly Regex OldName = new(@"\b(Get|Export|Revoke)-ServerCertificate\b", RegexOptions.CultureInvariant);

    /// <summary>
    /// Issue 13 renamed Get-, Export- and Revoke-ServerCertificate to *-IssuedCertificate; the old names are aliases. Text
    /// users read names the cmdlets by their names: an old name only where the text explains the alias (a line that says
    /// "alias", or a help page's ALIASES section).
    /// </summary>
    [Fact]
    public void User_facing_text_uses_the_old_certificate_cmdlet_names_only_to_explain_the_aliases()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(Root, "en-US"), "*.txt"))
            .Append(Path.Combine(Root, "README.md"))
            .Append(Path.Combine(Root, "tests", "QuickStart.ps1"))
            .Append(Path.Combine(Root, "src", "PkiCmdlets.Core", "Messages.resx"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var hits = new List<string>();
        var explained = 0;
        foreach (var file in files)
        {
            var section = string.Empty;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("## ", StringComparison.Ordinal)) section = lines[i];
                if (!OldName.IsMatch(lines[i])) continue;
                if (section == "## ALIASES" || lines[i].Contains("alias", StringComparison.OrdinalIgnoreCase)) explained++;
                else hits.Add($"{Relative(file)}:{i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.True(hits.Count == 0, "Name Get-, Export- and Revoke-IssuedCertificate by their names:\n" + string.Join("\n", hits));
        Assert.True(explained >= 3, "the aliases are explained somewhere (README, about_PkiCmdlets, the help pages' ALIASES)");
    }

    /// <summary>Get-Help shows about_PkiCmdlets as it is: no line wider than the topic's 80 columns.</summary>
    [Fact]
    public void The_about_topic_fits_80_columns()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "en-US", "about_PkiCmdlets.help.txt"));
        Assert.True(lines.Length > 1000, "the about topic wasn't found under " + Root);
        var wide = lines.Select((line, i) => (Line: line, Number: i + 1)).Where(l => l.Line.Length > 80).Select(l => l.Number + ": " + l.Line).ToList();
        Assert.True(wide.Count == 0, "Lines wider than 80 columns:\n" + string.Join("\n", wide));
    }
}
