using Markdig.Syntax;
using PkiCmdlets.HelpBuilder.Model;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>
/// Reads the '### Example N: title' sections. The ```powershell fences are the example's code; the prose and
/// the ```Output fences, in page order, are its remarks.
/// </summary>
internal static class ExampleReader
{
    public static List<ExampleHelp> Read(Section section)
    {
        if (section.Blocks.Count > 0)
        {
            throw new InvalidDataException("EXAMPLES has text outside a '### Example' heading");
        }
        if (section.Subsections.Count == 0)
        {
            throw new InvalidDataException("EXAMPLES has no '### Example' section");
        }
        var examples = new List<ExampleHelp>();
        foreach (var subsection in section.Subsections)
        {
            var code = subsection.Blocks.Where(IsCode).Cast<LeafBlock>().Select(PlainText.Code).ToList();
            if (code.Count == 0 || code.Any(string.IsNullOrWhiteSpace))
            {
                throw new InvalidDataException($"the example '{subsection.Title}' (line {subsection.Line}) has no code: its code goes in a ```powershell block");
            }
            examples.Add(new ExampleHelp(
                subsection.Title,
                string.Join("\n\n", code),
                PlainText.Paragraphs(subsection.Blocks.Where(b => !IsCode(b)))));
        }
        return examples;
    }

    private static bool IsCode(Block block) => CommandPageReader.IsFence(block, "powershell");
}
