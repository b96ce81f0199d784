<#
.SYNOPSIS
    Builds, tests, documents and packages the PkiCmdlets PowerShell module.

.DESCRIPTION
    build.ps1 is the one entry point for building and testing. It runs one or more tasks, always in this
    order whatever order they are given in: Docs, Build, Test, Package, QuickStart. Build runs at most once
    per call, even when Test, Package or QuickStart ask for it again. On a machine with only the .NET SDK,
    'dotnet tool restore' brings the pinned PowerShell (.config/dotnet-tools.json), and
    'dotnet pwsh -File ./build.ps1 -Task Test' runs every test.

    Docs     Checks the cmdlet pages in docs/ (PlatyPS 1.x markdown, one page per cmdlet of CmdletsToExport and
             none other) and writes the MAML help made from them to <OutputPath>/help/PkiCmdlets-help.xml, with
             the project's converter src/PkiCmdlets.HelpBuilder ('dotnet run'). A page it cannot read fails the
             task with the page and the problem. Nothing is written to the repository.
    Build    Reads ModuleVersion from PkiCmdlets.psd1, runs 'dotnet build' on src/PkiCmdlets (the version is
             stamped into the assemblies by Directory.Build.props), and assembles <OutputPath>/PkiCmdlets/<version>/
             with exactly what Import-Module needs: the manifest, PkiCmdlets.dll, PkiCmdlets.format.ps1xml,
             dependencies/ (PkiCmdlets.Core.dll, BouncyCastle.Cryptography.dll, Newtonsoft.Json.dll, loaded in
             the module's own AssemblyLoadContext on PowerShell 7) and en-US/: the about topic from the
             repository's en-US/ and the MAML help, always made from docs/ by the Docs task's converter, under
             both names Get-Help looks for (PkiCmdlets-help.xml, PkiCmdlets.dll-Help.xml). The version folder
             is emptied first.
    Test     Runs 'dotnet test' on PkiCmdlets.sln, then Build and Package, then the Pester 5 tests in tests/Pester
             against the built module (its manifest path is passed in the environment variable
             PKICMDLETS_MODULE_PATH, the package's in PKICMDLETS_PACKAGE_PATH, and the NuGet package folder in
             PKICMDLETS_NUGET_PACKAGES). Pester runs in a separate PowerShell process, so the built DLLs are not
             locked in this session. The Test task restores tests/PkiCmdlets.TestTools, which brings Pester 5.9.1
             (used when the machine has no Pester 5.5 or later) and the other BouncyCastle builds that the
             isolation tests load. Results: <OutputPath>/pester.xml (NUnit XML); the last line printed is
             'Tests: N passed, N failed (xunit: ..., Pester: ...)'. Both suites always run; the task fails when
             either has a failure, or when a Pester test is skipped outside Windows.
    Package  Runs Build, then makes a PowerShell Gallery package (<OutputPath>/PkiCmdlets.<version>.nupkg) by
             publishing the module folder to a temporary local repository with PSResourceGet
             (Publish-PSResource), or with PowerShellGet 2 (Publish-Module) when PSResourceGet is missing.
    QuickStart
             Runs Build, then README's quick start against the built module in a throwaway store
             (tests/QuickStart.ps1): a root CA, an intermediate, a CSR, a server certificate and a PFX, with
             the chain checked by .NET's X509Chain and, where it is installed, by openssl.

    Works in Windows PowerShell 5.1 and in PowerShell 7 on Windows, Linux and macOS. Needs the .NET SDK
    ('dotnet' on PATH) for Build and Test.

.PARAMETER Task
    One or more of Docs, Build, Test, Package, QuickStart, as an array (-Task Docs, Build) or as one
    comma-separated string, which is what 'pwsh -File ./build.ps1 -Task Docs,Build' passes. Not
    case-sensitive. Default: Build.

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
    ./build.ps1 -Task Docs

    Checks docs/*.md and writes the MAML help to out/help/PkiCmdlets-help.xml, for a look at it without a build.

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release -OutputPath ./artifacts

    Builds the module and writes ./artifacts/PkiCmdlets.<version>.nupkg, ready for the PowerShell Gallery.

.NOTES
    Tools the tasks need, and how to get them:
      .NET SDK                          https://dotnet.microsoft.com/download
      Pester 5.5+ (Test)                restored from NuGet by the Test task when missing
      PSResourceGet (Package)           ships with PowerShell 7.4+; Install-Module Microsoft.PowerShell.PSResourceGet
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
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
# The Pester that tests/PkiCmdlets.TestTools restores when the machine has none.
$PesterPackageVersion = '5.9.1'
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
    'PkiCmdlets.types.ps1xml'
)
$ModuleDependencyFolder = 'dependencies'
$ModuleDependencyFiles = @(
    'PkiCmdlets.Core.dll'
    'BouncyCastle.Cryptography.dll'
    'Newtonsoft.Json.dll'
)

$script:BuildDone = $false
$script:PackagePath = $null
$TaskOrder = @('Docs', 'Build', 'Test', 'Package', 'QuickStart')

function Resolve-TaskList {
    # 'pwsh -File' passes '-Task Docs,Build' as the one string 'Docs,Build'; -Command passes an array.
    param([string[]] $Requested)
    $names = @($Requested | ForEach-Object { "$_" -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($names.Count -eq 0) {
        throw "No task was given. Give one or more of: $($TaskOrder -join ', ')."
    }
    foreach ($name in $names) {
        if ($TaskOrder -notcontains $name) {
            throw "Unknown task '$name'. The tasks are: $($TaskOrder -join ', ')."
        }
    }
    # In the fixed order, each once, spelled as the list spells it.
    @($TaskOrder | Where-Object { $names -contains $_ })
}
# The MAML file the Docs task wrote in this run, so that Docs and Build together convert the pages once.
$script:MamlPath = $null

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

    # Help: the about topics of the repository's en-US/, and the MAML made from docs/ in this run.
    $mamlPath = Invoke-DocsTask
    $helpTarget = Join-Path $moduleFolder 'en-US'
    $null = New-Item -ItemType Directory -Path $helpTarget -Force
    $helpSource = Join-Path $RepoRoot 'en-US'
    if (Test-Path -LiteralPath $helpSource -PathType Container) {
        Get-ChildItem -LiteralPath $helpSource -File |
            Where-Object { $_.Name -like 'about_*.help.txt' } |
            ForEach-Object { Copy-Item -LiteralPath $_.FullName -Destination (Join-Path $helpTarget $_.Name) }
    }
    Copy-Item -LiteralPath $mamlPath -Destination (Join-Path $helpTarget $MamlFileName)
    Copy-Item -LiteralPath $mamlPath -Destination (Join-Path $helpTarget $MamlAssemblyFileName)

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
    # Runs in a child PowerShell process; written to <OutputPath> at run time. It writes the counts to
    # $SummaryPath as JSON, so the parent can report them whatever Pester printed.
    return @'
param(
    [Parameter(Mandatory = $true)][string] $PesterManifest,
    [Parameter(Mandatory = $true)][string] $TestsPath,
    [Parameter(Mandatory = $true)][string] $ResultPath,
    [Parameter(Mandatory = $true)][string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Get-Module -Name Pester | Remove-Module -Force
Import-Module -Name $PesterManifest
$ErrorActionPreference = 'Continue'

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestsPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath

$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    Write-Host 'Invoke-Pester returned no result.' -ForegroundColor Red
    exit 1
}
# A failed BeforeAll/AfterAll fails no test of its own: count each such block as a failure.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[System.IO.File]::WriteAllText($SummaryPath, (@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount
    NotRun  = $result.NotRunCount
} | ConvertTo-Json -Compress))
exit 0
'@
}

function Get-NuGetPackageRoot {
    $project = [System.IO.Path]::Combine($RepoRoot, 'tests', 'PkiCmdlets.TestTools', 'PkiCmdlets.TestTools.csproj')
    $root = (& dotnet msbuild $project -nologo -getProperty:NuGetPackageRoot | Out-String).Trim()
    if ($LASTEXITCODE -ne 0 -or -not $root) {
        throw "'dotnet msbuild -getProperty:NuGetPackageRoot' did not name the NuGet package folder."
    }
    $root
}

function Restore-TestTools {
    # Pester and the other packages the Pester suite loads, from the NuGet registry; returns the package folder.
    $project = [System.IO.Path]::Combine($RepoRoot, 'tests', 'PkiCmdlets.TestTools', 'PkiCmdlets.TestTools.csproj')
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('restore', $project, '--nologo')
    Get-NuGetPackageRoot
}

function Get-PesterManifest {
    # Pester 5.5 or later where the machine has it; otherwise the one the restore brought.
    param([Parameter(Mandatory = $true)][string] $PackageRoot)
    $installed = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge $MinimumPesterVersion } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($installed) {
        Write-Host "    Pester $($installed.Version) ($($installed.ModuleBase))"
        return $installed.Path
    }
    $manifest = [System.IO.Path]::Combine($PackageRoot, 'pester', $PesterPackageVersion, 'tools', 'Pester.psd1')
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "Pester $PesterPackageVersion was restored, but '$manifest' does not exist."
    }
    Write-Host "    Pester $PesterPackageVersion from the NuGet package ($manifest)"
    $manifest
}

function Invoke-XunitTests {
    # Runs every xunit project of the solution; returns the counts from dotnet test's summary lines.
    $solution = Join-Path $RepoRoot 'PkiCmdlets.sln'
    Write-Host "    dotnet test $solution -c $Configuration" -ForegroundColor DarkGray
    $lines = New-Object System.Collections.Generic.List[string]
    & dotnet test $solution -c $Configuration --nologo 2>&1 | ForEach-Object {
        $line = "$_"
        $lines.Add($line)
        Write-Host $line
    }
    $exitCode = $LASTEXITCODE
    $passed = 0
    $failed = 0
    foreach ($line in $lines) {
        if ($line -match 'Failed:\s+(\d+),\s+Passed:\s+(\d+),') {
            $failed += [int]$Matches[1]
            $passed += [int]$Matches[2]
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; ExitCode = $exitCode }
}

function Invoke-PesterTests {
    param(
        [Parameter(Mandatory = $true)][string] $PesterManifest,
        [Parameter(Mandatory = $true)][hashtable] $Environment
    )
    $testsPath = Join-Path (Join-Path $RepoRoot 'tests') 'Pester'
    $resultPath = Join-Path $OutputPath 'pester.xml'
    $summaryPath = Join-Path $OutputPath 'pester-summary.json'
    $runnerPath = Join-Path $OutputPath 'run-pester.ps1'
    $null = New-Item -ItemType Directory -Path $OutputPath -Force
    Set-Content -LiteralPath $runnerPath -Value (Get-PesterRunnerScript) -Encoding UTF8
    foreach ($path in @($resultPath, $summaryPath)) {
        if (Test-Path -LiteralPath $path) {
            Remove-Item -LiteralPath $path -Force
        }
    }

    $powershell = Get-PowerShellExecutable
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        Write-Host "    $name=$($Environment[$name])"
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        & $powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $runnerPath -PesterManifest $PesterManifest `
            -TestsPath $testsPath -ResultPath $resultPath -SummaryPath $summaryPath | Out-Host
        $exitCode = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) {
            [System.Environment]::SetEnvironmentVariable($name, $saved[$name])
        }
    }
    if ($exitCode -ne 0 -or -not (Test-Path -LiteralPath $summaryPath -PathType Leaf)) {
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; NotRun = 0; Problem = "the Pester process ended with exit code $exitCode and no result" }
    }
    $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
    [pscustomobject]@{ Passed = [int]$summary.Passed; Failed = [int]$summary.Failed; Skipped = [int]$summary.Skipped; NotRun = [int]$summary.NotRun; Problem = $null }
}

function Invoke-TestTask {
    Write-Step "Test ($Configuration)"
    Assert-Tool -Name 'dotnet' -Hint 'Install the .NET SDK from https://dotnet.microsoft.com/download.'

    $packageRoot = Restore-TestTools
    $pesterManifest = Get-PesterManifest -PackageRoot $packageRoot

    Write-Step 'xunit'
    $xunit = Invoke-XunitTests

    Invoke-BuildTask
    Invoke-PackageTask
    $version = Get-ModuleVersion
    $builtManifest = Join-Path (Get-ModuleFolder -Version $version) "$ModuleName.psd1"

    Write-Step 'Pester'
    $pester = Invoke-PesterTests -PesterManifest $pesterManifest -Environment @{
        PKICMDLETS_MODULE_PATH    = $builtManifest
        PKICMDLETS_PACKAGE_PATH   = $script:PackagePath
        PKICMDLETS_NUGET_PACKAGES = $packageRoot
    }

    $problems = New-Object System.Collections.Generic.List[string]
    if ($xunit.ExitCode -ne 0) { $problems.Add("dotnet test exited with $($xunit.ExitCode)") }
    if ($xunit.Passed -eq 0) { $problems.Add('no xunit test ran') }
    if ($pester.Problem) { $problems.Add($pester.Problem) }
    if ($pester.Passed -eq 0) { $problems.Add('no Pester test ran') }
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    if (-not $onWindows -and ($pester.Skipped -gt 0 -or $pester.NotRun -gt 0)) {
        # Outside Windows every Pester test must run; only Windows-only tests may skip, and only there.
        $problems.Add("$($pester.Skipped) Pester test(s) skipped and $($pester.NotRun) not run")
    }
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host ("Tests: {0} passed, {1} failed (xunit: {2} passed, {3} failed; Pester: {4} passed, {5} failed, {6} skipped)" -f
        $passed, $failed, $xunit.Passed, $xunit.Failed, $pester.Passed, $pester.Failed, $pester.Skipped)
    if ($failed -gt 0 -or $problems.Count -gt 0) {
        throw ("The tests failed" + $(if ($problems.Count) { ': ' + ($problems -join '; ') } else { '' }) +
            ". Results: $OutputPath/pester.xml and the output above.")
    }
}

function Invoke-QuickStartTask {
    Invoke-BuildTask
    Write-Step 'QuickStart'
    $version = Get-ModuleVersion
    $builtManifest = Join-Path (Get-ModuleFolder -Version $version) "$ModuleName.psd1"
    $powershell = Get-PowerShellExecutable
    # A new process, so the module is imported as a user would, and its DLLs are not locked in this session.
    & $powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File (Join-Path (Join-Path $RepoRoot 'tests') 'QuickStart.ps1') -ModulePath $builtManifest | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "The quick start failed (exit code $LASTEXITCODE)."
    }
}

function Invoke-DocsTask {
    # Returns the path of the MAML file; a second call in the same run returns the first call's file.
    if ($script:MamlPath) {
        return $script:MamlPath
    }
    Write-Step 'Docs'
    Assert-Tool -Name 'dotnet' -Hint 'Install the .NET SDK from https://dotnet.microsoft.com/download.'

    $docsFolder = Join-Path $RepoRoot 'docs'
    $helpFolder = Join-Path $OutputPath 'help'
    $target = Join-Path $helpFolder $MamlFileName
    $null = New-Item -ItemType Directory -Path $helpFolder -Force
    if (Test-Path -LiteralPath $target) {
        Remove-Item -LiteralPath $target -Force
    }
    # Every exported cmdlet must have its page, and every page must be an exported cmdlet's.
    $exported = @((Import-PowerShellDataFile -LiteralPath $ManifestSource)['CmdletsToExport'])
    $project = [System.IO.Path]::Combine($RepoRoot, 'src', 'PkiCmdlets.HelpBuilder', 'PkiCmdlets.HelpBuilder.csproj')
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('run', '--project', $project, '-c', $Configuration, '--',
        '--docs', $docsFolder, '--out', $target, '--cmdlets', ($exported -join ','))
    if (-not (Test-Path -LiteralPath $target -PathType Leaf)) {
        throw "The help converter did not write '$target'."
    }
    Write-Host "    Help: $target" -ForegroundColor Green
    $script:MamlPath = $target
    return $target
}

function Invoke-PackageTask {
    if ($script:PackagePath) {
        return
    }
    Invoke-BuildTask
    Write-Step 'Package'

    $version = Get-ModuleVersion
    $moduleFolder = Get-ModuleFolder -Version $version
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
        $script:PackagePath = $target
    }
    finally {
        Remove-Folder -Path $repositoryFolder
    }
}

foreach ($name in (Resolve-TaskList -Requested $Task)) {
    switch ($name) {
        'Docs' { Invoke-DocsTask }
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-PackageTask }
        'QuickStart' { Invoke-QuickStartTask }
    }
}
