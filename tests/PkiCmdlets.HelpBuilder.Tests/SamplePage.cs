namespace PkiCmdlets.HelpBuilder.Tests;

/// <summary>A small cmdlet page in PlatyPS 1.x markdown that uses every part of the format the converter reads.</summary>
internal static class SamplePage
{
    public const string Name = "Get-Widget";

    public const string Text = """
        ---
        document type: cmdlet
        external help file: Widgets.dll-Help.xml
        HelpUri: ''
        Locale: en-US
        Module Name: Widgets
        ms.date: 11/22/2026
        PlatyPS schema version: 2024-05-01
        title: Get-Widget
        ---

        # Get-Widget

        ## SYNOPSIS

        Gets widgets from the **widget** store.

        ## SYNTAX

        ### Name (Default)

        ```
        Get-Widget [[-Name] <string[]>] [[-Path] <string>] [-Format <string>] [-Force] [<CommonParameters>]
        ```

        ### Id

        ```
        Get-Widget -Id <int[]> -Path <string> [-Format <string>] [-Force] [<CommonParameters>]
        ```

        ## ALIASES

        ## DESCRIPTION

        The `Get-Widget` cmdlet gets *widgets*. See [the widget guide](https://example.com/widgets) for
        more.

        - First point.
        - Second point.

        ## EXAMPLES

        ### Example 1: Get all widgets

        This example gets every widget.

        ```powershell
        Get-Widget
        ```

        ```Output
           Id Name
           -- ----
            1 blue
        ```

        The list is sorted by **Id**.

        ### Example 2: Get one widget and show it

        ```powershell
        $widget = Get-Widget -Id 1
        ```

        ```powershell
        $widget | Format-List
        ```

        The second command shows the widget.

        ## PARAMETERS

        ### -Force

        Gets hidden widgets too.

        ```yaml
        Type: System.Management.Automation.SwitchParameter
        DefaultValue: False
        SupportsWildcards: false
        ParameterValue: []
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Format

        Specifies the format.

        ```yaml
        Type: System.String
        DefaultValue: Pem
        SupportsWildcards: false
        ParameterValue: []
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues:
        - Pem
        - Der
        HelpMessage: ''
        ```

        ### -Hidden

        Not for users.

        ```yaml
        Type: System.String
        DefaultValue: None
        SupportsWildcards: false
        ParameterValue: []
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: true
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Id

        Specifies the widget numbers.

        ```yaml
        Type: System.Int32[]
        DefaultValue: None
        SupportsWildcards: false
        ParameterValue: []
        Aliases: []
        ParameterSets:
        - Name: Id
          Position: Named
          IsRequired: true
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: true
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Name

        Specifies widget names. Wildcards are permitted.

        ```yaml
        Type: System.String[]
        DefaultValue: 'All widgets'
        SupportsWildcards: true
        ParameterValue: []
        Aliases:
        - WidgetName
        - WN
        ParameterSets:
        - Name: Name
          Position: 0
          IsRequired: false
          ValueFromPipeline: true
          ValueFromPipelineByPropertyName: true
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Path

        Specifies the store file.

        ```yaml
        Type: System.String
        DefaultValue: '$env:WIDGETS, else the user''s store'
        SupportsWildcards: false
        ParameterValue: []
        Aliases:
        - PSPath
        ParameterSets:
        - Name: Name
          Position: 1
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: true
          ValueFromRemainingArguments: false
        - Name: Id
          Position: Named
          IsRequired: true
          ValueFromPipeline: true
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### CommonParameters

        This cmdlet supports the common parameters. For more information, see
        [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).

        ## INPUTS

        ### System.String

        You can pipe a store path.

        ## OUTPUTS

        ### Widgets.Widget

        One object per widget.

        ## NOTES

        `Get-Widget` reports `WidgetNotFound`.

        ## RELATED LINKS

        - [Set-Widget](Set-Widget.md)
        - [Widget guide](https://example.com/widgets)
        """;
}
