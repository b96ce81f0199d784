# Pester 5 tests: PkiCmdlets in one PowerShell 7 session with other builds of BouncyCastle, as users have it with
# Posh-ACME (BouncyCastle.Crypto 1.8.x) or a module that ships another BouncyCastle.Cryptography 2.x (every 2.x build
# is assembly version 2.0.0.0). Assemblies cannot be unloaded, so each case runs DependencyIsolation.Session.ps1 in a
# new pwsh process, the PowerShell of this one. The other builds come from 'dotnet restore tests/PkiCmdlets.TestTools'.
# Windows PowerShell 5.1 has no load contexts (README, Dependencies), so these cases are PowerShell 7's.

BeforeDiscovery {
    $Cases = @(
        @{ Order = 'OthersFirst'; When = 'loaded before PkiCmdlets is imported' }
        @{ Order = 'PkiCmdletsFirst'; When = 'loaded after PkiCmdlets was used' }
    )
}

Describe 'PkiCmdlets next to other BouncyCastle builds' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
        $ModulePath = Get-PkiModuleManifestPath
        $Dependencies = Join-Path (Split-Path -Parent $ModulePath) 'dependencies'
        $SessionScript = Join-Path $PSScriptRoot 'DependencyIsolation.Session.ps1'

        function Get-IsolationTestAssembly {
            param([string] $Package, [string] $Version, [string] $Framework, [string] $File)
            # build.ps1 -Task Test names the folder it restored into; run alone, the default NuGet folder.
            $packages = if ($env:PKICMDLETS_NUGET_PACKAGES) { $env:PKICMDLETS_NUGET_PACKAGES } elseif ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
            $path = [System.IO.Path]::Combine($packages, $Package, $Version, 'lib', $Framework, $File)
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
                throw "'$path' is missing: run 'dotnet restore tests/PkiCmdlets.TestTools'."
            }
            $path
        }
        $BouncyCastleCrypto = Get-IsolationTestAssembly -Package 'portable.bouncycastle' -Version '1.8.10' -Framework 'netstandard2.0' -File 'BouncyCastle.Crypto.dll'
        $BouncyCastleCryptography = Get-IsolationTestAssembly -Package 'bouncycastle.cryptography' -Version '2.4.0' -Framework 'net6.0' -File 'BouncyCastle.Cryptography.dll'

        $PowerShellPath = Get-PkiPowerShellPath

        function Invoke-IsolationSession {
            # Runs one session in a new pwsh process, which is stopped here whatever happens; returns its exit code,
            # its output and its report.
            param([string] $Order, [string] $AcmeDirectory, [string] $WorkFolder)
            $null = New-Item -ItemType Directory -Path $WorkFolder -Force
            $start = [System.Diagnostics.ProcessStartInfo]::new($PowerShellPath)
            $arguments = @('-NoProfile', '-NonInteractive', '-File', $SessionScript,
                '-ModulePath', $ModulePath, '-BouncyCastleCryptoPath', $BouncyCastleCrypto,
                '-BouncyCastleCryptographyPath', $BouncyCastleCryptography, '-Order', $Order,
                '-AcmeDirectory', $AcmeDirectory, '-WorkFolder', $WorkFolder)
            foreach ($argument in $arguments) {
                $start.ArgumentList.Add($argument)
            }
            $start.UseShellExecute = $false
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($start)
            try {
                $output = $process.StandardOutput.ReadToEndAsync()
                $errors = $process.StandardError.ReadToEndAsync()
                if (-not $process.WaitForExit(300000)) {
                    throw "The $Order session did not finish within 5 minutes."
                }
                $reportPath = Join-Path $WorkFolder 'report.json'
                [pscustomobject]@{
                    ExitCode = $process.ExitCode
                    Output   = $output.Result + $errors.Result
                    Report   = if (Test-Path -LiteralPath $reportPath) { Get-Content -LiteralPath $reportPath -Raw | ConvertFrom-Json } else { $null }
                }
            }
            finally {
                if (-not $process.HasExited) {
                    $process.Kill($true)
                    $process.WaitForExit()
                }
                $process.Dispose()
            }
        }

        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    It 'keeps both sides working with BouncyCastle.Crypto 1.8.10 and BouncyCastle.Cryptography 2.4.0 <When>' -ForEach $Cases {
        $session = Invoke-IsolationSession -Order $Order -AcmeDirectory $Pebble.DirectoryUrl -WorkFolder (Join-Path $TestDrive $Order)

        $session.ExitCode | Should -Be 0 -Because $session.Output
        $report = $session.Report

        # The other builds: in the default context, where other modules load them, and working (SHA-256 of 'abc').
        ($report.Others | ForEach-Object { $_.Path }) -join ',' | Should -Be "$BouncyCastleCrypto,$BouncyCastleCryptography"
        foreach ($other in $report.Others) {
            $other.Context | Should -Be 'Default'
            $other.Sha256 | Should -Be 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'
        }

        # PkiCmdlets: an SM2 request, root and intermediate, a server certificate signed with SM2/SM3, its PFX with
        # the chain and the key, and an ACME account key kept by the first order.
        $pki = $report.PkiCmdlets
        @($pki.Csr, $pki.Root, $pki.Sub) -join ',' | Should -Be 'SM2_256,SM2_256,SM2_256'
        $pki.CertificateSignature | Should -Be '1.2.156.10197.1.501'
        $pki.Pfx -join ',' | Should -Be 'CN=Isolation Root,CN=Isolation Sub,CN=www.example.com with its key'
        $pki.Order | Should -Be 'Pending'
        $pki.AccountKeys | Should -Be 1

        # ... all from the module's own load context, whose references bind to its own copies in dependencies/.
        $pki.CoreContext | Should -Be 'PkiCmdlets'
        $pki.CoreLocation | Should -Be (Join-Path $Dependencies 'PkiCmdlets.Core.dll')
        $pki.Bound.'BouncyCastle.Cryptography' | Should -Be (Join-Path $Dependencies 'BouncyCastle.Cryptography.dll')
        $pki.Bound.'Newtonsoft.Json' | Should -Be (Join-Path $Dependencies 'Newtonsoft.Json.dll')
    }
}
