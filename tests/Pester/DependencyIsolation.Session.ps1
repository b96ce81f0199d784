# One PowerShell session of DependencyIsolation.Tests.ps1, run in a new pwsh process: loads other builds of
# BouncyCastle into the default load context, as other modules (Posh-ACME and the like) do, and uses PkiCmdlets,
# in the order given, with its store, PFX and report.json (what each side did, and where each assembly came from)
# in -WorkFolder.
param(
    [Parameter(Mandatory = $true)][string] $ModulePath,
    # The assembly Posh-ACME ships (BouncyCastle.Crypto 1.8.x) and a BouncyCastle.Cryptography 2.x other than ours.
    [Parameter(Mandatory = $true)][string] $BouncyCastleCryptoPath,
    [Parameter(Mandatory = $true)][string] $BouncyCastleCryptographyPath,
    [Parameter(Mandatory = $true)][ValidateSet('OthersFirst', 'PkiCmdletsFirst')][string] $Order,
    [Parameter(Mandatory = $true)][string] $AcmeDirectory,
    [Parameter(Mandatory = $true)][string] $WorkFolder
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$report = [ordered]@{ Others = [System.Collections.Generic.List[object]]::new() }

function Use-OtherBouncyCastle {
    foreach ($path in @($BouncyCastleCryptoPath, $BouncyCastleCryptographyPath)) {
        Add-Type -LiteralPath $path
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.Location -eq $path }
        if ($null -eq $assembly) {
            $name = [System.Reflection.AssemblyName]::GetAssemblyName($path).Name
            $taken = ([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name }).Location
            throw "Add-Type loaded no assembly from '$path': the session uses $name from '$taken' in its place."
        }
        $digest = [System.Activator]::CreateInstance($assembly.GetType('Org.BouncyCastle.Crypto.Digests.Sha256Digest', $true))
        $data = [System.Text.Encoding]::ASCII.GetBytes('abc')
        $digest.BlockUpdate($data, 0, $data.Length)
        $hash = [byte[]]::new($digest.GetDigestSize())
        $null = $digest.DoFinal($hash, 0)
        $report.Others.Add([ordered]@{
                Path    = $path
                Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name
                Sha256  = [System.Convert]::ToHexString($hash)
            })
    }
}

function Use-PkiCmdlets {
    Import-Module -Name $ModulePath
    $store = Join-Path $WorkFolder 'store'
    $common = @{ StorePath = $store }
    $csr = New-Csr -CommonName 'www.example.com' -Algorithm SM2 @common
    $root = New-RootCA -Name 'Root' -CommonName 'Isolation Root' -Algorithm SM2 -NoPassword @common
    $sub = $root | New-SubCA -Name 'Sub' -CommonName 'Isolation Sub' -Algorithm SM2 -NoPassword @common
    $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -IncludeChain @common
    $pfx = Join-Path $WorkFolder 'www.pfx'
    $password = ConvertTo-SecureString -String 'isolation' -AsPlainText -Force
    $null = $certificate | Export-IssuedCertificate -Format Pfx -IncludeChain -IncludeRoot -IncludePrivateKey -Password $password -Path $pfx @common
    # An ACME account is created, and its key kept, on the first order for a server.
    $acmeCsr = New-Csr -CommonName 'isolation.example.com' -Algorithm ECC @common
    $order = $acmeCsr | Submit-CertificateOrder -Server $AcmeDirectory -SkipCertificateCheck -Email 'ops@example.com' -AcceptTermsOfService -ValidationMethod Dns @common

    $pfxContent = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
    $pfxContent.Import($pfx, 'isolation', [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)

    $core = $csr.GetType().Assembly
    $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
    $report.PkiCmdlets = [ordered]@{
        Csr                  = $csr.Algorithm
        Root                 = $root.Algorithm
        Sub                  = $sub.Algorithm
        CertificateSignature = $certificate.Certificate.SignatureAlgorithm.Value
        Pfx                  = @($pfxContent | ForEach-Object { $_.Subject + $(if ($_.HasPrivateKey) { ' with its key' }) })
        Order                = "$($order.Status)"
        AccountKeys          = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -Filter '*.key.pem').Count
        CoreContext          = $context.Name
        CoreLocation         = $core.Location
        # What the core's references bind to: the copies in the module's dependencies/ folder, not the others.
        Bound                = [ordered]@{}
    }
    foreach ($reference in $core.GetReferencedAssemblies() | Where-Object { $_.Name -in 'BouncyCastle.Cryptography', 'Newtonsoft.Json' }) {
        $report.PkiCmdlets.Bound[$reference.Name] = $context.LoadFromAssemblyName($reference).Location
    }
}

if ($Order -eq 'OthersFirst') {
    Use-OtherBouncyCastle
    Use-PkiCmdlets
}
else {
    Use-PkiCmdlets
    Use-OtherBouncyCastle
}
$report | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $WorkFolder 'report.json') -Encoding utf8
