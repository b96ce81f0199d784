using System.Globalization;
using Markdig.Syntax;
using PkiCmdlets.HelpBuilder.Model;
using PkiCmdlets.HelpBuilder.Yaml;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>Reads the '### -Name' sections of PARAMETERS: the prose is the description, the yaml block the metadata.</summary>
internal static class ParameterReader
{
    // The parameter-set name PlatyPS writes for "every set".
    private const string AllSets = "(All)";

    public static List<ParameterHelp> Read(Section section, IReadOnlyList<string> setNames)
    {
        if (section.Blocks.Count > 0)
        {
            throw new InvalidDataException("PARAMETERS has text outside a '### -<parameter>' heading");
        }
        var parameters = new List<ParameterHelp>();
        foreach (var subsection in section.Subsections)
        {
            // PowerShell describes the common parameters itself.
            if (subsection.Title == "CommonParameters")
            {
                continue;
            }
            if (!subsection.Title.StartsWith('-') || subsection.Title.Length < 2 || subsection.Title.Contains(' '))
            {
                throw new InvalidDataException($"'### {subsection.Title}' in PARAMETERS is neither '### -<parameter>' nor '### CommonParameters' (line {subsection.Line})");
            }
            var name = subsection.Title[1..];
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidDataException($"the parameter -{name} is described twice");
            }
            try
            {
                parameters.Add(ReadOne(name, subsection, setNames));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"-{name} (line {subsection.Line}): {e.Message}");
            }
        }
        return parameters;
    }

    private static ParameterHelp ReadOne(string name, Subsection subsection, IReadOnlyList<string> setNames)
    {
        var yamlBlocks = subsection.Blocks.Where(b => CommandPageReader.IsFence(b, "yaml")).ToList();
        if (yamlBlocks.Count != 1)
        {
            throw new InvalidDataException($"there must be exactly one ```yaml block, not {yamlBlocks.Count}");
        }
        var yaml = YamlReader.Parameter(PlainText.Code((LeafBlock)yamlBlocks[0]));
        if (string.IsNullOrWhiteSpace(yaml.Type))
        {
            throw new InvalidDataException("the yaml block has no Type");
        }
        if (yaml.ParameterSets.Count == 0)
        {
            throw new InvalidDataException("the yaml block lists no ParameterSets");
        }

        var bindings = new List<ParameterSetBinding>();
        foreach (var set in yaml.ParameterSets)
        {
            var targets = set.Name == AllSets ? setNames : [KnownSet(set.Name, setNames)];
            foreach (var target in targets)
            {
                if (bindings.Any(b => b.SetName == target))
                {
                    throw new InvalidDataException($"ParameterSets lists '{target}' twice");
                }
                bindings.Add(new ParameterSetBinding(
                    target, Position(set.Position), set.IsRequired, set.ValueFromPipeline,
                    set.ValueFromPipelineByPropertyName, set.ValueFromRemainingArguments));
            }
        }

        return new ParameterHelp(
            name,
            yaml.Type.Trim(),
            string.IsNullOrWhiteSpace(yaml.DefaultValue) ? "None" : yaml.DefaultValue.Trim(),
            yaml.SupportsWildcards,
            yaml.Aliases,
            bindings,
            yaml.AcceptedValues,
            yaml.DontShow,
            PlainText.Paragraphs(subsection.Blocks.Where(b => !CommandPageReader.IsFence(b, "yaml"))));
    }

    private static string KnownSet(string? name, IReadOnlyList<string> setNames) =>
        setNames.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidDataException($"ParameterSets names '{name}', which is not '{AllSets}' nor a parameter set of SYNTAX ({string.Join(", ", setNames)})");

    private static int? Position(string? position)
    {
        if (string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        throw new InvalidDataException($"Position '{position}' is neither 'Named' nor a number from 0");
    }
}
