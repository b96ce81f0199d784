# Pester 5 tests of the help that ships: what Get-Help shows for every exported cmdlet of the loaded module.
# build.ps1 -Task Build always makes the MAML from docs/*.md, so missing help is a failure here, never a skip.
# What the docs page can be wrong about (position, pipeline input, aliases, type, required-ness, parameter sets)
# is compared with the cmdlet's own metadata; what only the page knows (default values, examples) with the page.

BeforeDiscovery {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    # The real common parameters; WhatIf and Confirm are documented on the pages and checked like the others.
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $CommandCases = @(Get-Command -Module PkiCmdlets -CommandType Cmdlet | Sort-Object -Property Name | ForEach-Object {
            @{
                Name       = $_.Name
                Parameters = @($_.Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object | ForEach-Object { @{ Parameter = $_ } })
            }
        })
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $DocsFolder = Join-Path (Get-PkiRepositoryRoot) 'docs'
    $CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-HelpText {
        # The text of MAML paragraphs as Get-Help returns them (objects with a Text property).
        param($Paragraphs)
        (@($Paragraphs | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n").Trim()
    }

    function Get-PageParameterYaml {
        # The yaml block of a '### -Name' section of a docs page, read here on its own so that the test does not
        # trust the converter it checks.
        param([string] $Page, [string] $Parameter)
        $pattern = '(?ms)^### -' + [regex]::Escape($Parameter) + '\r?\n.*?^```yaml\r?\n(.*?)^```'
        $match = [regex]::Match($Page, $pattern)
        if (-not $match.Success) {
            throw "The docs page has no yaml block for -$Parameter."
        }
        $match.Groups[1].Value
    }

    function Get-PageDefaultValue {
        # DefaultValue of a parameter's yaml block as a YAML scalar: plain, 'single-quoted' ('' is a quote) or
        # "double-quoted"; empty means None, as the converter writes it.
        param([string] $Page, [string] $Parameter)
        $line = [regex]::Match((Get-PageParameterYaml -Page $Page -Parameter $Parameter), '(?m)^DefaultValue:[ \t]*(.*?)[ \t]*\r?$')
        $value = $line.Groups[1].Value
        if ($value -match "^'(.*)'$") {
            $value = $Matches[1] -replace "''", "'"
        }
        elseif ($value -match '^"(.*)"$') {
            $value = $Matches[1]
        }
        if ([string]::IsNullOrWhiteSpace($value)) { 'None' } else { $value }
    }

    function Get-PipelineInputText {
        # How PowerShell words a parameter's pipeline input, over the given parameter sets' metadata.
        param($Bindings)
        $ways = @()
        if (@($Bindings | Where-Object { $_.ValueFromPipeline }).Count -gt 0) { $ways += 'ByValue' }
        if (@($Bindings | Where-Object { $_.ValueFromPipelineByPropertyName }).Count -gt 0) { $ways += 'ByPropertyName' }
        if (@($Bindings | Where-Object { $_.ValueFromRemainingArguments }).Count -gt 0) { $ways += 'FromRemainingArguments' }
        if ($ways.Count -eq 0) { 'False' } else { 'True (' + ($ways -join ', ') + ')' }
    }

    function Get-AcceptedValue {
        # The values a parameter is limited to: its ValidateSet, or the names of its enum type.
        param([System.Management.Automation.ParameterMetadata] $Metadata)
        $set = @($Metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
        if ($set.Count -gt 0) {
            return $set[0].ValidValues
        }
        $type = $Metadata.ParameterType
        if ($type.IsArray) { $type = $type.GetElementType() }
        $underlying = [Nullable]::GetUnderlyingType($type)
        if ($underlying) { $type = $underlying }
        if ($type.IsEnum) { [enum]::GetNames($type) }
    }

    function Get-PositionText {
        param([int] $Position)
        if ($Position -lt 0) { 'named' } else { "$Position" }
    }
}

Describe 'The module''s help files' {
    It 'has the MAML in en-US under both names Get-Help looks for, with every cmdlet in it' {
        $enUS = Join-Path $Module.ModuleBase 'en-US'
        foreach ($file in @('PkiCmdlets-help.xml', 'PkiCmdlets.dll-Help.xml')) {
            $path = Join-Path $enUS $file
            Test-Path -LiteralPath $path -PathType Leaf | Should -BeTrue -Because "Get-Help reads $file; build.ps1 -Task Build makes it from docs/"
            $document = New-Object System.Xml.XmlDocument
            $document.Load($path)
            $documented = @($document.SelectNodes("//*[local-name()='command']/*[local-name()='details']/*[local-name()='name']") | ForEach-Object { $_.InnerText })
            (@($documented | Sort-Object) -join ',') | Should -Be (@((Get-Command -Module PkiCmdlets -CommandType Cmdlet).Name | Sort-Object) -join ',')
        }
    }

    It 'has the about_PkiCmdlets topic, which Get-Help shows' {
        $topic = Get-Help -Name about_PkiCmdlets
        $topic | Should -Not -BeNullOrEmpty
        $text = $topic | Out-String
        $text | Should -Match 'about_PkiCmdlets'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'New-Csr'
    }
}

Describe 'Help for <Name>' -ForEach $CommandCases {
    BeforeAll {
        $Command = Get-Command -Name $Name -Module PkiCmdlets
        $Help = Get-Help -Name $Name -Full
        $Page = Get-Content -LiteralPath (Join-Path $DocsFolder "$Name.md") -Raw
        $HelpParameters = @{}
        foreach ($parameter in @($Help.parameters.parameter | Where-Object { $_ })) {
            $HelpParameters[$parameter.name] = $parameter
        }
        $Examples = @($Help.examples.example | Where-Object { $_ })
    }

    It 'comes from the MAML, not from the syntax PowerShell makes without help' {
        # Without help, Get-Help makes the synopsis from the syntax ('New-Csr [-CommonName] <string> ...').
        $synopsis = "$($Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match ('^' + [regex]::Escape($Name) + '\s+\[?-')
        $synopsis | Should -Not -Match '<CommonParameters>'
        $Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a description' {
        Get-HelpText $Help.description | Should -Not -BeNullOrEmpty
    }

    It 'documents exactly the cmdlet''s parameters' {
        $expected = @($Command.Parameters.Keys | Where-Object { $CommonParameters -notcontains $_ } | Sort-Object)
        (@($HelpParameters.Keys | Sort-Object) -join ', ') | Should -Be ($expected -join ', ')
    }

    It 'has one syntax item per parameter set, each with the set''s parameters, positions, required-ness, pipeline input and accepted values' {
        $items = @($Help.syntax.syntaxItem | Where-Object { $_ })
        $items.Count | Should -Be $Command.ParameterSets.Count
        foreach ($set in $Command.ParameterSets) {
            $real = @($set.Parameters | Where-Object { $CommonParameters -notcontains $_.Name })
            $names = (@($real.Name | Sort-Object) -join ',')
            $item = @($items | Where-Object { (@($_.parameter.name | Sort-Object) -join ',') -eq $names })
            $item.Count | Should -Be 1 -Because "parameter set '$($set.Name)' has $names"
            foreach ($parameter in $real) {
                $shown = @($item[0].parameter | Where-Object { $_.name -eq $parameter.Name })[0]
                $because = "-$($parameter.Name) in parameter set '$($set.Name)'"
                $shown.required | Should -Be "$($parameter.IsMandatory)".ToLowerInvariant() -Because $because
                $shown.position | Should -Be (Get-PositionText $parameter.Position) -Because $because
                $shown.pipelineInput | Should -Be (Get-PipelineInputText $parameter) -Because $because
                # Shown as -Format {Pem | Der | Pfx}.
                $values = @(Get-AcceptedValue $Command.Parameters[$parameter.Name])
                (@($shown.parameterValueGroup.parameterValue | Sort-Object) -join ', ') | Should -Be (@($values | Sort-Object) -join ', ') -Because $because
            }
        }
    }

    It 'describes -<Parameter> with its type, default value, aliases, position, pipeline input and required-ness' -ForEach $Parameters {
        $shown = $HelpParameters[$Parameter]
        $shown | Should -Not -BeNullOrEmpty -Because "-$Parameter should be in the help"
        $metadata = $Command.Parameters[$Parameter]
        $bindings = @($Command.ParameterSets | ForEach-Object { $_.Parameters } | Where-Object { $_.Name -eq $Parameter })

        Get-HelpText $shown.description | Should -Not -BeNullOrEmpty
        $shown.type.name | Should -Be $metadata.ParameterType.ToString()
        $shown.defaultValue | Should -Be (Get-PageDefaultValue -Page $Page -Parameter $Parameter) -Because 'the default value is the docs page''s'
        $aliases = if ($shown.aliases -eq 'none') { @() } else { @($shown.aliases -split ', ') }
        (@($aliases | Sort-Object) -join ', ') | Should -Be (@($metadata.Aliases | Sort-Object) -join ', ')
        $shown.pipelineInput | Should -Be (Get-PipelineInputText $bindings)
        # One entry per parameter: required when every set requires it, a position from a set that takes it by position.
        $shown.required | Should -Be "$(@($bindings | Where-Object { -not $_.IsMandatory }).Count -eq 0)".ToLowerInvariant()
        $positions = @($bindings | Where-Object { $_.Position -ge 0 } | ForEach-Object { "$($_.Position)" })
        if ($positions.Count -eq 0) {
            $shown.position | Should -Be 'named'
        }
        else {
            $positions | Should -Contain $shown.position
        }
        $wildcards = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
        $shown.globbing | Should -Be "$wildcards".ToLowerInvariant()
    }

    It 'has every example of its docs page, each with code that uses the cmdlet and remarks apart from the code' {
        $Examples.Count | Should -Be ([regex]::Matches($Page, '(?m)^### Example ').Count)
        $Examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Examples) {
            $code = "$($example.code)".Trim()
            $remarks = Get-HelpText $example.remarks
            $because = "of the example '$($example.title)'"
            "$($example.title)" | Should -Match 'Example \d+: \S' -Because $because
            $code | Should -Match ([regex]::Escape($Name)) -Because "the code $because should use $Name"
            $code | Should -Not -Match '```' -Because "the code $because is PowerShell, not markdown"
            $remarks | Should -Not -BeNullOrEmpty -Because "the remarks $because explain it"
            $remarks | Should -Not -Match '```'
            $remarks.Contains(($code -split "`n")[0].Trim()) | Should -BeFalse -Because "the remarks $because do not repeat its code"
            $code.Contains((@($example.remarks)[0].Text -split "`n")[0].Trim()) | Should -BeFalse -Because "the code $because does not hold its remarks"
        }
    }

    It 'has inputs, outputs, notes and related links' {
        $inputs = @($Help.inputTypes.inputType | Where-Object { $_ })
        $inputs.Count | Should -BeGreaterOrEqual 1
        $inputs | ForEach-Object { "$($_.type.name)".Trim() | Should -Not -BeNullOrEmpty }
        $outputs = @($Help.returnValues.returnValue | Where-Object { $_ })
        $outputs.Count | Should -BeGreaterOrEqual 1
        $outputs | ForEach-Object { "$($_.type.name)".Trim() | Should -Not -BeNullOrEmpty }
        Get-HelpText $Help.alertSet.alert | Should -Not -BeNullOrEmpty
        $links = @($Help.relatedLinks.navigationLink | Where-Object { $_ })
        $links.Count | Should -BeGreaterOrEqual 1
        $links | ForEach-Object { "$($_.linkText)".Trim() | Should -Not -BeNullOrEmpty }
    }
}
