# Pester 5 tests for Lock-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root (Root, key without password) and an intermediate (Sub)
# whose key is encrypted.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'
}

Describe 'Lock-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $password = ConvertTo-PkiTestSecureString -Text 'Sub-Pa55'
        $ca = New-PkiTestHierarchy -StorePath $store -SubParameters @{ KeyPassword = $password }
        $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
        Unlock-CA -Name 'Sub' -Password $password -StorePath $store
    }

    AfterEach {
        Lock-CA -Name 'Sub' -StorePath $store -ErrorAction SilentlyContinue
    }

    Context 'Examples' {
        It 'locks an unlocked CA, so that signing needs the password again' {
            $null = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $result = Lock-CA -Name 'Sub' -StorePath $store

            $result | Should -BeNullOrEmpty
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            { $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
            { Publish-Crl -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.PublishCrlCommand'
            ($csr | New-ServerCertificate -Issuer 'Sub' -IssuerKeyPassword $password -StorePath $store).IssuerName | Should -Be 'Sub'
        }

        It 'locks the key for the whole process: Lock-CA in another runspace locks it here too' {
            $seen = @(Invoke-PkiInOtherRunspace -Script 'param($Store) (Get-CA -Name Sub -StorePath $Store).Unlocked; Lock-CA -Name Sub -StorePath $Store' -ArgumentList $store)

            ($seen -join ',') | Should -Be 'True'
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            { $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'says in CaLocked that an unlocked key stays usable in this PowerShell process' {
            Lock-CA -Name 'Sub' -StorePath $store

            $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].Exception.Message | Should -Match 'Unlock-CA -Name ''Sub'''
            $failures[0].Exception.Message | Should -Match 'this PowerShell process'
        }

        It 'returns the locked CA with -PassThru' {
            $locked = Lock-CA -Name 'Sub' -PassThru -StorePath $store

            $locked.GetType().FullName | Should -Be $CaTypeName
            $locked.Id | Should -Be $ca.Sub.Id
            $locked.KeyProtected | Should -BeTrue
            $locked.Unlocked | Should -BeFalse
        }

        It 'takes the name by position and the Id' {
            Lock-CA 'Sub' -StorePath $store
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse

            Unlock-CA -Name 'Sub' -Password $password -StorePath $store
            Lock-CA -Id $ca.Sub.Id -StorePath $store
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
        }

        It 'locks every CA that Get-CA pipes to it' {
            $locked = @(Get-CA -StorePath $store | Lock-CA -PassThru -StorePath $store)

            ($locked | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root,Sub'
            @($locked | Where-Object { $_.Unlocked }).Count | Should -Be 0
        }

        It 'does nothing, and reports no error, for a CA that is not unlocked or has no password' {
            Lock-CA -Name 'Sub' -StorePath $store

            Lock-CA -Name 'Sub' -StorePath $store -ErrorVariable problems
            Lock-CA -Name 'Root' -StorePath $store -ErrorVariable +problems

            $problems.Count | Should -Be 0
        }

        It 'keeps the CA unlocked with -WhatIf and never changes the store' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Lock-CA -Name 'Sub' -StorePath $store -WhatIf

            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
            Lock-CA -Name 'Sub' -StorePath $store
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes CaNotFound for a CA that is not in the store' {
            { Lock-CA -Name 'Nope' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CaNotFound,PkiCmdlets.Commands.LockCACommand'
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
        }
    }
}
