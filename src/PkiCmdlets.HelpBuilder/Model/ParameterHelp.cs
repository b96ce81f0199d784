namespace PkiCmdlets.HelpBuilder.Model;

internal sealed record ParameterHelp(
    string Name,
    string Type,
    string DefaultValue,
    bool SupportsWildcards,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterSetBinding> Sets,
    IReadOnlyList<string> AcceptedValues,
    bool DontShow,
    IReadOnlyList<string> Description)
{
    public bool IsSwitch => Type is "System.Management.Automation.SwitchParameter" or "SwitchParameter";

    public bool IsArray => Type.EndsWith("[]", StringComparison.Ordinal);

    public ParameterSetBinding? In(string setName) =>
        Sets.FirstOrDefault(s => string.Equals(s.SetName, setName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The parameter as one entry of the PARAMETERS list, where a parameter appears once whatever its sets:
    /// required only when every set requires it, the position of the first set (in syntax order) that takes
    /// it by position, and every way any set takes it from the pipeline. Each syntax item keeps its set's own values.
    /// </summary>
    public ParameterSetBinding Summary(IReadOnlyList<SyntaxSet> syntax)
    {
        var ordered = syntax.Select(s => In(s.Name)).OfType<ParameterSetBinding>().ToList();
        return new ParameterSetBinding(
            "(All)",
            ordered.Select(b => b.Position).FirstOrDefault(p => p is not null),
            ordered.Count > 0 && ordered.All(b => b.IsRequired),
            ordered.Any(b => b.ByValue),
            ordered.Any(b => b.ByPropertyName),
            ordered.Any(b => b.FromRemainingArguments));
    }
}

/// <summary>How a parameter binds in one parameter set; Position is null for a named parameter.</summary>
internal sealed record ParameterSetBinding(
    string SetName, int? Position, bool IsRequired, bool ByValue, bool ByPropertyName, bool FromRemainingArguments);
