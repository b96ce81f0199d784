# Pester 5 tests for Uninstall-CATrust. They drive the built module (see TestHelpers.psm1) with a store under TestDrive:,
# passed with -StorePath. On Linux as root they change the real system trust, and remove what they install, pass or
# fail; Install-CATrust.Tests.ps1 judges the trust itself with curl and HttpClient.

BeforeDiscovery {
    $OnLinux = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Linux)
    $AsRoot = $OnLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.UninstallCATrustCommand'
    $store = New-PkiTestStorePath -Root $TestDrive
    $ca = New-PkiTestHierarchy -StorePath $store
    $anchor = "/usr/local/share/ca-certificates/pkicmdlets-$($ca.Root.Id).crt"
    $bundle = '/etc/ssl/certs/ca-certificates.crt'
    $rootLine = ($ca.Root.Pem -split "`n")[1]
}

AfterAll {
    if ($anchor -and (Test-Path -LiteralPath $anchor)) {
        Remove-Item -LiteralPath $anchor -Force
        $null = & update-ca-certificates 2>&1
    }
}

Describe 'Uninstall-CATrust' {
    if ($AsRoot) {
        It 'removes only the root it installed, from the anchor folder and from the bundle update-ca-certificates makes' {
            $others = @(Get-ChildItem -LiteralPath '/usr/local/share/ca-certificates' -File | ForEach-Object Name)
            $null = Install-CATrust -Name 'Root' -StorePath $store
            $inBundle = (Get-Content -LiteralPath $bundle -Raw).Contains($rootLine)

            $removed = Uninstall-CATrust -Name 'Root' -StorePath $store

            $inBundle | Should -BeTrue
            $removed.Installed | Should -BeFalse
            $removed.Location | Should -Match 'update-ca-certificates'
            Test-Path -LiteralPath $anchor | Should -BeFalse
            (Get-Content -LiteralPath $bundle -Raw).Contains($rootLine) | Should -BeFalse
            (@(Get-ChildItem -LiteralPath '/usr/local/share/ca-certificates' -File | ForEach-Object Name) -join ',') | Should -Be ($others -join ',')
        }

        It 'writes TrustNotInstalled for a root that is not in the trust store' {
            { Uninstall-CATrust -Name 'Root' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustNotInstalled,$Command"
        }

        It 'removes nothing with -WhatIf' {
            $null = Install-CATrust -Name 'Root' -StorePath $store
            try {
                Uninstall-CATrust -Name 'Root' -StorePath $store -WhatIf

                Test-Path -LiteralPath $anchor | Should -BeTrue
            }
            finally {
                $null = Uninstall-CATrust -Name 'Root' -StorePath $store -ErrorAction SilentlyContinue
            }
        }
    }
    elseif ($OnLinux) {
        It 'refuses to change the system trust without root, with TrustElevationRequired' {
            { Uninstall-CATrust -Name 'Root' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustElevationRequired,$Command"
        }
    }
    else {
        It 'removes roots from the system trust on Linux, as root' -Skip {
        }
    }

    It 'writes TrustNotRoot for an intermediate' {
        { Uninstall-CATrust -Name 'Sub' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "TrustNotRoot,$Command"
    }
}
