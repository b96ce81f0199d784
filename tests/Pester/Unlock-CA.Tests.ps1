# Pester 5 tests for Unlock-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root (Root, key without password) and an intermediate (Sub)
# whose key is encrypted. An unlocked key is kept in the PowerShell process, so every test locks what it unlocked.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'
}

Describe 'Unlock-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $password = ConvertTo-PkiTestSecureString -Text 'Sub-Pa55'
        $ca = New-PkiTestHierarchy -StorePath $store -SubParameters @{ KeyPassword = $password }
        $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
    }

    AfterEach {
        Lock-CA -Name 'Sub' -StorePath $store -ErrorAction SilentlyContinue
    }

    Context 'Examples' {
        It 'lets New-ServerCertificate sign without a password until Lock-CA locks the CA again' {
            { $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'

            $result = Unlock-CA -Name 'Sub' -Password $password -StorePath $store
            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            Lock-CA -Name 'Sub' -StorePath $store

            $result | Should -BeNullOrEmpty
            $certificate.IssuerName | Should -Be 'Sub'
            { $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'returns the unlocked CA with -PassThru, and Get-CA shows it unlocked' {
            $unlocked = Unlock-CA -Name 'Sub' -Password $password -PassThru -StorePath $store

            $unlocked.GetType().FullName | Should -Be $CaTypeName
            $unlocked.Id | Should -Be $ca.Sub.Id
            $unlocked.KeyProtected | Should -BeTrue
            $unlocked.Unlocked | Should -BeTrue
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
            Get-CA -Name 'Sub' -StorePath $store | Format-Table | Out-String -Width 200 | Should -Match 'Sub\s+Intermediate.*False'
        }

        It 'takes the name and the password by position, the Id, and CA objects from the pipeline' {
            Unlock-CA 'Sub' $password -StorePath $store
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
            Lock-CA -Name 'Sub' -StorePath $store

            Unlock-CA -Id $ca.Sub.Id -Password $password -StorePath $store
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
            Lock-CA -Name 'Sub' -StorePath $store

            Get-CA -Name 'Sub' -StorePath $store | Unlock-CA -Password $password -StorePath $store
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
        }

        It 'lets Publish-Crl sign with the unlocked key' {
            Unlock-CA -Name 'Sub' -Password $password -StorePath $store

            $crl = Publish-Crl -Issuer 'Sub' -StorePath $store

            $crl.IssuerName | Should -Be 'Sub'
            $crl.CrlNumber | Should -Be 1
        }

        It 'locks the key again when the time-out has passed' {
            Unlock-CA -Name 'Sub' -Password $password -Timeout 1 -StorePath $store
            Start-Sleep -Seconds 2

            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            { $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'takes the time-out with the PasswordTimeout alias' {
            Unlock-CA -Name 'Sub' -Password $password -PasswordTimeout 600 -StorePath $store

            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeTrue
        }

        It 'uses an explicit -IssuerKeyPassword even while the CA is unlocked' {
            Unlock-CA -Name 'Sub' -Password $password -StorePath $store

            { $csr | New-ServerCertificate -Issuer 'Sub' -IssuerKeyPassword (ConvertTo-PkiTestSecureString -Text 'wrong') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'does nothing for a CA whose key is not encrypted' {
            $root = Unlock-CA -Name 'Root' -Password (ConvertTo-PkiTestSecureString -Text 'anything') -PassThru -StorePath $store

            $root.KeyProtected | Should -BeFalse
            $root.Unlocked | Should -BeFalse
        }

        It 'unlocks the key for the whole process: another runspace signs with it too' {
            Unlock-CA -Name 'Sub' -Password $password -StorePath $store

            $seen = @(Invoke-PkiInOtherRunspace -Script 'param($Store, $Csr) (Get-CA -Name Sub -StorePath $Store).Unlocked; ($Csr | New-ServerCertificate -Issuer Sub -StorePath $Store).IssuerName' -ArgumentList $store, $csr.Csr)

            ($seen -join ',') | Should -Be 'True,Sub'
        }

        It 'unlocks the CA of its own store only' {
            $otherStore = New-PkiTestStorePath -Root $TestDrive
            $null = New-PkiTestHierarchy -StorePath $otherStore -SubParameters @{ KeyPassword = $password }

            Unlock-CA -Name 'Sub' -Password $password -StorePath $otherStore
            try {
                (Get-CA -Name 'Sub' -StorePath $otherStore).Unlocked | Should -BeTrue
                (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            }
            finally {
                Lock-CA -Name 'Sub' -StorePath $otherStore
            }
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Unlock-CA -Name 'Sub' -Password $password -StorePath $store -WhatIf

            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'never changes the store' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Unlock-CA -Name 'Sub' -Password $password -StorePath $store

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        BeforeEach {
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes KeyPasswordIncorrect for a wrong password and keeps the CA locked' {
            { Unlock-CA -Name 'Sub' -Password (ConvertTo-PkiTestSecureString -Text 'wrong') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.UnlockCACommand'
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordEmpty for an empty password' {
            { Unlock-CA -Name 'Sub' -Password (New-Object System.Security.SecureString) -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordEmpty,PkiCmdlets.Commands.UnlockCACommand'
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
        }

        It 'writes InvalidUnlockTimeout for -Timeout <Timeout>' -ForEach @(
            @{ Timeout = 0 }
            @{ Timeout = -5 }
        ) {
            { Unlock-CA -Name 'Sub' -Password $password -Timeout $Timeout -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidUnlockTimeout,PkiCmdlets.Commands.UnlockCACommand'
            (Get-CA -Name 'Sub' -StorePath $store).Unlocked | Should -BeFalse
        }

        It 'writes CaNotFound for a CA that is not in the store' {
            Unlock-CA -Name 'Nope' -Password $password -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CaNotFound,PkiCmdlets.Commands.UnlockCACommand'
            $failures[0].TargetObject | Should -Be 'Nope'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
