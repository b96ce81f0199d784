# Pester 5 tests for Set-CAKeyPassword. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath, with a root (Root, key without password) and an intermediate (Sub)
# whose key is encrypted. openssl reads the key file to judge which password opens it.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.SetCAKeyPasswordCommand'
}

Describe 'Set-CAKeyPassword' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $old = ConvertTo-PkiTestSecureString -Text 'Sub-Old-Pa55'
        $new = ConvertTo-PkiTestSecureString -Text 'Sub-New-Pa55'
        $ca = New-PkiTestHierarchy -StorePath $store -SubParameters @{ KeyPassword = $old }
        $subKey = Join-Path $store "keys/ca-$($ca.Sub.Id).key.pem"
        $rootKey = Join-Path $store "keys/ca-$($ca.Root.Id).key.pem"
    }

    AfterEach {
        Lock-CA -StorePath $store -ErrorAction SilentlyContinue
    }

    Context 'Examples' {
        It 'encrypts the key with the new password, which openssl and the next signature take, and the old one no longer opens it' {
            Set-CAKeyPassword -Name 'Sub' -KeyPassword $old -NewKeyPassword $new -StorePath $store

            (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $subKey, '-passin', 'pass:Sub-New-Pa55', '-noout')).ExitCode | Should -Be 0
            (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $subKey, '-passin', 'pass:Sub-Old-Pa55', '-noout')).ExitCode | Should -Not -Be 0
            $issued = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -IssuerKeyPassword $new -StorePath $store
            $issued.IssuerName | Should -Be 'Sub'
        }

        It 'protects a key kept without a password, and returns the CA with -PassThru' {
            $ca = Set-CAKeyPassword -Name 'Root' -NewKeyPassword $new -PassThru -StorePath $store

            $ca.KeyProtected | Should -BeTrue
            $ca.Locked | Should -BeTrue
            Get-Content -LiteralPath $rootKey -Raw | Should -Match 'BEGIN ENCRYPTED PRIVATE KEY'
        }

        It 'needs no current password for a key unlocked with Unlock-CA' {
            Unlock-CA -Name 'Sub' -Password $old -StorePath $store

            Set-CAKeyPassword -Name 'Sub' -NewKeyPassword $new -StorePath $store

            (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $subKey, '-passin', 'pass:Sub-New-Pa55', '-noout')).ExitCode | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Set-CAKeyPassword -Name 'Sub' -KeyPassword $old -NewKeyPassword $new -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes <ErrorId> for <Case> and changes nothing' -ForEach @(
            @{ Case = 'a wrong current password'; Current = 'not-the-password'; NewText = 'Sub-New-Pa55'; ErrorId = 'KeyPasswordIncorrect' }
            @{ Case = 'a new password shorter than 8 characters'; Current = 'Sub-Old-Pa55'; NewText = 'short'; ErrorId = 'KeyPasswordTooWeak' }
            @{ Case = 'no current password for a locked key'; Current = $null; NewText = 'Sub-New-Pa55'; ErrorId = 'CaLocked' }
        ) {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $parameters = @{ Name = 'Sub'; NewKeyPassword = (ConvertTo-PkiTestSecureString -Text $NewText); StorePath = $store; ErrorAction = 'Stop' }
            if ($Current) { $parameters['KeyPassword'] = ConvertTo-PkiTestSecureString -Text $Current }

            { Set-CAKeyPassword @parameters } | Should -Throw -ErrorId "$ErrorId,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaKeyNotInStore for a CA the store keeps without its key' {
            $rootFile = Join-Path $TestDrive 'root-only.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            $other = New-PkiTestStorePath -Root $TestDrive
            $null = Import-CA -CertificatePath $rootFile -Name 'Anchor' -StorePath $other
            $before = Get-PkiStoreSnapshot -StorePath $other

            { Set-CAKeyPassword -Name 'Anchor' -NewKeyPassword $new -StorePath $other -ErrorAction Stop } | Should -Throw -ErrorId "CaKeyNotInStore,$Command"
            Get-PkiStoreSnapshot -StorePath $other | Should -Be $before
        }
    }
}
