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
    # Runs openssl with the given arguments (and, with -InputText, that text on its standard input); returns its exit
    # code and its output (stdout and stderr).
    param([Parameter(Mandatory = $true)][string[]] $ArgumentList, [string] $InputText)
    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $output = if ($PSBoundParameters.ContainsKey('InputText')) {
        @($InputText | & openssl @ArgumentList 2>&1 | ForEach-Object { "$_" })
    }
    else {
        @(& openssl @ArgumentList 2>&1 | ForEach-Object { "$_" })
    }
    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Output   = $output -join [System.Environment]::NewLine
    }
}

function Start-PkiOpenSslServer {
    # `openssl s_server -www` on 127.0.0.1 with a port the system picks, started and waited for (its ACCEPT line);
    # returns the process and the port. Stop it with Stop-PkiOpenSslServer, pass or fail.
    param(
        [Parameter(Mandatory = $true)][string] $Certificate,
        [Parameter(Mandatory = $true)][string] $Key,
        [Parameter(Mandatory = $true)][string] $Chain,
        [string[]] $ArgumentList = @()
    )
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = (Get-Command -Name openssl -CommandType Application | Select-Object -First 1).Source
    $start.Arguments = (@('s_server', '-accept', '127.0.0.1:0', '-cert', $Certificate, '-key', $Key, '-cert_chain', $Chain, '-www') + $ArgumentList |
            ForEach-Object { '"' + $_ + '"' }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    # Kept open: s_server reads commands from stdin, and end-of-file there could stop it early.
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    $read = $process.StandardOutput.ReadLineAsync()
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($read.Wait(200)) {
            $line = $read.Result
            if ($null -eq $line) { break }
            if ($line -match '^ACCEPT 127\.0\.0\.1:(\d+)$') {
                return [pscustomobject]@{ Process = $process; Port = [int]$Matches[1] }
            }
            $read = $process.StandardOutput.ReadLineAsync()
        }
    }
    Stop-PkiOpenSslServer -Server ([pscustomobject]@{ Process = $process })
    throw "openssl s_server did not start: $($process.StandardError.ReadToEnd())"
}

function Stop-PkiOpenSslServer {
    param([Parameter(Mandatory = $true)] $Server)
    if (-not $Server.Process.HasExited) {
        $Server.Process.Kill()
        $null = $Server.Process.WaitForExit(10000)
    }
    $Server.Process.Dispose()
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

function New-PkiTestHierarchy {
    # A root CA named Root and an intermediate named Sub below it in the store, with ECC P-256 keys (fast) stored
    # without a password unless the parameter tables say otherwise; returns both CA objects as Root and Sub.
    # Each table's entries are added to, or replace, the defaults; a KeyPassword replaces -NoPassword.
    param(
        [Parameter(Mandatory = $true)][string] $StorePath,
        [string] $Algorithm = 'ECC',
        [hashtable] $RootParameters = @{},
        [hashtable] $SubParameters = @{}
    )
    $rootSplat = @{
        CommonName   = 'Test Root CA'
        Name         = 'Root'
        Organization = 'Example Org'
        Country      = 'US'
        Algorithm    = $Algorithm
        NoPassword   = $true
        StorePath    = $StorePath
        ErrorAction  = 'Stop'
    }
    foreach ($key in $RootParameters.Keys) { $rootSplat[$key] = $RootParameters[$key] }
    if ($rootSplat.ContainsKey('KeyPassword')) { $rootSplat.Remove('NoPassword') }
    $root = New-RootCA @rootSplat

    $subSplat = @{
        CommonName         = 'Test Sub CA'
        Name               = 'Sub'
        Issuer             = $rootSplat['Name']
        Organization       = 'Example Org'
        OrganizationalUnit = 'Ops'
        Country            = 'US'
        State              = 'Zhejiang'
        Locality           = 'Hangzhou'
        Algorithm          = $Algorithm
        NoPassword         = $true
        StorePath          = $StorePath
        ErrorAction        = 'Stop'
    }
    foreach ($key in $SubParameters.Keys) { $subSplat[$key] = $SubParameters[$key] }
    if ($subSplat.ContainsKey('KeyPassword')) { $subSplat.Remove('NoPassword') }
    $sub = New-SubCA @subSplat
    [pscustomobject]@{ Root = $root; Sub = $sub }
}

function ConvertTo-PkiPem {
    # DER bytes as an RFC 7468 PEM block (64-column base64, LF line ends).
    param(
        [Parameter(Mandatory = $true)][string] $Label,
        [Parameter(Mandatory = $true)][byte[]] $Bytes
    )
    $base64 = [System.Convert]::ToBase64String($Bytes)
    $lines = New-Object System.Collections.Generic.List[string]
    for ($i = 0; $i -lt $base64.Length; $i += 64) {
        $lines.Add($base64.Substring($i, [Math]::Min(64, $base64.Length - $i)))
    }
    "-----BEGIN $Label-----`n" + ($lines -join "`n") + "`n-----END $Label-----`n"
}

function New-PkiRsaCsrPem {
    # A PKCS #10 request made by .NET, not by PkiCmdlets, with a new RSA key of the given size (1024 makes the
    # weak request that seed 002 would accept); its key never enters a store.
    param(
        [Parameter(Mandatory = $true)][string] $CommonName,
        [int] $KeySize = 2048
    )
    $rsa = [System.Security.Cryptography.RSA]::Create($KeySize)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            "CN=$CommonName", $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        ConvertTo-PkiPem -Label 'CERTIFICATE REQUEST' -Bytes $request.CreateSigningRequest()
    }
    finally {
        $rsa.Dispose()
    }
}

function Get-PkiTamperedPem {
    # The PEM block with one bit changed in the first occurrence of $Text (such as the common name) inside the
    # signed part: the structure stays valid and only the signature no longer matches.
    param(
        [Parameter(Mandatory = $true)][string] $Pem,
        [Parameter(Mandatory = $true)][string] $Text
    )
    $label = ([regex]::Match($Pem, '-----BEGIN ([A-Z0-9 ]+)-----')).Groups[1].Value
    $body = @($Pem -split "`r?`n" | Where-Object { $_ -and $_ -notmatch '^-----' }) -join ''
    $bytes = [System.Convert]::FromBase64String($body)
    $latin1 = [System.Text.Encoding]::GetEncoding(28591)
    $index = $latin1.GetString($bytes).IndexOf($Text, [System.StringComparison]::Ordinal)
    if ($index -lt 0) {
        throw "'$Text' does not occur in the DER of the PEM block."
    }
    $bytes[$index] = $bytes[$index] -bxor 1
    ConvertTo-PkiPem -Label $label -Bytes $bytes
}

function Add-PkiTestAcmeCertificate {
    # Keeps a certificate from an outside CA in the store as an ACME order keeps it: one issue line in
    # issued/acme/certificates.journal (the record's JSON with the chain the CA sent, a TAB, the base64 DER), after the
    # journal's header line, without the hash chain, as versions before it wrote them (which stay readable). Ordering needs an
    # ACME server, so these tests write the line themselves. $Certificate is an
    # IssuedCertificate of another store, which plays the outside CA. Returns the identifier of the planted certificate.
    param(
        [Parameter(Mandatory = $true)][string] $StorePath,
        [Parameter(Mandatory = $true)] $Certificate,
        [Parameter(Mandatory = $true)][string] $ChainPem,
        [Parameter(Mandatory = $true)][string] $IssuerName,
        [object] $CsrId = $null
    )
    $folder = Join-Path (Join-Path $StorePath 'issued') 'acme'
    $null = New-Item -ItemType Directory -Path $folder -Force
    $identifier = [guid]::NewGuid().ToString('N')
    $chain = @([regex]::Matches($ChainPem, '-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----') |
        ForEach-Object { $_.Groups[1].Value -replace '\s', '' })
    $record = [ordered]@{
        identifier   = $identifier
        serialNumber = $Certificate.SerialNumber
        subject      = $Certificate.Subject
        commonName   = $Certificate.CommonName
        dnsNames     = [string[]]@($Certificate.DnsNames)
        ipAddresses  = [string[]]@($Certificate.IpAddresses)
        algorithm    = $Certificate.Algorithm
        notBefore    = $Certificate.NotBefore.ToString('o')
        notAfter     = $Certificate.NotAfter.ToString('o')
        thumbprint   = $Certificate.Thumbprint
        issuedAt     = [System.DateTimeOffset]::UtcNow.ToString('o')
        issuerName   = $IssuerName
        chain        = [string[]]$chain
    }
    if ($null -ne $CsrId) {
        $record['csrId'] = $CsrId
    }
    $entry = ConvertTo-Json -InputObject ([ordered]@{ op = 'issued'; certificate = $record }) -Depth 5 -Compress
    $line = $entry + "`t" + [System.Convert]::ToBase64String($Certificate.Certificate.RawData) + "`n"
    $journal = Join-Path $folder 'certificates.journal'
    if (-not (Test-Path -LiteralPath $journal)) {
        Write-PkiTestFile -Path $journal -Text ('{"journal":"issued-certificates","formatVersion":1}' + "`n")
    }
    [System.IO.File]::AppendAllText($journal, $line, (New-Object System.Text.UTF8Encoding($false)))
    $identifier
}

function Get-PkiCertificateExtension {
    # The extension of an X509Certificate2 with this OID, or $null.
    param(
        [Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [Parameter(Mandatory = $true)][string] $Oid
    )
    foreach ($extension in $Certificate.Extensions) {
        if ($extension.Oid.Value -eq $Oid) {
            return $extension
        }
    }
    $null
}

function Assert-PkiCommandHelp {
    # The help of one cmdlet has a synopsis matching $SynopsisPattern, a description matching
    # $DescriptionPattern, and at least three examples whose code uses the cmdlet.
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [string] $SynopsisPattern = '\S',
        [Parameter(Mandatory = $true)][string] $DescriptionPattern
    )
    $help = Get-Help -Name $Name -Full
    "$($help.Synopsis)".Trim() | Should -Match $SynopsisPattern
    (@($help.Description | ForEach-Object { $_.Text }) -join "`n") | Should -Match $DescriptionPattern
    $examples = @($help.Examples.Example)
    $examples.Count | Should -BeGreaterOrEqual 3
    foreach ($example in $examples) {
        "$($example.Code)" | Should -Match $Name
    }
}

function Get-PkiCommonParameterName {
    # The common and optional common parameters, which a cmdlet's own help does not describe (ProgressAction is
    # common from PowerShell 7.4).
    @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
        'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
        'WhatIf', 'Confirm', 'UseTransaction')
}

function Assert-PkiParameterHelp {
    # Every parameter of the cmdlet, other than the common ones, has a description in its help.
    param([Parameter(Mandatory = $true)][string] $Name)
    $CommonParameters = Get-PkiCommonParameterName
    $help = Get-Help -Name $Name -Full
    $described = @{}
    foreach ($parameter in @($help.Parameters.Parameter)) {
        $described[$parameter.Name] = (@($parameter.Description | ForEach-Object { $_.Text }) -join "`n").Trim()
    }
    foreach ($parameter in (Get-Command -Name $Name).Parameters.Keys) {
        if ($CommonParameters -contains $parameter) {
            continue
        }
        $described[$parameter] | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name should be described"
    }
}

function Invoke-PkiInOtherRunspace {
    # Runs a script in a new runspace of this process, with the module imported there too; returns its output.
    param([Parameter(Mandatory = $true)][string] $Script, [object[]] $ArgumentList = @())
    $other = [System.Management.Automation.PowerShell]::Create()
    try {
        $null = $other.AddScript('param($Manifest) Import-Module -Name $Manifest -ErrorAction Stop').AddArgument((Get-PkiModuleManifestPath)).AddStatement()
        $null = $other.AddScript($Script)
        foreach ($argument in $ArgumentList) { $null = $other.AddArgument($argument) }
        $output = @($other.Invoke())
        if ($other.Streams.Error.Count -gt 0) { throw $other.Streams.Error[0] }
        $output
    }
    finally {
        $other.Dispose()
    }
}

function Get-PkiPowerShellPath {
    # The executable of this PowerShell: pwsh in $PSHOME (the process itself is 'dotnet' when PowerShell runs as
    # a dotnet tool), or powershell.exe in Windows PowerShell.
    foreach ($name in @('pwsh.exe', 'pwsh', 'powershell.exe')) {
        $path = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            return $path
        }
    }
    (Get-Process -Id $PID).Path
}

function Invoke-PkiNewProcess {
    # Runs a script in a new PowerShell process (the executable of this one), with extra environment variables,
    # and returns its exit code and output (stdout and stderr). The process is killed if it outlives $TimeoutSeconds,
    # and whatever happens it does not outlive this call.
    param(
        [Parameter(Mandatory = $true)][string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 180
    )
    $scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) ('pki-child-' + [guid]::NewGuid().ToString('N') + '.ps1')
    [System.IO.File]::WriteAllText($scriptFile, $Script, (New-Object System.Text.UTF8Encoding($false)))
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = Get-PkiPowerShellPath
    $start.Arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$scriptFile`""
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) {
        $start.Environment[$name] = [string]$Environment[$name]
    }
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            throw "The PowerShell process did not end within $TimeoutSeconds seconds."
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $stdout.Result + $stderr.Result
        }
    }
    finally {
        if (-not $process.HasExited) {
            $process.Kill()
            $null = $process.WaitForExit(10000)
        }
        $process.Dispose()
        Remove-Item -LiteralPath $scriptFile -Force -ErrorAction SilentlyContinue
    }
}

function Get-PkiTestCrontab {
    # The lines of the user's crontab, as crontab -l shows them; none when the user has no crontab.
    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $lines = @(& crontab -l 2>$null)
    if ($LASTEXITCODE -ne 0) { return @() }
    @($lines | ForEach-Object { "$_" } | Where-Object { $_ })
}

function Set-PkiTestCrontab {
    # Makes the user's crontab these lines exactly, or no crontab at all for none (tests put back the one they found).
    param([string[]] $Lines = @())
    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    if ($Lines.Count -eq 0) {
        $null = & crontab -r 2>&1
        return
    }
    ($Lines -join "`n") + "`n" | & crontab -
    if ($LASTEXITCODE -ne 0) { throw 'crontab could not write the crontab back.' }
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
    'Start-PkiOpenSslServer'
    'Stop-PkiOpenSslServer'
    'Get-PkiPemBytes'
    'Get-PkiHexHash'
    'Get-PkiUnixFileMode'
    'Write-PkiTestFile'
    'New-PkiTestHierarchy'
    'ConvertTo-PkiPem'
    'New-PkiRsaCsrPem'
    'Get-PkiTamperedPem'
    'Add-PkiTestAcmeCertificate'
    'Get-PkiCertificateExtension'
    'Assert-PkiCommandHelp'
    'Assert-PkiParameterHelp'
    'Get-PkiCommonParameterName'
    'Invoke-PkiInOtherRunspace'
    'Get-PkiPowerShellPath'
    'Invoke-PkiNewProcess'
    'Get-PkiTestCrontab'
    'Set-PkiTestCrontab'
)
