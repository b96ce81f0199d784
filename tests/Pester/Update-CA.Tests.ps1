# Pester 5 tests for Update-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root (Root) and an intermediate (Sub). openssl judges that
# what was issued before a renewal chains to the renewed certificate.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.UpdateCACommand'
}

Describe 'Update-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store
        $leaf = Join-Path $work 'leaf.pem'
        $null = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store |
            Export-IssuedCertificate -Path $leaf -ChainPath (Join-Path $work 'chain.pem') -StorePath $store
    }

    Context 'Examples' {
        It 'renews the root with the same key and key identifier, and what it issued before still chains to it' {
            $renewed = Update-CA -Name 'Root' -Years 20 -StorePath $store
            $newRoot = Join-Path $work 'new-root.pem'
            Write-PkiTestFile -Path $newRoot -Text $renewed.Pem

            $renewed.Id | Should -Be $ca.Root.Id
            $renewed.Subject | Should -Be $ca.Root.Subject
            $renewed.SerialNumber | Should -Not -Be $ca.Root.SerialNumber
            $renewed.NotAfter | Should -BeGreaterThan $ca.Root.NotAfter
            $ski = { param($c) @($c.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension] })[0].SubjectKeyIdentifier }
            (& $ski $renewed.Certificate) | Should -Be (& $ski $ca.Root.Certificate)
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-x509_strict', '-CAfile', $newRoot, '-untrusted', (Join-Path $work 'chain.pem'), $leaf)
            $verify.ExitCode | Should -Be 0 -Because $verify.Output
        }

        It 'renews an intermediate within its root, and it goes on issuing' {
            $renewed = Update-CA -Name 'Sub' -Years 3 -StorePath $store

            $renewed.Thumbprint | Should -Not -Be $ca.Sub.Thumbprint
            $renewed.NotAfter | Should -BeLessOrEqual $ca.Root.NotAfter
            (New-Csr -CommonName 'api.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -IncludeChain -StorePath $store).CertificateChain |
                Should -BeLike "$($renewed.Pem)*"
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Update-CA -Name 'Root' -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes ValidityExceedsIssuer for an intermediate that would outlive its root, and changes nothing' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Update-CA -Name 'Sub' -Years 50 -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "ValidityExceedsIssuer,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaKeyNotInStore for a root the store keeps without its key' {
            $rootFile = Join-Path $work 'root-only.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            $other = New-PkiTestStorePath -Root $TestDrive
            $null = Import-CA -CertificatePath $rootFile -Name 'Anchor' -StorePath $other
            $before = Get-PkiStoreSnapshot -StorePath $other

            { Update-CA -Name 'Anchor' -StorePath $other -ErrorAction Stop } | Should -Throw -ErrorId "CaKeyNotInStore,$Command"
            Get-PkiStoreSnapshot -StorePath $other | Should -Be $before
        }

        It 'writes CaKeyMismatch for an intermediate whose key file is not its certificate''s key, and changes nothing' {
            $keys = Join-Path $store 'keys'
            [System.IO.File]::Copy((Join-Path $keys "ca-$($ca.Root.Id).key.pem"), (Join-Path $keys "ca-$($ca.Sub.Id).key.pem"), $true)
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Update-CA -Name 'Sub' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaKeyMismatch,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaNotFound for a CA that is not in the store' {
            { Update-CA -Name 'Nobody' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaNotFound,$Command"
        }
    }
}
