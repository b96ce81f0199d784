namespace PkiCmdlets.HelpBuilder.Yaml;

/// <summary>The yaml block of a '### -Name' section in PlatyPS 1.x markdown, key for key.</summary>
internal sealed class ParameterYaml
{
    public string? Type { get; set; }

    public string? DefaultValue { get; set; }

    public bool SupportsWildcards { get; set; }

    // PlatyPS 1.x writes ParameterValue and HelpMessage too; MAML has no place for them, and they are
    // declared only so that a page holding them is read.
    public List<string> ParameterValue { get; set; } = [];

    public List<string> Aliases { get; set; } = [];

    public List<ParameterSetYaml> ParameterSets { get; set; } = [];

    public bool DontShow { get; set; }

    public List<string> AcceptedValues { get; set; } = [];

    public string? HelpMessage { get; set; }
}

internal sealed class ParameterSetYaml
{
    public string? Name { get; set; }

    /// <summary>"Named" or a number from 0.</summary>
    public string? Position { get; set; }

    public bool IsRequired { get; set; }

    public bool ValueFromPipeline { get; set; }

    public bool ValueFromPipelineByPropertyName { get; set; }

    public bool ValueFromRemainingArguments { get; set; }
}
