using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace PkiCmdlets.HelpBuilder.Yaml;

/// <summary>Reads the page's front matter and the parameters' yaml blocks; an unknown key is an error, not lost.</summary>
internal static class YamlReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static Dictionary<string, string> FrontMatter(string yaml) =>
        Read<Dictionary<string, string?>>(yaml, "front matter")
            .ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.OrdinalIgnoreCase);

    public static ParameterYaml Parameter(string yaml) => Read<ParameterYaml>(yaml, "yaml block");

    private static T Read<T>(string yaml, string what) where T : new()
    {
        try
        {
            return Deserializer.Deserialize<T?>(yaml) ?? new T();
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new InvalidDataException($"the {what} is not valid (line {e.Start.Line}): {reason}");
        }
    }
}
