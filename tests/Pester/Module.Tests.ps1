# Pester 5 tests of the built module as a whole: manifest, exported commands, conventions, files, formatting.

BeforeDiscovery {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    # What each command is decides which convention tests apply to it (so none is skipped): discovery sees these.
    $CommandCases = @(Get-Command -Module PkiCmdlets -CommandType Cmdlet | Sort-Object -Property Name | ForEach-Object {
            $attribute = @($_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false))[0]
            @{
                Name                  = $_.Name
                Verb                  = $_.Verb
                SupportsShouldProcess = $attribute.SupportsShouldProcess
                HasKeyParameters      = $_.Parameters.ContainsKey('Algorithm') -or $_.Parameters.ContainsKey('KeySize')
            }
        })
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $ManifestPath = Join-Path $Module.ModuleBase 'PkiCmdlets.psd1'
    $Manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $ExpectedVersion = Get-PkiModuleVersion
    $RepositoryRoot = Get-PkiRepositoryRoot
}

Describe 'PkiCmdlets module' {
    Context 'Manifest' {
        It 'passes Test-ModuleManifest' {
            $info = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop

            $info.Name | Should -Be 'PkiCmdlets'
            $info.Version.ToString() | Should -Be $ExpectedVersion
            $info.RootModule | Should -Be 'PkiCmdlets.dll'
        }

        It 'is the version of the repository manifest' {
            $Module.Version.ToString() | Should -Be $ExpectedVersion
        }

        It 'exports exactly the cmdlets that CmdletsToExport lists' {
            $exported = @(Get-Command -Module PkiCmdlets -CommandType Cmdlet | ForEach-Object { $_.Name } | Sort-Object)
            $listed = @($Manifest['CmdletsToExport'] | Sort-Object)

            $listed.Count | Should -BeGreaterThan 0
            ($exported -join ',') | Should -Be ($listed -join ',')
            # Besides the cmdlets, only the aliases that keep the certificate cmdlets' old names (see the manifest).
            @(Get-Command -Module PkiCmdlets | Where-Object { $_.CommandType -notin 'Cmdlet', 'Alias' }).Count | Should -Be 0
        }

        It 'lists every cmdlet class of the assembly in CmdletsToExport' {
            $listed = @($Manifest['CmdletsToExport'])
            $assembly = (Get-Command -Name $listed[0] -Module PkiCmdlets).ImplementingType.Assembly
            $declared = @($assembly.GetExportedTypes() |
                    Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and -not $_.IsAbstract } |
                    ForEach-Object {
                        $attribute = @($_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false))
                        if ($attribute.Count -gt 0) { '{0}-{1}' -f $attribute[0].VerbName, $attribute[0].NounName }
                    } |
                    Sort-Object)

            ($declared -join ',') | Should -Be (@($listed | Sort-Object) -join ',')
        }

        It 'uses explicit export lists, without wildcards, and exports no functions or variables, and only the aliases it lists' {
            foreach ($key in @('CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport')) {
                $Manifest.ContainsKey($key) | Should -BeTrue -Because "$key should be in the manifest"
                @($Manifest[$key] | Where-Object { "$_" -match '\*' }).Count | Should -Be 0 -Because "$key should not use wildcards"
            }
            $Module.ExportedFunctions.Count | Should -Be 0
            (@($Module.ExportedAliases.Keys | Sort-Object) -join ',') | Should -Be (@($Manifest['AliasesToExport'] | Sort-Object) -join ',')
            $Module.ExportedVariables.Count | Should -Be 0
        }

        It 'keeps the names the certificate cmdlets had before client certificates, as aliases of the general names' {
            $expected = [ordered]@{
                'Get-ServerCertificate'    = 'Get-IssuedCertificate'
                'Export-ServerCertificate' = 'Export-IssuedCertificate'
                'Revoke-ServerCertificate' = 'Revoke-IssuedCertificate'
            }
            (@($Manifest['AliasesToExport'] | Sort-Object) -join ',') | Should -Be (@($expected.Keys | Sort-Object) -join ',')
            foreach ($alias in $expected.Keys) {
                $command = Get-Command -Name $alias -Module PkiCmdlets
                $command.CommandType | Should -Be 'Alias'
                $command.ResolvedCommand.Name | Should -Be $expected[$alias]
                (Get-Help -Name $alias).Name | Should -Be $expected[$alias]
            }
        }

        It 'runs in Windows PowerShell 5.1 and PowerShell 7' {
            $Manifest['PowerShellVersion'] | Should -Be '5.1'
            @($Manifest['CompatiblePSEditions']) | Should -Contain 'Desktop'
            @($Manifest['CompatiblePSEditions']) | Should -Contain 'Core'
        }
    }

    Context 'Module folder' {
        It 'holds exactly the files Import-Module needs, the core and third-party assemblies in dependencies/' {
            $files = @(Get-ChildItem -LiteralPath $Module.ModuleBase -File | ForEach-Object { $_.Name } | Sort-Object)
            $dependencies = @(Get-ChildItem -LiteralPath (Join-Path $Module.ModuleBase 'dependencies') -File | ForEach-Object { $_.Name } | Sort-Object)
            $folders = @(Get-ChildItem -LiteralPath $Module.ModuleBase -Directory | ForEach-Object { $_.Name } | Sort-Object)

            ($files -join ',') | Should -Be 'PkiCmdlets.dll,PkiCmdlets.format.ps1xml,PkiCmdlets.psd1,PkiCmdlets.types.ps1xml'
            ($dependencies -join ',') | Should -Be 'BouncyCastle.Cryptography.dll,Newtonsoft.Json.dll,PkiCmdlets.Core.dll'
            ($folders -join ',') | Should -Be 'dependencies,en-US'
        }

        It 'ships BouncyCastle.Cryptography 2.7.0' {
            $path = Join-Path (Join-Path $Module.ModuleBase 'dependencies') 'BouncyCastle.Cryptography.dll'

            (Get-Item -LiteralPath $path).VersionInfo.ProductVersion | Should -BeLike '2.7.0*'
        }

        It 'does not ship System.Management.Automation.dll, which PowerShell provides' {
            @(Get-ChildItem -LiteralPath $Module.ModuleBase -Recurse -File | Where-Object { $_.Name -eq 'System.Management.Automation.dll' }).Count |
                Should -Be 0
        }

        It 'ships the about topics of the repository en-US folder and the MAML built from docs/' {
            $about = @(Get-ChildItem -LiteralPath (Join-Path $RepositoryRoot 'en-US') -File -Filter 'about_*.help.txt' | ForEach-Object { $_.Name })
            # The MAML is there under the assembly's name too, where Get-Help looks first for a binary module's cmdlets.
            $expected = @($about) + @('PkiCmdlets-help.xml', 'PkiCmdlets.dll-Help.xml')
            $shipped = @(Get-ChildItem -LiteralPath (Join-Path $Module.ModuleBase 'en-US') -File | ForEach-Object { $_.Name } | Sort-Object)

            $about.Count | Should -BeGreaterThan 0
            ($shipped -join ',') | Should -Be (@($expected | Sort-Object) -join ',')
        }

        It 'has assemblies stamped with the module version' {
            $version = [version]$ExpectedVersion
            $expected = '{0}.{1}.{2}.0' -f $version.Major, $version.Minor, [Math]::Max($version.Build, 0)
            foreach ($name in @('PkiCmdlets.dll', (Join-Path 'dependencies' 'PkiCmdlets.Core.dll'))) {
                $path = Join-Path $Module.ModuleBase $name
                [System.Reflection.AssemblyName]::GetAssemblyName($path).Version.ToString() | Should -Be $expected -Because "$name AssemblyVersion"
                (Get-Item -LiteralPath $path).VersionInfo.FileVersion | Should -Be $expected -Because "$name FileVersion"
            }
        }
    }

    Context 'Command <Name>' -ForEach $CommandCases {
        BeforeAll {
            $Command = Get-Command -Name $Name -Module PkiCmdlets
            $Attribute = @($Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false))[0]
            $ReadOnlyVerbs = @('Get', 'Test', 'Find', 'Search', 'Show', 'Measure', 'Resolve', 'Compare', 'Select', 'Read', 'Watch', 'Format', 'ConvertTo', 'ConvertFrom')
            $ChangingVerbs = @('New', 'Set', 'Remove', 'Add', 'Clear', 'Rename', 'Move', 'Copy', 'Revoke', 'Publish', 'Unpublish',
                'Submit', 'Complete', 'Request', 'Update', 'Import', 'Export', 'Register', 'Unregister', 'Reset', 'Restore', 'Install', 'Uninstall', 'Unlock', 'Lock')
        }

        It 'uses an approved verb' {
            @(Get-Verb | ForEach-Object { $_.Verb }) | Should -Contain $Command.Verb
        }

        It 'has a -StorePath parameter' {
            $Command.Parameters.ContainsKey('StorePath') | Should -BeTrue
            $Command.Parameters['StorePath'].ParameterType | Should -Be ([string])
        }

        It 'declares its output type' {
            @($Command.OutputType).Count | Should -BeGreaterThan 0
            foreach ($outputType in @($Command.OutputType)) {
                $outputType.Type | Should -Not -BeNullOrEmpty -Because "[OutputType] '$($outputType.Name)' should resolve to a loaded type"
            }
        }

        It 'supports ShouldProcess exactly when its verb changes state' {
            $ChangingVerbs + $ReadOnlyVerbs | Should -Contain $Command.Verb -Because 'every verb the module uses should be in one of the two lists of this test'
            $Attribute.SupportsShouldProcess | Should -Be ($ChangingVerbs -contains $Command.Verb)
        }

        if ($SupportsShouldProcess) {
            It 'has -WhatIf and -Confirm, as it supports ShouldProcess' {
                $Command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
                $Command.Parameters.ContainsKey('Confirm') | Should -BeTrue
            }
        }

        if ($Verb -eq 'Remove') {
            It 'asks for confirmation by default and has -PassThru, as it removes something' {
                "$($Attribute.ConfirmImpact)" | Should -Be 'High'
                $Command.Parameters.ContainsKey('PassThru') | Should -BeTrue
            }
        }

        It 'takes secrets only as SecureString or PSCredential' {
            # A switch such as -NoPassword names a choice, not a secret.
            $secrets = @($Command.Parameters.Values |
                    Where-Object { $_.Name -match 'Password|Secret|Passphrase|Credential|Pin$' -and $_.ParameterType -ne [switch] })
            foreach ($parameter in $secrets) {
                @([System.Security.SecureString], [System.Management.Automation.PSCredential]) |
                    Should -Contain $parameter.ParameterType -Because "-$($parameter.Name) carries a secret"
            }
        }

        if ($HasKeyParameters) {
            It 'offers the New-SelfSignedCertificate names KeyAlgorithm and KeyLength as aliases' {
                if ($Command.Parameters.ContainsKey('Algorithm')) {
                    @($Command.Parameters['Algorithm'].Aliases) | Should -Contain 'KeyAlgorithm'
                }
                if ($Command.Parameters.ContainsKey('KeySize')) {
                    @($Command.Parameters['KeySize'].Aliases) | Should -Contain 'KeyLength'
                }
            }
        }

        It 'has at most one ValueFromPipeline parameter per parameter set' {
            foreach ($set in $Command.ParameterSets) {
                @($set.Parameters | Where-Object { $_.ValueFromPipeline }).Count | Should -BeLessOrEqual 1 -Because "parameter set $($set.Name)"
            }
        }
    }

    Context 'Formatting' {
        It 'loads the format file for the CSR type' {
            Get-FormatData -TypeName 'PkiCmdlets.Core.Requests.CertificateSigningRequest' | Should -Not -BeNullOrEmpty
        }

        It 'shows CSRs in the default table view' {
            $store = New-PkiTestStorePath -Root $TestDrive
            $csr = New-Csr -CommonName 'www.example.com' -SubjectAlternativeName 'example.com' -Algorithm ECC -StorePath $store

            $table = $csr | Format-Table | Out-String -Width 200

            $table | Should -Match 'KeyProtected'
            $table | Should -Match 'SubjectAlternativeNames'
            $table | Should -Match '(?m)www\.example\.com\s*\r?\n\s+example\.com'
            $table | Should -Match 'ECC_256'
        }
    }
}
