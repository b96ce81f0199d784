<#
.SYNOPSIS
    The README's quick start, end to end, in a throwaway store: a root CA, an intermediate, a CSR, a server
    certificate from it, and a PFX with the chain and key; then the chain is checked by .NET's X509Chain and,
    where it is installed, by openssl.

.DESCRIPTION
    'build.ps1 -Task QuickStart' runs this against the module it has just built, and the package test of the
    Pester suite runs it in a new process against the module installed from the package. It prints the objects
    as a user sees them and throws when any step or check fails. The store and the files are removed at the end.

.PARAMETER ModulePath
    The module to import: a manifest path, or the name 'PkiCmdlets' to import it from $env:PSModulePath.
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    [string] $ModulePath = 'PkiCmdlets'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$PSNativeCommandUseErrorActionPreference = $false

Import-Module -Name $ModulePath -ErrorAction Stop
$module = Get-Module -Name PkiCmdlets
Write-Host "PkiCmdlets $($module.Version) from $($module.ModuleBase)"

$work = Join-Path ([System.IO.Path]::GetTempPath()) ('PkiCmdlets-quickstart-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
$null = New-Item -ItemType Directory -Path $work
$env:PKICMDLETS_STORE = Join-Path $work 'store'
try {
    # In a real session these come from Read-Host -AsSecureString; a throwaway store needs no secret.
    $caPassword = ConvertTo-SecureString -String ([guid]::NewGuid().ToString()) -AsPlainText -Force
    $pfxPassword = ConvertTo-SecureString -String ([guid]::NewGuid().ToString()) -AsPlainText -Force

    $root = New-RootCA -Name Root -CommonName 'Contoso Root CA' -Algorithm ECC -KeyPassword $caPassword
    $sub = $root | New-SubCA -Name Ops -CommonName 'Contoso Ops CA' -Algorithm ECC -KeyPassword $caPassword -IssuerKeyPassword $caPassword
    $null = Unlock-CA -Name Ops -Password $caPassword
    Get-CA | Format-Table | Out-Host

    $csr = New-Csr -CommonName www.contoso.com -Algorithm ECC
    $csr | Out-Host

    $pfxPath = Join-Path $work 'www.pfx'
    $certificate = $csr | New-ServerCertificate -Issuer Ops -Domain api.contoso.com -IncludeChain
    $certificate | Out-Host
    $pfx = $certificate | Export-IssuedCertificate -Format Pfx -Path $pfxPath -IncludeChain -IncludePrivateKey -Password $pfxPassword
    $pfx | Out-Host
    Lock-CA -Name Ops

    # .NET's judgement: the PFX opens with its key, and the chain builds to our root with nothing else trusted.
    $collection = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2Collection
    $collection.Import($pfxPath, [System.Net.NetworkCredential]::new('', $pfxPassword).Password,
        [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
    $leaf = @($collection | Where-Object { $_.HasPrivateKey })
    if ($leaf.Count -ne 1) {
        throw "The PFX should hold one certificate with its private key; it holds $($leaf.Count)."
    }
    $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
    $chain.ChainPolicy.RevocationMode = 'NoCheck'
    $chain.ChainPolicy.TrustMode = 'CustomRootTrust'
    $null = $chain.ChainPolicy.CustomTrustStore.Add($root.Certificate)
    foreach ($extra in @($collection | Where-Object { -not $_.HasPrivateKey })) {
        $null = $chain.ChainPolicy.ExtraStore.Add($extra)
    }
    if (-not $chain.Build($leaf[0])) {
        $status = @($chain.ChainStatus | ForEach-Object { "$($_.Status): $($_.StatusInformation)" }) -join '; '
        throw "X509Chain does not accept the certificate: $status"
    }
    Write-Host "X509Chain: $(@($chain.ChainElements | ForEach-Object { $_.Certificate.Subject }) -join ' -> ')"

    if (Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue) {
        $rootFile = Join-Path $work 'root.pem'
        $leafFile = Join-Path $work 'www.pem'
        $chainFile = Join-Path $work 'ops.pem'
        Set-Content -LiteralPath $rootFile -Value $root.Pem -Encoding ascii
        Set-Content -LiteralPath $chainFile -Value $sub.Pem -Encoding ascii
        $certificate | Export-IssuedCertificate -Format Pem -Path $leafFile | Out-Null
        $output = & openssl verify -x509_strict -purpose sslserver -CAfile $rootFile -untrusted $chainFile $leafFile 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "openssl verify refuses the certificate: $output"
        }
        Write-Host "openssl verify: $output"
    }
    else {
        Write-Host 'openssl is not installed: the chain was checked by .NET only.'
    }
    Write-Host 'Quick start: done.' -ForegroundColor Green
}
finally {
    Remove-Item -Path Env:PKICMDLETS_STORE -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
