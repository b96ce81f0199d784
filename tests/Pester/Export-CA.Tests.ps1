# Pester 5 tests for Export-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root (Root, key encrypted) and an intermediate (Sub).

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.ExportCACommand'
}

Describe 'Export-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $rootPassword = ConvertTo-PkiTestSecureString -Text 'Root-Pa55-word'
        $ca = New-PkiTestHierarchy -StorePath $store -RootParameters @{ KeyPassword = $rootPassword } -SubParameters @{ IssuerKeyPassword = $rootPassword }
    }

    Context 'Examples' {
        It 'writes a backup that Import-CA takes back byte for byte: the same certificate, the same key file' {
            $certificate = Join-Path $work 'root.pem'
            $key = Join-Path $work 'root.key'

            $files = Export-CA -Name 'Root' -Path $certificate -KeyPath $key -StorePath $store
            $restoredStore = New-PkiTestStorePath -Root $TestDrive
            $restored = Import-CA -CertificatePath $certificate -KeyPath $key -Name 'Root' -Password $rootPassword -KeyPassword $rootPassword -StorePath $restoredStore

            ($files | ForEach-Object Name) -join ',' | Should -Be 'root.pem,root.key'
            [System.IO.File]::ReadAllBytes($key) | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $store "keys/ca-$($ca.Root.Id).key.pem")))
            [System.IO.File]::ReadAllBytes((Join-Path $restoredStore "cas/$($restored.Id).crt.pem")) | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $store "cas/$($ca.Root.Id).crt.pem")))
            $restored.Thumbprint | Should -Be $ca.Root.Thumbprint
            $keyText = { param($path) (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $path, '-passin', 'pass:Root-Pa55-word')).Output }
            (& $keyText (Join-Path $restoredStore "keys/ca-$($restored.Id).key.pem")) | Should -Be (& $keyText $key)
            if ($null -ne (Get-PkiUnixFileMode -Path $key)) {
                Get-PkiUnixFileMode -Path $key | Should -Be 384
                Get-PkiUnixFileMode -Path $certificate | Should -Be 420
            }
        }

        It 'writes a PFX backup with the chain that Import-CA takes back' {
            $pfx = Join-Path $work 'sub.pfx'
            $pfxPassword = ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55'

            $null = Export-CA -Name 'Sub' -Format Pfx -Path $pfx -IncludeChain -Password $pfxPassword -StorePath $store
            $restoredStore = New-PkiTestStorePath -Root $TestDrive
            $restored = Import-CA -PfxPath $pfx -Password $pfxPassword -NoPassword -StorePath $restoredStore

            $restored.Thumbprint | Should -Be $ca.Sub.Thumbprint
            $restored.HasKey | Should -BeTrue
            $anchor = Get-CA -Root -StorePath $restoredStore
            $anchor.Thumbprint | Should -Be $ca.Root.Thumbprint
            $anchor.HasKey | Should -BeFalse
        }

        It 'writes the chain and its CRLs for a server that checks client certificates, which openssl takes' {
            $null = Publish-Crl -Issuer 'Root' -IssuerKeyPassword $rootPassword -StorePath $store
            $null = Publish-Crl -Issuer 'Sub' -StorePath $store
            $chain = Join-Path $work 'chain.pem'
            $crls = Join-Path $work 'crls.pem'
            $leaf = Join-Path $work 'alice.pem'
            $null = New-ClientCertificate -GenerateKey -Issuer 'Sub' -Email 'alice@example.com' -StorePath $store | Export-IssuedCertificate -Path $leaf -StorePath $store

            $null = Export-CA -Name 'Sub' -Path $chain -IncludeChain -CrlPath $crls -StorePath $store

            [System.IO.File]::ReadAllText($chain) | Should -BeExactly ($ca.Sub.Pem + $ca.Root.Pem)
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-purpose', 'sslclient', '-crl_check_all', '-CRLfile', $crls, '-CAfile', $chain, $leaf)
            $verify.ExitCode | Should -Be 0 -Because $verify.Output
        }
    }

    Context 'Errors' {
        It 'writes <ErrorId> for <Case> and writes nothing' -ForEach @(
            @{ Case = 'a PFX without -Password'; Splat = @{ Format = 'Pfx' }; ErrorId = 'PfxPasswordRequired' }
            @{ Case = 'a key file with a PFX'; Splat = @{ Format = 'Pfx'; KeyPath = 'x.key'; Password = 'p' }; ErrorId = 'ExportFormatConflict' }
            @{ Case = 'a chain without CRLs in the store'; Splat = @{ CrlPath = 'x.crl' }; ErrorId = 'CaCrlMissing' }
        ) {
            $parameters = @{ Name = 'Sub'; Path = (Join-Path $work 'out.pem'); StorePath = $store; ErrorAction = 'Stop' }
            foreach ($k in $Splat.Keys) {
                $parameters[$k] = switch ($k) {
                    'KeyPath' { Join-Path $work $Splat[$k] }
                    'CrlPath' { Join-Path $work $Splat[$k] }
                    'Password' { ConvertTo-PkiTestSecureString -Text $Splat[$k] }
                    default { $Splat[$k] }
                }
            }

            { Export-CA @parameters } | Should -Throw -ErrorId "$ErrorId,$Command"
            @(Get-ChildItem -LiteralPath $work -File).Count | Should -Be 0
        }

        It 'writes CaKeyNotInStore for the key of a CA the store keeps without it' {
            $rootFile = Join-Path $TestDrive 'root-only.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            $other = New-PkiTestStorePath -Root $TestDrive
            $null = Import-CA -CertificatePath $rootFile -Name 'Anchor' -StorePath $other

            { Export-CA -Name 'Anchor' -Path (Join-Path $work 'a.pem') -KeyPath (Join-Path $work 'a.key') -StorePath $other -ErrorAction Stop } |
                Should -Throw -ErrorId "CaKeyNotInStore,$Command"
            @(Get-ChildItem -LiteralPath $work -File).Count | Should -Be 0
        }

        It 'writes ExportFileExists for a file that exists, without -Force' {
            $path = Join-Path $work 'exists.pem'
            Write-PkiTestFile -Path $path -Text 'keep'

            { Export-CA -Name 'Root' -Path $path -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "ExportFileExists,$Command"
            [System.IO.File]::ReadAllText($path) | Should -Be 'keep'
        }
    }
}
