using System.Globalization;
using System.Text;
using System.Xml;
using PkiCmdlets.HelpBuilder.Model;

namespace PkiCmdlets.HelpBuilder.Maml;

/// <summary>
/// Writes commands as the MAML that Get-Help reads for a binary module's cmdlets: one helpItems file with a
/// command:command per cmdlet, in the shape PowerShell's own help files have.
/// </summary>
internal static class MamlWriter
{
    private const string MshNs = "http://msh";
    private const string MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    private const string CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MSHelpNs = "http://msdn.microsoft.com/mshelp";

    public static void Write(IEnumerable<CommandHelp> commands, TextWriter output)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false) };
        using var xml = XmlWriter.Create(output, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("helpItems", MshNs);
        xml.WriteAttributeString("schema", "maml");
        foreach (var command in commands)
        {
            WriteCommand(xml, command);
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp command)
    {
        xml.WriteStartElement("command", "command", CommandNs);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNs);
        xml.WriteAttributeString("xmlns", "command", null, CommandNs);
        xml.WriteAttributeString("xmlns", "dev", null, DevNs);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelpNs);

        xml.WriteStartElement("command", "details", CommandNs);
        xml.WriteElementString("command", "name", CommandNs, command.Name);
        xml.WriteElementString("command", "verb", CommandNs, command.Verb);
        xml.WriteElementString("command", "noun", CommandNs, command.Noun);
        WriteDescription(xml, command.Synopsis);
        xml.WriteEndElement();

        WriteDescription(xml, command.Description);

        xml.WriteStartElement("command", "syntax", CommandNs);
        foreach (var set in command.Syntax)
        {
            xml.WriteStartElement("command", "syntaxItem", CommandNs);
            xml.WriteElementString("maml", "name", MamlNs, command.Name);
            foreach (var name in set.ParameterNames)
            {
                var parameter = command.Parameters.First(p => p.Name == name);
                WriteParameter(xml, parameter, parameter.In(set.Name)!, inSyntax: true);
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("command", "parameters", CommandNs);
        foreach (var parameter in command.Parameters.Where(p => !p.DontShow))
        {
            WriteParameter(xml, parameter, parameter.Summary(command.Syntax), inSyntax: false);
        }
        xml.WriteEndElement();

        WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
        WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

        xml.WriteStartElement("maml", "alertSet", MamlNs);
        xml.WriteStartElement("maml", "alert", MamlNs);
        WriteParagraphs(xml, command.Notes);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("command", "examples", CommandNs);
        foreach (var example in command.Examples)
        {
            xml.WriteStartElement("command", "example", CommandNs);
            xml.WriteElementString("maml", "title", MamlNs, Title(example.Title));
            xml.WriteElementString("dev", "code", DevNs, example.Code);
            xml.WriteStartElement("dev", "remarks", DevNs);
            WriteParagraphs(xml, example.Remarks);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("command", "relatedLinks", CommandNs);
        foreach (var link in command.RelatedLinks)
        {
            xml.WriteStartElement("maml", "navigationLink", MamlNs);
            xml.WriteElementString("maml", "linkText", MamlNs, link.Text);
            xml.WriteElementString("maml", "uri", MamlNs, link.Uri);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, ParameterSetBinding binding, bool inSyntax)
    {
        var variableLength = parameter.IsArray ? "true" : "false";
        xml.WriteStartElement("command", "parameter", CommandNs);
        xml.WriteAttributeString("required", binding.IsRequired ? "true" : "false");
        xml.WriteAttributeString("variableLength", variableLength);
        xml.WriteAttributeString("globbing", parameter.SupportsWildcards ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", PipelineInput(binding));
        xml.WriteAttributeString("position", binding.Position?.ToString(CultureInfo.InvariantCulture) ?? "named");
        xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        xml.WriteElementString("maml", "name", MamlNs, parameter.Name);
        // Get-Help shows a syntax item's parameters without their descriptions; those are read from command:parameters.
        if (!inSyntax)
        {
            WriteDescription(xml, parameter.Description);
        }
        if (inSyntax && parameter.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNs);
            foreach (var value in parameter.AcceptedValues)
            {
                xml.WriteStartElement("command", "parameterValue", CommandNs);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("variableLength", "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        // A switch takes no value: the syntax shows [-Name], not [-Name <SwitchParameter>].
        if (!(inSyntax && parameter.IsSwitch))
        {
            xml.WriteStartElement("command", "parameterValue", CommandNs);
            xml.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", variableLength);
            xml.WriteString(parameter.Type);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("dev", "type", DevNs);
        xml.WriteElementString("maml", "name", MamlNs, parameter.Type);
        xml.WriteElementString("maml", "uri", MamlNs, "");
        xml.WriteEndElement();
        xml.WriteElementString("dev", "defaultValue", DevNs, parameter.DefaultValue);
        xml.WriteEndElement();
    }

    /// <summary>The text PowerShell itself uses for a parameter's pipeline input.</summary>
    public static string PipelineInput(ParameterSetBinding binding)
    {
        var ways = new List<string>();
        if (binding.ByValue) ways.Add("ByValue");
        if (binding.ByPropertyName) ways.Add("ByPropertyName");
        if (binding.FromRemainingArguments) ways.Add("FromRemainingArguments");
        return ways.Count == 0 ? "False" : "True (" + string.Join(", ", ways) + ")";
    }

    private static void WriteTypes(XmlWriter xml, string listName, string itemName, IReadOnlyList<TypeHelp> types)
    {
        xml.WriteStartElement("command", listName, CommandNs);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemName, CommandNs);
            xml.WriteStartElement("dev", "type", DevNs);
            xml.WriteElementString("maml", "name", MamlNs, type.Name);
            xml.WriteEndElement();
            WriteDescription(xml, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter xml, IReadOnlyList<string> paragraphs)
    {
        xml.WriteStartElement("maml", "description", MamlNs);
        WriteParagraphs(xml, paragraphs);
        xml.WriteEndElement();
    }

    /// <summary>The title between dashes, which is how Get-Help sets example titles apart.</summary>
    public static string Title(string title) => "---------- " + title + " ----------";

    /// <summary>
    /// Get-Help trims each maml:para, which would take the indentation off the first line of preformatted text
    /// (command output, a list item's second paragraph). Such a paragraph is joined to the one before it, after
    /// a blank line, so that it looks the same and keeps its indentation.
    /// </summary>
    public static List<string> Paras(IReadOnlyList<string> paragraphs)
    {
        var paras = new List<string>();
        foreach (var paragraph in paragraphs)
        {
            if (paras.Count > 0 && paragraph.Length > 0 && char.IsWhiteSpace(paragraph[0]))
            {
                paras[^1] += "\n\n" + paragraph;
            }
            else
            {
                paras.Add(paragraph);
            }
        }
        return paras;
    }

    private static void WriteParagraphs(XmlWriter xml, IReadOnlyList<string> paragraphs)
    {
        foreach (var para in Paras(paragraphs))
        {
            xml.WriteElementString("maml", "para", MamlNs, para);
        }
    }
}
