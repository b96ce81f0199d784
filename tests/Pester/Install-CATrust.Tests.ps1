# Pester 5 tests for Install-CATrust. They drive the built module (see TestHelpers.psm1) with a store under TestDrive:,
# passed with -StorePath. On Linux, where CI runs them as root, they change the real system trust: the root goes into
# /usr/local/share/ca-certificates and update-ca-certificates runs; curl and a new .NET process (.NET reads the system
# trust once per process) judge it against `openssl s_server` on 127.0.0.1. What they install they remove, pass or fail.
# Windows' and macOS's stores can't be changed unattended (Windows asks in a dialog, macOS for a password): there the
# system test is skipped, and xunit's TrustStoreTests check what would run.

BeforeDiscovery {
    $OnLinux = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Linux)
    $AsRoot = $OnLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.InstallCATrustCommand'

    $store = New-PkiTestStorePath -Root $TestDrive
    $work = Join-Path $TestDrive 'trust-work'
    $null = New-Item -ItemType Directory -Path $work
    $ca = New-PkiTestHierarchy -StorePath $store
    $anchor = "/usr/local/share/ca-certificates/pkicmdlets-$($ca.Root.Id).crt"

    function Test-Curl {
        # curl with no CA option: the system's trust decides.
        param([int] $Port)
        $ErrorActionPreference = 'Continue'
        $PSNativeCommandUseErrorActionPreference = $false
        $output = & curl -sS -o /dev/null -w '%{http_code}' "https://127.0.0.1:$Port/" 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = "$output" }
    }

    function Test-HttpClient {
        # HttpClient with its default validation, in a new process.
        param([int] $Port)
        Invoke-PkiNewProcess -TimeoutSeconds 60 -Script @"
try {
    `$response = [System.Net.Http.HttpClient]::new().GetAsync('https://127.0.0.1:$Port/').GetAwaiter().GetResult()
    'STATUS ' + [int]`$response.StatusCode
}
catch {
    'FAILED ' + `$_.Exception.GetBaseException().Message
    exit 1
}
"@
    }
}

AfterAll {
    # Whatever happened, the system trust is left as it was found.
    if ($anchor -and (Test-Path -LiteralPath $anchor)) {
        Remove-Item -LiteralPath $anchor -Force
        $null = & update-ca-certificates 2>&1
    }
}

Describe 'Install-CATrust' {
    Context 'The system trust of Linux' {
        if ($AsRoot) {
            It 'makes curl and .NET''s HttpClient trust a server of the hierarchy with no CA option, and Uninstall-CATrust takes that back' {
                $null = New-Csr -CommonName 'localhost' -SubjectAlternativeName '127.0.0.1' -Algorithm ECC -StorePath $store |
                    New-ServerCertificate -Issuer 'Sub' -StorePath $store |
                    Export-IssuedCertificate -Path (Join-Path $work 'server.pem') -ChainPath (Join-Path $work 'chain.pem') -KeyPath (Join-Path $work 'server.key') -StorePath $store
                $server = Start-PkiOpenSslServer -Certificate (Join-Path $work 'server.pem') -Key (Join-Path $work 'server.key') -Chain (Join-Path $work 'chain.pem')
                try {
                    $curlBefore = Test-Curl -Port $server.Port
                    $dotnetBefore = Test-HttpClient -Port $server.Port

                    $installed = Install-CATrust -Name 'Root' -StorePath $store
                    $fileWritten = Test-Path -LiteralPath $anchor
                    $curlTrusted = Test-Curl -Port $server.Port
                    $dotnetTrusted = Test-HttpClient -Port $server.Port

                    $removed = Uninstall-CATrust -Name 'Root' -StorePath $store
                    $curlAfter = Test-Curl -Port $server.Port
                    $dotnetAfter = Test-HttpClient -Port $server.Port
                }
                finally {
                    Stop-PkiOpenSslServer -Server $server
                }

                $curlBefore.ExitCode | Should -Be 60 -Because "curl should not trust the root yet: $($curlBefore.Output)"
                $dotnetBefore.ExitCode | Should -Be 1 -Because $dotnetBefore.Output
                $installed.Installed | Should -BeTrue
                $installed.Scope | Should -Be 'LocalMachine'
                $installed.Thumbprint | Should -Be $ca.Root.Thumbprint
                $fileWritten | Should -BeTrue
                $curlTrusted.ExitCode | Should -Be 0 -Because $curlTrusted.Output
                $curlTrusted.Output | Should -Be '200'
                $dotnetTrusted.ExitCode | Should -Be 0 -Because $dotnetTrusted.Output
                $dotnetTrusted.Output | Should -Match 'STATUS 200'
                $removed.Installed | Should -BeFalse
                Test-Path -LiteralPath $anchor | Should -BeFalse
                $curlAfter.ExitCode | Should -Be 60 -Because $curlAfter.Output
                $dotnetAfter.ExitCode | Should -Be 1 -Because $dotnetAfter.Output
                $dotnetAfter.Output | Should -Match 'FAILED'
            }

            It 'installs a root the store keeps without its key, such as an offline root' {
                $rootFile = Join-Path $work 'root.pem'
                Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
                $other = New-PkiTestStorePath -Root $TestDrive
                $offline = Import-CA -CertificatePath $rootFile -Name 'Offline' -StorePath $other
                $offlineAnchor = "/usr/local/share/ca-certificates/pkicmdlets-$($offline.Id).crt"
                try {
                    $installed = Install-CATrust -Name 'Offline' -StorePath $other

                    $installed.Installed | Should -BeTrue
                    Get-Content -LiteralPath $offlineAnchor -Raw | Should -BeExactly $ca.Root.Pem
                    Get-Content -LiteralPath '/etc/ssl/certs/ca-certificates.crt' -Raw | Should -Match ([regex]::Escape(($ca.Root.Pem -split "`n")[1]))
                }
                finally {
                    $null = Uninstall-CATrust -Name 'Offline' -StorePath $other -ErrorAction SilentlyContinue
                }
                Test-Path -LiteralPath $offlineAnchor | Should -BeFalse
            }
        }
        elseif ($OnLinux) {
            It 'refuses to change the system trust without root, with TrustElevationRequired' {
                { Install-CATrust -Name 'Root' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustElevationRequired,$Command"
            }
        }
        else {
            It 'changes the system trust on Linux, as root' -Skip {
            }
        }
    }

    Context 'Errors' {
        It 'writes TrustNotRoot for an intermediate and installs nothing' {
            { Install-CATrust -Name 'Sub' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustNotRoot,$Command"
            Test-Path -LiteralPath $anchor | Should -BeFalse
        }

        It 'writes CaNotFound for a CA that is not in the store' {
            { Install-CATrust -Name 'Nobody' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaNotFound,$Command"
        }

        if ($OnLinux) {
            It 'writes TrustScopeNotSupported for the user''s scope on Linux, which has none that curl and .NET read' {
                { Install-CATrust -Name 'Root' -Scope CurrentUser -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustScopeNotSupported,$Command"
            }
        }

        It 'installs nothing with -WhatIf, and says where the root would go' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Install-CATrust -Name 'Root' -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $anchor | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
