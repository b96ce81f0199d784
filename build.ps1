<#
.SYNOPSIS
    Builds, tests, documents and packages the PkiCmdlets PowerShell module.

.DESCRIPTION
    build.ps1 is the one entry point for people who have PowerShell. It runs one or more tasks, always in
    this order whatever order they are given in: Docs, Build, Test, Package. Build runs at most once per
    call, even when Test or Package ask for it again.

    Docs     Turns the PlatyPS markdown in docs/ into MAML help and writes it to en-US/PkiCmdlets-help.xml
             in the repository. Needs the module Microsoft.PowerShell.PlatyPS 1.0 or later.
    Build    Reads ModuleVersion from PkiCmdlets.psd1, runs 'dotnet build' on src/PkiCmdlets (the version is
             stamped into the assemblies by Directory.Build.props), and assembles <OutputPath>/PkiCmdlets/<version>/
             with exactly what Import-Module needs: the manifest, PkiCmdlets.dll, PkiCmdlets.format.ps1xml,
             dependencies/ (PkiCmdlets.Core.dll, BouncyCastle.Cryptography.dll, Newtonsoft.Json.dll) and en-US/
             (the about topic and, when en-US/PkiCmdlets-help.xml exists, the MAML help). The version folder is
             emptied first.
    Test     Runs 'dotnet test' on PkiCmdlets.sln, then Build, then the Pester 5 tests in tests/Pester against
             the built module (its manifest path is passed in the environment variable PKICMDLETS_MODULE_PATH).
             Pester runs in a separate PowerShell process, so the built DLLs are not locked in this session.
             Results are written to <OutputPath>/pester.xml (NUnit XML).
    Package  Runs Build, then makes a PowerShell Gallery package (<OutputPath>/PkiCmdlets.<version>.nupkg) by
             publishing the module folder to a temporary local repository with PSResourceGet
             (Publish-PSResource), or with PowerShellGet 2 (Publish-Module) when PSResourceGet is missing.

    Works in Windows PowerShell 5.1 and in PowerShell 7 on Windows, Linux and macOS. Needs the .NET SDK
    ('dotnet' on PATH) for Build and Test.

.PARAMETER Task
    One or more of Build, Test, Docs, Package. Default: Build.

.PARAMETER Configuration
    The .NET build configuration, Debug or Release. Default: Release.

.PARAMETER OutputPath
    The folder that receives the module (PkiCmdlets/<version>/), pester.xml and the .nupkg. Default: out/ next
    to this script. A relative path is relative to the current PowerShell location.

.EXAMPLE
    ./build.ps1

    Builds the module into out/PkiCmdlets/<version>/. Import it with
    Import-Module ./out/PkiCmdlets/<version>/PkiCmdlets.psd1.

.EXAMPLE
    ./build.ps1 -Task Test

    Runs the xunit tests, builds the module and runs the Pester tests against it.

.EXAMPLE
    ./build.ps1 -Task Docs, Build

    Regenerates en-US/PkiCmdlets-help.xml from docs/*.md, then builds the module with that help inside.

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release -OutputPath ./artifacts

    Builds the module and writes ./artifacts/PkiCmdlets.<version>.nupkg, ready for the PowerShell Gallery.

.NOTES
    Tools the tasks need, and how to get them:
      .NET SDK                          https://dotnet.microsoft.com/download
      Pester 5.5+ (Test)                Install-Module Pester -MinimumVersion 5.5 -Scope CurrentUser
      Microsoft.PowerShell.PlatyPS      Install-PSResource Microsoft.PowerShell.PlatyPS
      PSResourceGet (Package)           ships with PowerShell 7.4+; Install-Module Microsoft.PowerShell.PSResourceGet
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
# PowerShell 7.3+: we check $LASTEXITCODE ourselves, with messages that say what failed.
$PSNativeCommandUseErrorActionPreference = $false

$ModuleName = 'PkiCmdlets'
$RepoRoot = $PSScriptRoot
$ManifestSource = Join-Path $RepoRoot "$ModuleName.psd1"
$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
$MinimumPesterVersion = [version]'5.5.0'
$MinimumPlatyPSVersion = [version]'1.0.0'
$MamlFileName = "$ModuleName-help.xml"
# Get-Help looks for a binary module's cmdlet help under the assembly's name first; Windows PowerShell 5.1
# may look nowhere else, so the built module carries the MAML under this name too.
$MamlAssemblyFileName = "$ModuleName.dll-Help.xml"
# Everything Import-Module needs from the build output, besides the manifest and en-US/: the cmdlets at the
# module root, and in $ModuleDependencyFolder what they load in the module's own AssemblyLoadContext on
# PowerShell 7 (src/PkiCmdlets/Loading): the core and every third-party assembly.
$ModuleBinaryFiles = @(
    'PkiCmdlets.dll'
    'PkiCmdlets.format.ps1xml'
)
$ModuleDependencyFolder = 'dependencies'
$ModuleDependencyFiles = @(
    'PkiCmdlets.Core.dll'
    'BouncyCastle.Cryptography.dll'
    'Newtonsoft.Json.dll'
)

$script:BuildDone = $false

function Write-Step {
    param([Parameter(Mandatory = $true)][string] $Message)
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Assert-Tool {
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [Parameter(Mandatory = $true)][string] $Hint
    )
    if (-not (Get-Command -Name $Name -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "'$Name' was not found on PATH. $Hint"
    }
}

function Invoke-Native {
    param(
        [Parameter(Mandatory = $true)][string] $FilePath,
        [Parameter(Mandatory = $true)][string[]] $ArgumentList
    )
    Write-Host "    $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    & $FilePath @ArgumentList | Out-Host
    $exitCode = $LASTEXITCODE
    if ($exitCode -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $exitCode."
    }
}

function Get-ModuleVersion {
    if (-not (Test-Path -LiteralPath $ManifestSource -PathType Leaf)) {
        throw "The module manifest '$ManifestSource' was not found."
    }
    $data = Import-PowerShellDataFile -LiteralPath $ManifestSource
    if (-not $data.ContainsKey('ModuleVersion') -or [string]::IsNullOrWhiteSpace([string]$data['ModuleVersion'])) {
        throw "'$ManifestSource' has no ModuleVersion."
    }
    $text = ([string]$data['ModuleVersion']).Trim()
    $parsed = $null
    if (-not [version]::TryParse($text, [ref]$parsed)) {
        throw "ModuleVersion '$text' in '$ManifestSource' is not a version number."
    }
    return $text
}

function Get-ModuleFolder {
    param([Parameter(Mandatory = $true)][string] $Version)
    return (Join-Path (Join-Path $OutputPath $ModuleName) $Version)
}

function Remove-Folder {
    param([Parameter(Mandatory = $true)][string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) {
        return
    }
    try {
        Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction Stop
    }
    catch {
        throw ("Cannot remove '$Path': $($_.Exception.Message) On Windows a PowerShell session that imported " +
            "the module from there keeps its DLLs locked: close that session (or run build.ps1 in a new one, " +
            "e.g. 'pwsh -NoProfile -File ./build.ps1') and try again.")
    }
}

function Get-PowerShellExecutable {
    # The tests run in the same edition as this script: pwsh for PowerShell 7, powershell.exe for 5.1.
    $candidates = if ($PSVersionTable.PSEdition -eq 'Core') { @('pwsh.exe', 'pwsh') } else { @('powershell.exe') }
    foreach ($candidate in $candidates) {
        $path = Join-Path $PSHOME $candidate
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            return $path
        }
    }
    $processPath = (Get-Process -Id $PID).Path
    if ($processPath -and ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -match '^(pwsh|powershell)$')) {
        return $processPath
    }
    throw "Cannot find the PowerShell executable in '$PSHOME' to run the Pester tests in."
}

function Invoke-BuildTask {
    if ($script:BuildDone) {
        return
    }
    Write-Step "Build ($Configuration)"
    Assert-Tool -Name 'dotnet' -Hint 'Install the .NET SDK from https://dotnet.microsoft.com/download.'

    $version = Get-ModuleVersion
    Write-Host "    ModuleVersion $version (from $ManifestSource)"

    $project = [System.IO.Path]::Combine($RepoRoot, 'src', 'PkiCmdlets', 'PkiCmdlets.csproj')
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $project, '-c', $Configuration, '--nologo')

    $binFolder = [System.IO.Path]::Combine($RepoRoot, 'src', 'PkiCmdlets', 'bin', $Configuration, 'netstandard2.0')
    if (-not (Test-Path -LiteralPath $binFolder -PathType Container)) {
        throw "The build output folder '$binFolder' does not exist after 'dotnet build'."
    }

    $moduleFolder = Get-ModuleFolder -Version $version
    Remove-Folder -Path $moduleFolder
    $null = New-Item -ItemType Directory -Path $moduleFolder -Force

    Copy-Item -LiteralPath $ManifestSource -Destination (Join-Path $moduleFolder "$ModuleName.psd1")
    $dependencyFolder = Join-Path $moduleFolder $ModuleDependencyFolder
    $null = New-Item -ItemType Directory -Path $dependencyFolder -Force
    $layout = @($ModuleBinaryFiles | ForEach-Object { @{ Name = $_; Target = $moduleFolder } }) +
        @($ModuleDependencyFiles | ForEach-Object { @{ Name = $_; Target = $dependencyFolder } })
    foreach ($file in $layout) {
        $source = Join-Path $binFolder $file.Name
        if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
            throw "'$($file.Name)' is missing from the build output '$binFolder'."
        }
        Copy-Item -LiteralPath $source -Destination (Join-Path $file.Target $file.Name)
    }

    # Help: the about topics always; the MAML when 'build.ps1 -Task Docs' has produced it.
    $helpSource = Join-Path $RepoRoot 'en-US'
    $helpTarget = Join-Path $moduleFolder 'en-US'
    $null = New-Item -ItemType Directory -Path $helpTarget -Force
    $helpFiles = @()
    if (Test-Path -LiteralPath $helpSource -PathType Container) {
        $helpFiles = @(Get-ChildItem -LiteralPath $helpSource -File)
    }
    foreach ($file in @($helpFiles | Where-Object { $_.Name -like 'about_*.help.txt' })) {
        Copy-Item -LiteralPath $file.FullName -Destination (Join-Path $helpTarget $file.Name)
    }
    $maml = @($helpFiles | Where-Object { $_.Name -eq $MamlFileName })
    if ($maml.Count -gt 0) {
        Copy-Item -LiteralPath $maml[0].FullName -Destination (Join-Path $helpTarget $MamlFileName)
        Copy-Item -LiteralPath $maml[0].FullName -Destination (Join-Path $helpTarget $MamlAssemblyFileName)
    }
    else {
        Write-Warning "en-US/$MamlFileName does not exist: the module has no cmdlet help. Run './build.ps1 -Task Docs, Build' to add it."
    }

    # PowerShell provides System.Management.Automation; a copy in the module folder breaks loading.
    if (Test-Path -LiteralPath (Join-Path $moduleFolder 'System.Management.Automation.dll')) {
        throw "System.Management.Automation.dll must not be part of the module."
    }

    # Directory.Build.props stamps ModuleVersion into the assemblies; a stale build would not match.
    $expected = [version]$version
    $expectedText = '{0}.{1}.{2}' -f $expected.Major, $expected.Minor, [Math]::Max($expected.Build, 0)
    foreach ($assemblyName in @('PkiCmdlets.dll', (Join-Path $ModuleDependencyFolder 'PkiCmdlets.Core.dll'))) {
        $actual = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $moduleFolder $assemblyName)).Version
        $actualText = '{0}.{1}.{2}' -f $actual.Major, $actual.Minor, $actual.Build
        if ($actualText -ne $expectedText) {
            throw "$assemblyName has version $actual but the manifest says $version. Run 'dotnet build' again or check Directory.Build.props."
        }
    }

    Write-Host "    Module: $moduleFolder" -ForegroundColor Green
    $script:BuildDone = $true
}

function Get-PesterRunnerScript {
    # Runs in a child PowerShell process; written to <OutputPath> at run time.
    return @'
param(
    [Parameter(Mandatory = $true)][string] $TestsPath,
    [Parameter(Mandatory = $true)][string] $ResultPath,
    [Parameter(Mandatory = $true)][string] $MinimumPesterVersion
)
$ErrorActionPreference = 'Stop'
Get-Module -Name Pester | Where-Object { $_.Version -lt [version]$MinimumPesterVersion } | Remove-Module -Force
Import-Module -Name Pester -MinimumVersion $MinimumPesterVersion
$ErrorActionPreference = 'Continue'

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestsPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath

$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    Write-Host 'Invoke-Pester returned no result.' -ForegroundColor Red
    exit 1
}
if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0) {
    Write-Host ("Pester: {0} failed, {1} passed, {2} skipped (result: {3})." -f $result.FailedCount, $result.PassedCount, $result.SkippedCount, $result.Result) -ForegroundColor Red
    exit 1
}
exit 0
'@
}

function Assert-Pester {
    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge $MinimumPesterVersion } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        $found = @(Get-Module -ListAvailable -Name Pester | ForEach-Object { $_.Version.ToString() }) -join ', '
        if (-not $found) { $found = 'none' }
        throw ("The Test task needs Pester $MinimumPesterVersion or later (found: $found). Install it with: " +
            "Install-Module Pester -MinimumVersion 5.5 -Scope CurrentUser" +
            " (in Windows PowerShell 5.1 add -Force -SkipPublisherCheck, because Windows ships Pester 3.4).")
    }
    Write-Host "    Pester $($pester.Version) ($($pester.ModuleBase))"
}

function Invoke-TestTask {
    Write-Step "Test ($Configuration)"
    Assert-Tool -Name 'dotnet' -Hint 'Install the .NET SDK from https://dotnet.microsoft.com/download.'
    Assert-Pester

    $solution = Join-Path $RepoRoot 'PkiCmdlets.sln'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $solution, '-c', $Configuration, '--nologo')

    Invoke-BuildTask

    $version = Get-ModuleVersion
    $builtManifest = Join-Path (Get-ModuleFolder -Version $version) "$ModuleName.psd1"
    $testsPath = Join-Path (Join-Path $RepoRoot 'tests') 'Pester'
    $resultPath = Join-Path $OutputPath 'pester.xml'
    $runnerPath = Join-Path $OutputPath 'run-pester.ps1'
    $null = New-Item -ItemType Directory -Path $OutputPath -Force
    Set-Content -LiteralPath $runnerPath -Value (Get-PesterRunnerScript) -Encoding UTF8
    if (Test-Path -LiteralPath $resultPath) {
        Remove-Item -LiteralPath $resultPath -Force
    }

    Write-Step 'Pester'
    $powershell = Get-PowerShellExecutable
    $pesterVersionText = $MinimumPesterVersion.ToString()
    Write-Host "    PKICMDLETS_MODULE_PATH=$builtManifest"
    $previous = [System.Environment]::GetEnvironmentVariable('PKICMDLETS_MODULE_PATH')
    [System.Environment]::SetEnvironmentVariable('PKICMDLETS_MODULE_PATH', $builtManifest)
    try {
        & $powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $runnerPath -TestsPath $testsPath -ResultPath $resultPath -MinimumPesterVersion $pesterVersionText | Out-Host
        $exitCode = $LASTEXITCODE
    }
    finally {
        [System.Environment]::SetEnvironmentVariable('PKICMDLETS_MODULE_PATH', $previous)
    }
    if ($exitCode -ne 0) {
        throw "The Pester tests failed (exit code $exitCode). Results: $resultPath"
    }
    Write-Host "    Pester results: $resultPath" -ForegroundColor Green
}

function Invoke-DocsTask {
    Write-Step 'Docs'
    $platyPS = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS |
        Where-Object { $_.Version -ge $MinimumPlatyPSVersion } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if (-not $platyPS) {
        throw ("The Docs task needs the module Microsoft.PowerShell.PlatyPS $MinimumPlatyPSVersion or later " +
            "(the old 'platyPS' 0.x module does not do). Install it with: Install-PSResource Microsoft.PowerShell.PlatyPS")
    }
    Import-Module -Name Microsoft.PowerShell.PlatyPS -MinimumVersion $MinimumPlatyPSVersion -ErrorAction Stop
    Write-Host "    Microsoft.PowerShell.PlatyPS $($platyPS.Version)"

    $docsFolder = Join-Path $RepoRoot 'docs'
    $markdown = @()
    if (Test-Path -LiteralPath $docsFolder -PathType Container) {
        $markdown = @(Get-ChildItem -LiteralPath $docsFolder -File | Where-Object { $_.Extension -eq '.md' } | ForEach-Object { $_.FullName })
    }
    if ($markdown.Count -eq 0) {
        throw "There is no markdown in '$docsFolder' to build help from."
    }

    $probes = @(Measure-PlatyPSMarkdown -Path $markdown)
    $commandFiles = @($probes | Where-Object { "$($_.FileType)" -match 'CommandHelp' } | ForEach-Object { $_.FilePath })
    if ($commandFiles.Count -eq 0) {
        throw "None of the markdown files in '$docsFolder' is command help (Measure-PlatyPSMarkdown found no CommandHelp)."
    }
    Write-Host "    $($commandFiles.Count) command help page(s) in docs/"

    # Pages are expected to be named after their cmdlet (docs/New-Csr.md).
    $exported = @((Import-PowerShellDataFile -LiteralPath $ManifestSource)['CmdletsToExport'])
    $pageNames = @($commandFiles | ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension($_) })
    foreach ($cmdlet in $exported) {
        if ($pageNames -notcontains $cmdlet) {
            Write-Warning "docs/$cmdlet.md is missing: $cmdlet will have no help."
        }
    }

    $commandHelp = @(Import-MarkdownCommandHelp -Path $commandFiles)

    # Export-MamlCommandHelp names the file and folder after the module or the pages' 'external help file'
    # metadata; it goes to a staging folder and is then copied to the one name the build uses.
    $staging = Join-Path $OutputPath 'maml-staging'
    Remove-Folder -Path $staging
    $null = New-Item -ItemType Directory -Path $staging -Force
    try {
        $null = Export-MamlCommandHelp -CommandHelp $commandHelp -OutputFolder $staging -Force
        $produced = @(Get-ChildItem -LiteralPath $staging -Recurse -File | Where-Object { $_.Extension -eq '.xml' })
        if ($produced.Count -ne 1) {
            $names = @($produced | ForEach-Object { $_.FullName }) -join ', '
            throw "Export-MamlCommandHelp was expected to write one MAML file but wrote $($produced.Count): $names. Make the 'external help file' and 'Module Name' metadata the same in every page."
        }

        $document = New-Object System.Xml.XmlDocument
        $document.Load($produced[0].FullName)
        $documented = @($document.SelectNodes("//*[local-name()='command']/*[local-name()='details']/*[local-name()='name']") | ForEach-Object { $_.InnerText.Trim() })
        foreach ($cmdlet in $exported) {
            if ($documented -notcontains $cmdlet) {
                Write-Warning "The MAML help has no entry for $cmdlet."
            }
        }

        $enUS = Join-Path $RepoRoot 'en-US'
        $null = New-Item -ItemType Directory -Path $enUS -Force
        # Remove earlier copies whatever their letter case, so the file keeps exactly this name.
        Get-ChildItem -LiteralPath $enUS -File |
            Where-Object { $_.Name -eq $MamlFileName -or $_.Name -eq $MamlAssemblyFileName } |
            Remove-Item -Force
        $target = Join-Path $enUS $MamlFileName
        Copy-Item -LiteralPath $produced[0].FullName -Destination $target
        Write-Host "    Help: $target ($($documented.Count) command(s))" -ForegroundColor Green
    }
    finally {
        Remove-Folder -Path $staging
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    Write-Step 'Package'

    $version = Get-ModuleVersion
    $moduleFolder = Get-ModuleFolder -Version $version
    # A Gallery package without cmdlet help would leave users with auto-generated Get-Help pages.
    if (-not (Test-Path -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') $MamlAssemblyFileName) -PathType Leaf)) {
        throw "The module in '$moduleFolder' has no cmdlet help (en-US/$MamlAssemblyFileName). Run './build.ps1 -Task Docs, Package' on a machine with Microsoft.PowerShell.PlatyPS installed."
    }
    $usePSResourceGet = [bool](Get-Command -Name Publish-PSResource -ErrorAction SilentlyContinue) -and
        [bool](Get-Command -Name Register-PSResourceRepository -ErrorAction SilentlyContinue)
    $usePowerShellGet = [bool](Get-Command -Name Publish-Module -ErrorAction SilentlyContinue) -and
        [bool](Get-Command -Name Register-PSRepository -ErrorAction SilentlyContinue)
    if (-not $usePSResourceGet -and -not $usePowerShellGet) {
        throw ("The Package task needs PSResourceGet (Publish-PSResource; part of PowerShell 7.4+, or " +
            "Install-Module Microsoft.PowerShell.PSResourceGet) or PowerShellGet 2 (Publish-Module).")
    }

    $null = New-Item -ItemType Directory -Path $OutputPath -Force
    Get-ChildItem -LiteralPath $OutputPath -File |
        Where-Object { $_.Name -like "$ModuleName.*.nupkg" } |
        Remove-Item -Force

    $suffix = [guid]::NewGuid().ToString('N').Substring(0, 12)
    $repositoryName = "PkiCmdletsBuild$suffix"
    $repositoryFolder = Join-Path ([System.IO.Path]::GetTempPath()) "PkiCmdlets-repository-$suffix"
    $null = New-Item -ItemType Directory -Path $repositoryFolder -Force
    try {
        if ($usePSResourceGet) {
            Write-Host "    Publish-PSResource to the temporary repository '$repositoryName' ($repositoryFolder)"
            Register-PSResourceRepository -Name $repositoryName -Uri $repositoryFolder -Trusted -ErrorAction Stop
            try {
                Publish-PSResource -Path $moduleFolder -Repository $repositoryName -ErrorAction Stop
            }
            finally {
                Unregister-PSResourceRepository -Name $repositoryName -ErrorAction SilentlyContinue
            }
        }
        else {
            Write-Host "    Publish-Module to the temporary repository '$repositoryName' ($repositoryFolder)"
            Register-PSRepository -Name $repositoryName -SourceLocation $repositoryFolder -PublishLocation $repositoryFolder -InstallationPolicy Trusted -ErrorAction Stop
            try {
                # -Force installs NuGet.exe without asking when PowerShellGet 2 needs it.
                Publish-Module -Path $moduleFolder -Repository $repositoryName -Force -ErrorAction Stop
            }
            finally {
                Unregister-PSRepository -Name $repositoryName -ErrorAction SilentlyContinue
            }
        }

        $packages = @(Get-ChildItem -LiteralPath $repositoryFolder -File | Where-Object { $_.Extension -eq '.nupkg' })
        if ($packages.Count -ne 1) {
            throw "Publishing was expected to write one .nupkg to '$repositoryFolder' but wrote $($packages.Count)."
        }
        $target = Join-Path $OutputPath $packages[0].Name
        Copy-Item -LiteralPath $packages[0].FullName -Destination $target -Force
        Write-Host "    Package: $target" -ForegroundColor Green
    }
    finally {
        Remove-Folder -Path $repositoryFolder
    }
}

$order = @('Docs', 'Build', 'Test', 'Package')
$selected = @($order | Where-Object { $Task -contains $_ })
foreach ($name in $selected) {
    switch ($name) {
        'Docs' { Invoke-DocsTask }
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-PackageTask }
    }
}
