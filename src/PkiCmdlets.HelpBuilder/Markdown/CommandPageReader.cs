using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PkiCmdlets.HelpBuilder.Model;
using PkiCmdlets.HelpBuilder.Yaml;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>Reads one PlatyPS 1.x cmdlet page into a <see cref="CommandHelp"/>, refusing a page it cannot read fully.</summary>
internal static class CommandPageReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    private static readonly string[] Sections =
        ["SYNOPSIS", "SYNTAX", "ALIASES", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static CommandHelp Read(string path)
    {
        string markdown;
        try
        {
            markdown = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HelpPageException(path, "cannot be read: " + e.Message);
        }
        try
        {
            return Parse(markdown, Path.GetFileNameWithoutExtension(path));
        }
        catch (InvalidDataException e)
        {
            throw new HelpPageException(path, e.Message);
        }
    }

    /// <summary>Reads a page's text; <paramref name="pageName"/> is the file name without '.md', which must be the cmdlet's.</summary>
    public static CommandHelp Parse(string markdown, string pageName)
    {
        var outline = PageOutline.Parse(Markdig.Markdown.Parse(markdown, Pipeline));
        var frontMatter = YamlReader.FrontMatter(outline.FrontMatter);
        if (frontMatter.GetValueOrDefault("document type") != "cmdlet")
        {
            throw new InvalidDataException("the front matter does not say 'document type: cmdlet'");
        }
        var name = outline.Title;
        if (frontMatter.GetValueOrDefault("title") != name || name != pageName || name.IndexOf('-') <= 0)
        {
            throw new InvalidDataException(
                $"the '#' title '{name}', the front matter's title and the file name must all be the cmdlet's Verb-Noun name");
        }
        var unknown = outline.SectionNames.Except(Sections, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"'## {unknown[0]}' is not a section of a cmdlet page (expected: {string.Join(", ", Sections)})");
        }
        // ALIASES lists the cmdlet's aliases; Get-Help shows the session's aliases itself, so MAML has no place for them.
        outline.Get("ALIASES");

        var synopsis = Paragraphs(outline.Get("SYNOPSIS"));
        var description = Paragraphs(outline.Get("DESCRIPTION"));
        if (synopsis.Count == 0 || description.Count == 0)
        {
            throw new InvalidDataException("SYNOPSIS and DESCRIPTION must not be empty");
        }

        var syntaxBlocks = SyntaxBlocks(outline.Get("SYNTAX"));
        var parameters = ParameterReader.Read(outline.Get("PARAMETERS"), syntaxBlocks.Keys.ToList());
        var syntax = syntaxBlocks.Select(s => SyntaxReader.Read(s.Key, s.Value, parameters)).ToList();

        var links = RelatedLinks(outline.Get("RELATED LINKS"));
        var helpUri = frontMatter.GetValueOrDefault("HelpUri") ?? "";
        if (IsWebAddress(helpUri))
        {
            // Get-Help -Online opens the first link with an address; PlatyPS names it so.
            links.Insert(0, new LinkHelp("Online Version:", helpUri));
        }

        return new CommandHelp(
            name,
            synopsis,
            description,
            syntax,
            parameters,
            Types(outline.Get("INPUTS")),
            Types(outline.Get("OUTPUTS")),
            Paragraphs(outline.Get("NOTES")),
            ExampleReader.Read(outline.Get("EXAMPLES")),
            links);
    }

    public static bool IsFence(Block block, string language) =>
        block is FencedCodeBlock fence && string.Equals(fence.Info, language, StringComparison.OrdinalIgnoreCase);

    private static List<string> Paragraphs(Section section)
    {
        if (section.Subsections.Count > 0)
        {
            throw new InvalidDataException($"'## {section.Name}' cannot have '###' headings (line {section.Subsections[0].Line})");
        }
        return PlainText.Paragraphs(section.Blocks);
    }

    /// <summary>Each parameter set's name (without " (Default)") and the text of its syntax code block.</summary>
    private static Dictionary<string, string> SyntaxBlocks(Section section)
    {
        var sets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var subsection in section.Subsections)
        {
            var setName = subsection.Title.EndsWith(" (Default)", StringComparison.Ordinal)
                ? subsection.Title[..^" (Default)".Length]
                : subsection.Title;
            var code = subsection.Blocks.OfType<FencedCodeBlock>().ToList();
            if (code.Count != 1 || subsection.Blocks.Count != 1)
            {
                throw new InvalidDataException($"the syntax of parameter set '{setName}' must be exactly one code block");
            }
            if (!sets.TryAdd(setName, PlainText.Code(code[0])))
            {
                throw new InvalidDataException($"SYNTAX shows parameter set '{setName}' twice");
            }
        }
        if (sets.Count == 0 || section.Blocks.Count > 0)
        {
            throw new InvalidDataException("SYNTAX must be one '### <parameter set>' heading and code block per parameter set");
        }
        return sets;
    }

    private static List<TypeHelp> Types(Section section)
    {
        if (section.Blocks.Count > 0)
        {
            throw new InvalidDataException($"'## {section.Name}' has text outside a '### <type name>' heading");
        }
        return section.Subsections.Select(s => new TypeHelp(s.Title, PlainText.Paragraphs(s.Blocks))).ToList();
    }

    private static List<LinkHelp> RelatedLinks(Section section)
    {
        if (section.Subsections.Count > 0)
        {
            throw new InvalidDataException($"'## RELATED LINKS' cannot have '###' headings (line {section.Subsections[0].Line})");
        }
        var links = new List<LinkHelp>();
        foreach (var paragraph in section.Blocks.SelectMany(b => b is ParagraphBlock p ? [p] : b.Descendants<ParagraphBlock>()))
        {
            var link = paragraph.Inline?.Descendants<LinkInline>().FirstOrDefault(l => !l.IsImage);
            links.Add(link is null
                ? new LinkHelp(PlainText.Of(paragraph.Inline), "")
                : new LinkHelp(PlainText.Of(link), IsWebAddress(link.Url) ? link.Url! : ""));
        }
        return links;
    }

    private static bool IsWebAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
