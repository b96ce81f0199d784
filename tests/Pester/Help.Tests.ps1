# Pester 5 help-quality tests for every exported cmdlet. The MAML help is made by 'build.ps1 -Task Docs' from
# docs/*.md; when the loaded module has no en-US/PkiCmdlets-help.xml these tests are skipped.

BeforeDiscovery {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $module = Import-PkiCmdletsModule
    $MamlPath = Join-Path (Join-Path $module.ModuleBase 'en-US') 'PkiCmdlets-help.xml'
    $HasMaml = Test-Path -LiteralPath $MamlPath -PathType Leaf
    $CommandCases = @(Get-Command -Module PkiCmdlets -CommandType Cmdlet | Sort-Object -Property Name | ForEach-Object { @{ Name = $_.Name } })
    if (-not $HasMaml) {
        Write-Warning "Help tests are skipped: '$MamlPath' does not exist. Run './build.ps1 -Task Docs, Build' (needs Microsoft.PowerShell.PlatyPS) to make it."
    }
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $MamlPath = Join-Path (Join-Path $Module.ModuleBase 'en-US') 'PkiCmdlets-help.xml'
    $CommonParameters = Get-PkiCommonParameterName
}

Describe 'Help' {
    It 'has the MAML help file in the module folder' {
        if (-not (Test-Path -LiteralPath $MamlPath -PathType Leaf)) {
            Set-ItResult -Skipped -Because "'$MamlPath' does not exist; run './build.ps1 -Task Docs, Build' to make it"
            return
        }
        $document = New-Object System.Xml.XmlDocument
        $document.Load($MamlPath)
        $documented = @($document.SelectNodes("//*[local-name()='command']/*[local-name()='details']/*[local-name()='name']") | ForEach-Object { $_.InnerText.Trim() })
        foreach ($cmdlet in @(Get-Command -Module PkiCmdlets -CommandType Cmdlet | ForEach-Object { $_.Name })) {
            $documented | Should -Contain $cmdlet
        }
    }
}

Describe 'Help for <Name>' -ForEach $CommandCases {
    BeforeAll {
        $Command = Get-Command -Name $Name -Module PkiCmdlets
        $Help = Get-Help -Name $Name -Full
    }

    It 'has a synopsis that is not the generated syntax' -Skip:(-not $HasMaml) {
        $synopsis = "$($Help.Synopsis)".Trim()

        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match '<CommonParameters>'
        # Without help, PowerShell makes the synopsis from the syntax: 'New-Csr [-CommonName] <string> ...'.
        $synopsis | Should -Not -Match ('^' + [regex]::Escape($Name) + '\s+\[?-')
    }

    It 'has a description' -Skip:(-not $HasMaml) {
        $description = (@($Help.Description | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n").Trim()

        $description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code that uses the cmdlet' -Skip:(-not $HasMaml) {
        $examples = @($Help.Examples.Example | Where-Object { $_ })

        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $code = "$($example.Code)".Trim()
            $code | Should -Not -BeNullOrEmpty -Because "every example of $Name should have code"
            $code | Should -Match ([regex]::Escape($Name)) -Because "an example of $Name should use it"
        }
    }

    It 'describes every parameter' -Skip:(-not $HasMaml) {
        $descriptions = @{}
        foreach ($parameter in @($Help.Parameters.Parameter | Where-Object { $_ })) {
            $descriptions[$parameter.Name] = (@($parameter.Description | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n").Trim()
        }

        $undocumented = @($Command.Parameters.Keys |
                Where-Object { $CommonParameters -notcontains $_ } |
                Where-Object { -not $descriptions.ContainsKey($_) -or [string]::IsNullOrWhiteSpace($descriptions[$_]) } |
                Sort-Object)

        ($undocumented -join ', ') | Should -BeNullOrEmpty -Because "every parameter of $Name should have a description"
    }
}
