using PkiCmdlets.HelpBuilder.Model;

namespace PkiCmdlets.HelpBuilder.Markdown;

/// <summary>
/// Orders a parameter set's parameters as its SYNTAX code block shows them (the order Get-Command prints), and
/// checks that the block and the parameters' yaml agree on which parameters the set has.
/// </summary>
internal static class SyntaxReader
{
    public static SyntaxSet Read(string setName, string syntaxText, IReadOnlyList<ParameterHelp> parameters)
    {
        var shown = new List<string>();
        // A parameter appears as -Name, [-Name], [[-Name] or -Name]; types (<string>) and <CommonParameters> don't start with '-'.
        foreach (var token in syntaxText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('[', ']')))
        {
            if (token.Length < 2 || token[0] != '-')
            {
                continue;
            }
            var name = token[1..];
            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidDataException($"the syntax of parameter set '{setName}' shows -{name}, which has no '### -{name}' section");
            if (parameter.In(setName) is null)
            {
                throw new InvalidDataException($"the syntax of parameter set '{setName}' shows -{name}, but the yaml of -{name} does not put it in that set");
            }
            if (!shown.Contains(parameter.Name))
            {
                shown.Add(parameter.Name);
            }
        }
        var missing = parameters.Where(p => p.In(setName) is not null && !p.DontShow && !shown.Contains(p.Name)).Select(p => "-" + p.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"the yaml puts {string.Join(", ", missing)} in parameter set '{setName}', but its syntax does not show them");
        }
        return new SyntaxSet(setName, shown.Where(n => !parameters.First(p => p.Name == n).DontShow).ToList());
    }
}
