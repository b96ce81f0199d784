using PkiCmdlets.HelpBuilder.Markdown;
using PkiCmdlets.HelpBuilder.Model;

namespace PkiCmdlets.HelpBuilder;

/// <summary>Reads every page of a docs folder, collecting each page's problem instead of stopping at the first.</summary>
internal static class DocsFolder
{
    /// <param name="cmdlets">When given, the cmdlets that must each have exactly one page, and no page may be for another.</param>
    public static (List<CommandHelp> Commands, List<string> Problems) Read(string folder, IReadOnlyCollection<string>? cmdlets)
    {
        var commands = new List<CommandHelp>();
        var problems = new List<string>();
        var pages = Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal).ToList();
        if (pages.Count == 0)
        {
            problems.Add($"{folder}: there is no *.md page");
        }
        foreach (var page in pages)
        {
            try
            {
                commands.Add(CommandPageReader.Read(page));
            }
            catch (HelpPageException e)
            {
                problems.Add(e.Message);
            }
        }
        if (cmdlets is not null)
        {
            var names = pages.Select(Path.GetFileNameWithoutExtension).ToList();
            problems.AddRange(cmdlets.Where(c => !names.Contains(c, StringComparer.OrdinalIgnoreCase))
                .Select(c => $"{Path.Combine(folder, c + ".md")}: is missing, so {c} would have no help"));
            problems.AddRange(pages.Where(p => !cmdlets.Contains(Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase))
                .Select(p => $"{p}: is not the page of an exported cmdlet ({string.Join(", ", cmdlets)})"));
        }
        return (commands, problems);
    }
}
