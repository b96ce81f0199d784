# Pester 5 test of the Gallery package: published to a local file-system repository, installed with
# Install-PSResource into an empty module path, then imported by name in a new process that reads its help and
# runs the quick start. 'build.ps1 -Task Test' passes the package it made in PKICMDLETS_PACKAGE_PATH; run alone,
# the test makes one with 'build.ps1 -Task Package' in its own folder.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $RepositoryRoot = Get-PkiRepositoryRoot
    $Version = Get-PkiModuleVersion
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT

    $package = [System.Environment]::GetEnvironmentVariable('PKICMDLETS_PACKAGE_PATH')
    if ([string]::IsNullOrWhiteSpace($package)) {
        $out = Join-Path $TestDrive 'build'
        $built = Invoke-PkiNewProcess -TimeoutSeconds 600 -Script @"
& '$(Join-Path $RepositoryRoot 'build.ps1')' -Task Package -OutputPath '$out'
"@
        $built.ExitCode | Should -Be 0 -Because $built.Output
        $package = @(Get-ChildItem -LiteralPath $out -Filter 'PkiCmdlets.*.nupkg')[0].FullName
    }
    $Package = $package

    # The repository and the installed module live under this folder only: on Linux and macOS PowerShell and
    # PSResourceGet keep both under $XDG_DATA_HOME.
    $HomeFolder = Join-Path $TestDrive 'home'
    $Repository = Join-Path $TestDrive 'repository'
    $null = New-Item -ItemType Directory -Path $HomeFolder, $Repository -Force
    Copy-Item -LiteralPath $Package -Destination $Repository
    $Environment = @{
        HOME             = $HomeFolder
        XDG_DATA_HOME    = Join-Path $HomeFolder '.local/share'
        XDG_CONFIG_HOME  = Join-Path $HomeFolder '.config'
        XDG_CACHE_HOME   = Join-Path $HomeFolder '.cache'
        PSModulePath     = ''
        PKICMDLETS_STORE = Join-Path $TestDrive 'unused-store'
    }
    # .NET names a special folder only when it exists; PSResourceGet would otherwise keep its repository list
    # in a folder relative to the current directory.
    $null = New-Item -ItemType Directory -Path $Environment.XDG_DATA_HOME, $Environment.XDG_CONFIG_HOME, $Environment.XDG_CACHE_HOME -Force
}

Describe 'The PkiCmdlets package' {
    It 'is named for the module and its version' {
        Split-Path -Leaf $Package | Should -Be "PkiCmdlets.$Version.nupkg"
    }

    It 'holds a manifest that passes Test-ModuleManifest and tells the truth about this version' {
        $extracted = Join-Path $TestDrive 'extracted'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        [System.IO.Compression.ZipFile]::ExtractToDirectory($Package, $extracted)
        $manifestPath = Join-Path $extracted 'PkiCmdlets.psd1'

        $info = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $data = Import-PowerShellDataFile -LiteralPath $manifestPath
        $psData = $data['PrivateData']['PSData']

        $info.Version.ToString() | Should -Be $Version
        $info.Description | Should -Match 'CSR'
        $info.Description | Should -Match 'ACME'
        @($psData['Tags']) | Should -Contain 'PKI'
        @($psData['Tags']) | Should -Contain 'ACME'
        $psData['ProjectUri'] | Should -Match '^https://'
        $psData['LicenseUri'] | Should -Match '^https://.*LICENSE'
        # The release notes name what this version does: every cmdlet it exports, by its name, not an old one.
        @($data['CmdletsToExport']).Count | Should -BeGreaterThan 40
        foreach ($cmdlet in $data['CmdletsToExport']) {
            $psData['ReleaseNotes'] | Should -Match ('(?<![\w-])' + [regex]::Escape($cmdlet) + '(?![\w-])') -Because "$cmdlet is exported"
        }
        # The package carries the help and the about topic that Get-Help shows.
        Test-Path -LiteralPath (Join-Path $extracted 'en-US/PkiCmdlets.dll-Help.xml') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $extracted 'en-US/about_PkiCmdlets.help.txt') -PathType Leaf | Should -BeTrue
    }

    It 'installs with Install-PSResource from a local repository and works by name in a new process' {
        if ($OnWindows) {
            Set-ItResult -Skipped -Because 'on Windows Install-PSResource installs into the Documents folder, which this test cannot redirect'
            return
        }
        $install = Invoke-PkiNewProcess -Environment $Environment -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name PkiLocal -Uri '$Repository' -Trusted
Install-PSResource -Name PkiCmdlets -Repository PkiLocal -Scope CurrentUser -TrustRepository -Quiet
Get-InstalledPSResource -Name PkiCmdlets | ForEach-Object { "installed: `$(`$_.Version) `$(`$_.InstalledLocation)" }
"@
        $install.ExitCode | Should -Be 0 -Because $install.Output
        Test-Path -LiteralPath (Join-Path $Environment.XDG_DATA_HOME 'PSResourceGet/PSResourceRepository.xml') -PathType Leaf | Should -BeTrue
        $install.Output | Should -Match "installed: $([regex]::Escape($Version)) $([regex]::Escape($HomeFolder))"

        $quickStart = Join-Path (Join-Path $RepositoryRoot 'tests') 'QuickStart.ps1'
        $use = Invoke-PkiNewProcess -Environment $Environment -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module PkiCmdlets
"module: `$((Get-Module PkiCmdlets).ModuleBase)"
"synopsis: `$((Get-Help New-Csr).Synopsis)"
& '$quickStart' -ModulePath PkiCmdlets
"@
        $use.ExitCode | Should -Be 0 -Because $use.Output
        $use.Output | Should -Match "module: $([regex]::Escape($HomeFolder))"
        $synopsis = @($use.Output -split "`r?`n" | Where-Object { $_ -like 'synopsis: *' })[0]
        $synopsis | Should -Match 'synopsis: \w'
        $synopsis | Should -Not -Match 'New-Csr \[' -Because 'without help PowerShell shows the generated syntax as the synopsis'
        $use.Output | Should -Match 'openssl verify: .*OK'
        $use.Output | Should -Match 'Quick start: done\.'
    }
}
