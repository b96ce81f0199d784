namespace PkiCmdlets.HelpBuilder.Model;

/// <summary>One cmdlet's help as read from its docs page; every text is plain text, one string per paragraph.</summary>
internal sealed record CommandHelp(
    string Name,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    public string Verb => Name.Substring(0, Name.IndexOf('-'));

    public string Noun => Name.Substring(Name.IndexOf('-') + 1);
}

/// <summary>A parameter set and its parameters in the order the page's syntax shows them.</summary>
internal sealed record SyntaxSet(string Name, IReadOnlyList<string> ParameterNames);

internal sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

/// <summary>An example: its code (the powershell fences only) and its remarks (prose and output), kept apart.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A related link; Uri is empty for a link to another page of docs/, which has no address once installed.</summary>
internal sealed record LinkHelp(string Text, string Uri);
