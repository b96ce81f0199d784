namespace PkiCmdlets.HelpBuilder;

/// <summary>A docs page that cannot be turned into help; the message names the page and the problem.</summary>
internal sealed class HelpPageException(string page, string problem) : Exception(page + ": " + problem)
{
    public string Page { get; } = page;

    public string Problem { get; } = problem;
}
