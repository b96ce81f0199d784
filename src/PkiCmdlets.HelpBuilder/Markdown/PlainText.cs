using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>
/// Turns markdown blocks into the plain-text paragraphs that Get-Help prints: emphasis, inline code and link
/// markup are dropped and their text kept, list items become "- " paragraphs, code blocks keep their lines.
/// </summary>
internal static class PlainText
{
    public static string Of(ContainerInline? inlines)
    {
        var text = new StringBuilder();
        Append(text, inlines?.FirstChild);
        return text.ToString().Trim();
    }

    public static List<string> Paragraphs(IEnumerable<Block> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            AddParagraphs(paragraphs, block, "", "");
        }
        return paragraphs;
    }

    public static string Code(LeafBlock code) => code.Lines.ToString().TrimEnd();

    private static void AddParagraphs(List<string> paragraphs, Block block, string firstPrefix, string indent)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                paragraphs.Add(firstPrefix + Of(paragraph.Inline));
                break;
            case HeadingBlock heading:
                paragraphs.Add(firstPrefix + Of(heading.Inline));
                break;
            case CodeBlock code:
                paragraphs.Add(Indent(Code(code), firstPrefix, indent));
                break;
            case HtmlBlock html:
                paragraphs.Add(Indent(html.Lines.ToString().TrimEnd(), firstPrefix, indent));
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    var itemIndent = indent + new string(' ', bullet.Length);
                    var first = true;
                    foreach (var child in item)
                    {
                        AddParagraphs(paragraphs, child, first ? indent + bullet : itemIndent, itemIndent);
                        first = false;
                    }
                }
                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                {
                    AddParagraphs(paragraphs, child, indent, indent);
                }
                break;
            case ThematicBreakBlock or LinkReferenceDefinitionGroup or BlankLineBlock:
                break;
            default:
                throw new InvalidDataException($"unsupported markdown ({block.GetType().Name}) at line {block.Line + 1}");
        }
    }

    // A code block inside a list item keeps its lines, each indented like the item's text.
    private static string Indent(string text, string firstPrefix, string indent) =>
        firstPrefix + text.Replace("\n", "\n" + indent, StringComparison.Ordinal);

    private static void Append(StringBuilder text, Inline? inline)
    {
        for (; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    // Prose such as "keys/<id>.pem" outside backticks parses as an HTML tag; keep it as written.
                    text.Append(html.Tag);
                    break;
                case ContainerInline container:
                    Append(text, container.FirstChild);
                    break;
            }
        }
    }
}
