using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>
/// A parsed page cut at its headings: the front matter, the H1 title, and each H2 section with the blocks
/// before its first H3 and its H3 subsections.
/// </summary>
internal sealed class PageOutline
{
    private readonly Dictionary<string, Section> _sections = new(StringComparer.Ordinal);

    private PageOutline(string frontMatter, string title)
    {
        FrontMatter = frontMatter;
        Title = title;
    }

    public string FrontMatter { get; }

    public string Title { get; }

    public IReadOnlyCollection<string> SectionNames => _sections.Keys;

    public Section? Find(string name) => _sections.GetValueOrDefault(name);

    public Section Get(string name) =>
        Find(name) ?? throw new InvalidDataException($"the section '## {name}' is missing");

    public static PageOutline Parse(MarkdownDocument document)
    {
        var blocks = document.ToList();
        if (blocks.FirstOrDefault() is not YamlFrontMatterBlock frontMatter)
        {
            throw new InvalidDataException("the page does not start with a YAML front matter block (---)");
        }
        var title = blocks.OfType<HeadingBlock>().FirstOrDefault();
        if (title is null || title.Level != 1)
        {
            throw new InvalidDataException("the first heading is not the '# <cmdlet name>' title");
        }
        if (blocks.OfType<HeadingBlock>().Count(h => h.Level == 1) > 1)
        {
            throw new InvalidDataException("the page has more than one '#' title");
        }

        var outline = new PageOutline(frontMatter.Lines.ToString(), PlainText.Of(title.Inline));
        Section? section = null;
        foreach (var block in blocks.Skip(blocks.IndexOf(title) + 1))
        {
            if (block is HeadingBlock { Level: 2 } h2)
            {
                section = new Section(PlainText.Of(h2.Inline));
                if (!outline._sections.TryAdd(section.Name, section))
                {
                    throw new InvalidDataException($"the section '## {section.Name}' appears twice");
                }
            }
            else if (section is null)
            {
                throw new InvalidDataException($"there is content between the title and the first '##' section (line {block.Line + 1})");
            }
            else if (block is HeadingBlock { Level: 3 } h3)
            {
                section.Subsections.Add(new Subsection(PlainText.Of(h3.Inline), block.Line + 1));
            }
            else if (section.Subsections.Count > 0)
            {
                section.Subsections[^1].Blocks.Add(block);
            }
            else
            {
                section.Blocks.Add(block);
            }
        }
        return outline;
    }
}

internal sealed class Section(string name)
{
    public string Name { get; } = name;

    /// <summary>The blocks before the first H3.</summary>
    public List<Block> Blocks { get; } = [];

    public List<Subsection> Subsections { get; } = [];
}

internal sealed class Subsection(string title, int line)
{
    public string Title { get; } = title;

    public int Line { get; } = line;

    public List<Block> Blocks { get; } = [];
}
