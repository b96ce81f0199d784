using System.Xml.Linq;
using static PkiCmdlets.HelpBuilder.Tests.Maml;

namespace PkiCmdlets.HelpBuilder.Tests;

public sealed class MamlRoundTripTests
{
    private readonly XElement _command = Of(SamplePage.Text, SamplePage.Name);

    [Fact]
    public void Details_hold_the_name_verb_noun_and_synopsis_as_plain_text()
    {
        var details = _command.Element(Command + "details")!;
        Assert.Equal("Get-Widget", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("Widget", details.Element(Command + "noun")!.Value);
        Assert.Equal(["Gets widgets from the widget store."], Paras(details.Element(MamlNs + "description")));
    }

    [Fact]
    public void Description_drops_markdown_markup_and_keeps_list_items_as_paragraphs()
    {
        Assert.Equal(
            ["The Get-Widget cmdlet gets widgets. See the widget guide for more.", "- First point.", "- Second point."],
            Paras(_command.Element(MamlNs + "description")));
    }

    [Fact]
    public void Every_default_value_survives_as_written_on_the_page()
    {
        Assert.Equal("False", DefaultValue("Force"));
        Assert.Equal("Pem", DefaultValue("Format"));
        Assert.Equal("None", DefaultValue("Id"));
        Assert.Equal("All widgets", DefaultValue("Name"));
        Assert.Equal("$env:WIDGETS, else the user's store", DefaultValue("Path"));
    }

    [Fact]
    public void Aliases_types_and_wildcards_are_attributes_and_elements_of_each_parameter()
    {
        Assert.Equal("WidgetName, WN", Attribute(Parameter(_command, "Name"), "aliases"));
        Assert.Equal("none", Attribute(Parameter(_command, "Id"), "aliases"));
        Assert.Equal("true", Attribute(Parameter(_command, "Name"), "globbing"));
        Assert.Equal("false", Attribute(Parameter(_command, "Id"), "globbing"));
        Assert.Equal("true", Attribute(Parameter(_command, "Name"), "variableLength"));
        Assert.Equal("System.String[]", Parameter(_command, "Name").Element(Dev + "type")!.Element(MamlNs + "name")!.Value);
        Assert.Equal("System.String[]", Parameter(_command, "Name").Element(Command + "parameterValue")!.Value);
        Assert.Equal(["Specifies the format."], Paras(Parameter(_command, "Format").Element(MamlNs + "description")));
    }

    [Fact]
    public void Pipeline_input_positions_and_required_are_written_as_Get_Help_shows_them()
    {
        Assert.Equal("True (ByValue, ByPropertyName)", Attribute(Parameter(_command, "Name"), "pipelineInput"));
        Assert.Equal("True (ByPropertyName)", Attribute(Parameter(_command, "Id"), "pipelineInput"));
        Assert.Equal("False", Attribute(Parameter(_command, "Force"), "pipelineInput"));
        Assert.Equal("0", Attribute(Parameter(_command, "Name"), "position"));
        Assert.Equal("named", Attribute(Parameter(_command, "Id"), "position"));
        Assert.Equal("true", Attribute(Parameter(_command, "Id"), "required"));
        Assert.Equal("false", Attribute(Parameter(_command, "Force"), "required"));
    }

    [Fact]
    public void A_parameter_whose_sets_differ_is_exact_in_each_syntax_item_and_summed_up_once_in_the_parameters()
    {
        var byName = SyntaxParameter("Name", "Path");
        Assert.Equal(("1", "false", "True (ByPropertyName)"), (Attribute(byName, "position"), Attribute(byName, "required"), Attribute(byName, "pipelineInput")));
        var byId = SyntaxParameter("Id", "Path");
        Assert.Equal(("named", "true", "True (ByValue)"), (Attribute(byId, "position"), Attribute(byId, "required"), Attribute(byId, "pipelineInput")));

        // One entry: required only when every set requires it, the first set's position, every pipeline binding.
        var entry = Parameter(_command, "Path");
        Assert.Equal(("1", "false", "True (ByValue, ByPropertyName)", "PSPath"),
            (Attribute(entry, "position"), Attribute(entry, "required"), Attribute(entry, "pipelineInput"), Attribute(entry, "aliases")));
        Assert.Single(_command.Element(Command + "parameters")!.Elements(Command + "parameter"), p => p.Element(MamlNs + "name")!.Value == "Path");
    }

    [Fact]
    public void Syntax_has_one_item_per_parameter_set_with_its_parameters_in_the_pages_order()
    {
        var items = _command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-Widget", i.Element(MamlNs + "name")!.Value));
        Assert.Equal(["Name", "Path", "Format", "Force"], SyntaxNames(items[0]));
        Assert.Equal(["Id", "Path", "Format", "Force"], SyntaxNames(items[1]));

        // A switch shows as [-Force], and accepted values as {Pem | Der}.
        Assert.Null(SyntaxParameter("Name", "Force").Element(Command + "parameterValue"));
        Assert.Equal(["Pem", "Der"], SyntaxParameter("Name", "Format").Element(Command + "parameterValueGroup")!
            .Elements(Command + "parameterValue").Select(v => v.Value));
    }

    [Fact]
    public void A_DontShow_parameter_and_the_common_parameters_are_left_out()
    {
        var names = _command.Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Element(MamlNs + "name")!.Value);
        Assert.Equal(["Force", "Format", "Id", "Name", "Path"], names);
    }

    [Fact]
    public void Example_code_is_the_powershell_fences_only_and_the_remarks_hold_the_prose_and_output()
    {
        var examples = _command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(2, examples.Count);

        Assert.Equal("---------- Example 1: Get all widgets ----------", examples[0].Element(MamlNs + "title")!.Value);
        Assert.Equal("Get-Widget", examples[0].Element(Dev + "code")!.Value);
        // Get-Help trims each paragraph, so the output table is joined to the paragraph before it and keeps its indentation.
        Assert.Equal(
            ["This example gets every widget.\n\n   Id Name\n   -- ----\n    1 blue", "The list is sorted by Id."],
            Paras(examples[0].Element(Dev + "remarks")).Select(p => p.ReplaceLineEndings("\n")));

        Assert.Equal("$widget = Get-Widget -Id 1\n\n$widget | Format-List", examples[1].Element(Dev + "code")!.Value.ReplaceLineEndings("\n"));
        Assert.Equal(["The second command shows the widget."], Paras(examples[1].Element(Dev + "remarks")));
        Assert.DoesNotContain(examples, e => e.Element(Dev + "code")!.Value.Contains("```", StringComparison.Ordinal));
    }

    [Fact]
    public void Related_links_keep_web_addresses_and_drop_the_addresses_of_other_pages()
    {
        var links = _command.Element(Command + "relatedLinks")!.Elements(MamlNs + "navigationLink")
            .Select(l => (l.Element(MamlNs + "linkText")!.Value, l.Element(MamlNs + "uri")!.Value));
        Assert.Equal([("Set-Widget", ""), ("Widget guide", "https://example.com/widgets")], links);
    }

    [Fact]
    public void Inputs_outputs_and_notes_are_written()
    {
        var input = Assert.Single(_command.Element(Command + "inputTypes")!.Elements(Command + "inputType"));
        Assert.Equal("System.String", input.Element(Dev + "type")!.Element(MamlNs + "name")!.Value);
        Assert.Equal(["You can pipe a store path."], Paras(input.Element(MamlNs + "description")));
        var output = Assert.Single(_command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
        Assert.Equal("Widgets.Widget", output.Element(Dev + "type")!.Element(MamlNs + "name")!.Value);
        Assert.Equal(["Get-Widget reports WidgetNotFound."], Paras(_command.Element(MamlNs + "alertSet")!.Element(MamlNs + "alert")));
    }

    [Fact]
    public void A_HelpUri_in_the_front_matter_becomes_the_first_related_link()
    {
        var command = Of(SamplePage.Text.Replace("HelpUri: ''", "HelpUri: https://example.com/get-widget", StringComparison.Ordinal), SamplePage.Name);
        var first = command.Element(Command + "relatedLinks")!.Elements(MamlNs + "navigationLink").First();
        Assert.Equal(("Online Version:", "https://example.com/get-widget"), (first.Element(MamlNs + "linkText")!.Value, first.Element(MamlNs + "uri")!.Value));
    }

    private string DefaultValue(string parameter) => Parameter(_command, parameter).Element(Dev + "defaultValue")!.Value;

    private XElement SyntaxParameter(string set, string parameter)
    {
        var items = _command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        var item = items[set == "Name" ? 0 : 1];
        return Assert.Single(item.Elements(Command + "parameter"), p => p.Element(MamlNs + "name")!.Value == parameter);
    }

    private static List<string> SyntaxNames(XElement item) =>
        item.Elements(Command + "parameter").Select(p => p.Element(MamlNs + "name")!.Value).ToList();
}
