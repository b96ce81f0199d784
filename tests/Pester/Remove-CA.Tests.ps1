# Pester 5 tests for Remove-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root (Root) and an intermediate (Sub).

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.RemoveCACommand'
}

Describe 'Remove-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $ca = New-PkiTestHierarchy -StorePath $store
    }

    Context 'Examples' {
        It 'removes an intermediate that issued nothing, then its root, with every file kept for them' {
            $removed = Remove-CA -Name 'Sub', 'Root' -Confirm:$false -PassThru -StorePath $store

            ($removed | ForEach-Object Name) -join ',' | Should -Be 'Sub,Root'
            @(Get-CA -StorePath $store).Count | Should -Be 0
            @(Get-ChildItem -LiteralPath $store -Recurse -File | Where-Object { $_.Name -match "$($ca.Sub.Id)|$($ca.Root.Id)" }).Count | Should -Be 0
        }

        It 'removes an intermediate with unexpired certificates, and its journal, only with -Force' {
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $null = Remove-CA -Name 'Sub' -Force -Confirm:$false -StorePath $store

            @(Get-CA -StorePath $store).Name | Should -Be @('Root')
            { Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
        }

        It 'removes an intermediate waiting for its certificate, with its key and request' {
            $null = Request-SubCA -Name 'Waiting' -CommonName 'Waiting CA' -Algorithm ECC -NoPassword -StorePath $store

            $removed = Remove-CA -Name 'Waiting' -Confirm:$false -PassThru -StorePath $store

            $removed.Name | Should -Be 'Waiting'
            @(Get-CA -Pending -StorePath $store).Count | Should -Be 0
            Test-Path -LiteralPath (Join-Path $store "keys/ca-$($removed.Id).key.pem") | Should -BeFalse
        }

        It 'removes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Remove-CA -Name 'Sub' -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes CaHasIssuedCertificates while certificates it issued are unexpired, and changes nothing' {
            $null = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Remove-CA -Name 'Sub' -Confirm:$false -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaHasIssuedCertificates,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaHasSubordinates for a CA whose intermediates are in the store, even with -Force, and changes nothing' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Remove-CA -Name 'Root' -Force -Confirm:$false -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaHasSubordinates,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaNotFound for a name that is not in the store' {
            { Remove-CA -Name 'Nobody' -Confirm:$false -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaNotFound,$Command"
        }
    }
}
