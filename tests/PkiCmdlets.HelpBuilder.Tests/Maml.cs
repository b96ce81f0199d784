using System.Xml.Linq;
using PkiCmdlets.HelpBuilder.Maml;
using PkiCmdlets.HelpBuilder.Markdown;

namespace PkiCmdlets.HelpBuilder.Tests;

/// <summary>Converts page text to MAML and reads it back, as XML, the way the tests look at it.</summary>
internal static class Maml
{
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XElement Of(string page, string name)
    {
        var help = CommandPageReader.Parse(page, name);
        var text = new StringWriter();
        MamlWriter.Write([help], text);
        var document = XDocument.Parse(text.ToString());
        Assert.Equal("helpItems", document.Root!.Name.LocalName);
        Assert.Equal("maml", (string?)document.Root.Attribute("schema"));
        return Assert.Single(document.Root.Elements(Command + "command"));
    }

    public static List<string> Paras(XElement? parent) =>
        parent?.Elements(MamlNs + "para").Select(p => p.Value).ToList() ?? [];

    /// <summary>The parameter entry of the command:parameters list.</summary>
    public static XElement Parameter(XElement command, string name) =>
        Assert.Single(command.Element(Command + "parameters")!.Elements(Command + "parameter"),
            p => p.Element(MamlNs + "name")!.Value == name);

    public static string Attribute(XElement element, string name) => (string?)element.Attribute(name) ?? "(missing)";
}
