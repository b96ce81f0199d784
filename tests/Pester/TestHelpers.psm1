# Shared helpers for the PkiCmdlets Pester tests (Pester 5, Windows PowerShell 5.1 and PowerShell 7).
# The tests drive the BUILT module: $env:PKICMDLETS_MODULE_PATH (set by 'build.ps1 -Task Test') or else
# out/PkiCmdlets/<ModuleVersion>/PkiCmdlets.psd1 under the repository root.

$script:RepositoryRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)

function Get-PkiRepositoryRoot {
    $script:RepositoryRoot
}

function Get-PkiModuleVersion {
    # The version in the repository's manifest, the single source of the version.
    $manifest = Join-Path $script:RepositoryRoot 'PkiCmdlets.psd1'
    $data = Import-PowerShellDataFile -LiteralPath $manifest
    ([string]$data['ModuleVersion']).Trim()
}

function Get-PkiModuleManifestPath {
    $fromEnvironment = [System.Environment]::GetEnvironmentVariable('PKICMDLETS_MODULE_PATH')
    if (-not [string]::IsNullOrWhiteSpace($fromEnvironment)) {
        if (-not (Test-Path -LiteralPath $fromEnvironment -PathType Leaf)) {
            throw "PKICMDLETS_MODULE_PATH is '$fromEnvironment', which is not a file. Point it at a built PkiCmdlets.psd1."
        }
        return (Resolve-Path -LiteralPath $fromEnvironment).ProviderPath
    }
    $version = Get-PkiModuleVersion
    $path = Join-Path (Join-Path (Join-Path (Join-Path $script:RepositoryRoot 'out') 'PkiCmdlets') $version) 'PkiCmdlets.psd1'
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "The built module '$path' does not exist. Run './build.ps1 -Task Build' first, or set PKICMDLETS_MODULE_PATH to a built PkiCmdlets.psd1."
    }
    $path
}

function Import-PkiCmdletsModule {
    # Imports the built module into the global scope (so the tests see its cmdlets) and returns it.
    $manifestPath = Get-PkiModuleManifestPath
    $moduleBase = Split-Path -Parent $manifestPath
    $loaded = @(Get-Module -Name PkiCmdlets)
    if ($loaded.Count -eq 1 -and $loaded[0].ModuleBase -eq $moduleBase) {
        return $loaded[0]
    }
    if ($loaded.Count -gt 0) {
        $loaded | Remove-Module -Force
    }
    Import-Module -Name $manifestPath -Global -Force -PassThru -ErrorAction Stop
}

function New-PkiTestStorePath {
    # A store folder that does not exist yet, under the test's TestDrive.
    param([Parameter(Mandatory = $true)][string] $Root)
    Join-Path $Root ('store-' + [guid]::NewGuid().ToString('N'))
}

function Get-PkiStoreSnapshot {
    # What a failed command must leave as it was: the CSR count and every file of the store (path and
    # SHA-256). The lock file is left out: taking the lock may create it.
    param([Parameter(Mandatory = $true)][string] $StorePath)
    $lines = New-Object System.Collections.Generic.List[string]
    $lines.Add('csrs=' + @(Get-Csr -StorePath $StorePath -ErrorAction SilentlyContinue).Count)
    if (Test-Path -LiteralPath $StorePath -PathType Container) {
        $root = (Get-Item -LiteralPath $StorePath -Force).FullName.TrimEnd('\', '/')
        $files = @(Get-ChildItem -LiteralPath $StorePath -Recurse -File -Force | Sort-Object -Property FullName)
        foreach ($file in $files) {
            if ($file.Name -eq '.lock') {
                continue
            }
            $relative = $file.FullName.Substring($root.Length).TrimStart('\', '/').Replace('\', '/')
            $hash = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash
            $lines.Add("$relative $hash")
        }
    }
    else {
        $lines.Add('<no store folder>')
    }
    $lines -join "`n"
}

function ConvertTo-PkiTestSecureString {
    param([Parameter(Mandatory = $true)][string] $Text)
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Test-PkiOpenSsl {
    [bool](Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue)
}

function Invoke-PkiOpenSsl {
    # Runs openssl with the given arguments; returns its exit code and its output (stdout and stderr).
    param([Parameter(Mandatory = $true)][string[]] $ArgumentList)
    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $output = @(& openssl @ArgumentList 2>&1 | ForEach-Object { "$_" })
    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Output   = $output -join [System.Environment]::NewLine
    }
}

function Get-PkiPemBytes {
    # The DER bytes of the first PEM block in a file.
    param([Parameter(Mandatory = $true)][string] $Path)
    $body = @(Get-Content -LiteralPath $Path | Where-Object { $_ -and $_ -notmatch '^-----' }) -join ''
    [System.Convert]::FromBase64String($body)
}

function Get-PkiHexHash {
    param(
        [Parameter(Mandatory = $true)][byte[]] $Bytes,
        [Parameter(Mandatory = $true)][ValidateSet('MD5', 'SHA256')][string] $Algorithm
    )
    $hasher = if ($Algorithm -eq 'MD5') { [System.Security.Cryptography.MD5]::Create() } else { [System.Security.Cryptography.SHA256]::Create() }
    try {
        -join ($hasher.ComputeHash($Bytes) | ForEach-Object { $_.ToString('x2') })
    }
    finally {
        $hasher.Dispose()
    }
}

function Get-PkiUnixFileMode {
    # The permission bits of a file or folder as an integer (0600 = 384), or $null where they cannot be
    # read (Windows, or .NET older than 7).
    param([Parameter(Mandatory = $true)][string] $Path)
    if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
        return $null
    }
    $method = [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string]))
    if ($null -eq $method) {
        return $null
    }
    [int]$method.Invoke($null, @($Path))
}

function Write-PkiTestFile {
    # Writes text as UTF-8 without BOM with LF line ends, the same on every platform and edition.
    param(
        [Parameter(Mandatory = $true)][string] $Path,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string] $Text
    )
    [System.IO.File]::WriteAllText($Path, $Text, (New-Object System.Text.UTF8Encoding($false)))
}

Export-ModuleMember -Function @(
    'Get-PkiRepositoryRoot'
    'Get-PkiModuleVersion'
    'Get-PkiModuleManifestPath'
    'Import-PkiCmdletsModule'
    'New-PkiTestStorePath'
    'Get-PkiStoreSnapshot'
    'ConvertTo-PkiTestSecureString'
    'Test-PkiOpenSsl'
    'Invoke-PkiOpenSsl'
    'Get-PkiPemBytes'
    'Get-PkiHexHash'
    'Get-PkiUnixFileMode'
    'Write-PkiTestFile'
)
