# Pester 5 tests for Test-PkiStore. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath: a root (Root), an intermediate (Sub), two certificates, one revoked, and
# a CRL.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $ResultTypeName = 'PkiCmdlets.Core.Integrity.StoreCheckResult'
}

Describe 'Test-PkiStore' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $ca = New-PkiTestHierarchy -StorePath $store
        $kept = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        $revoked = New-Csr -CommonName 'old.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        $null = Revoke-IssuedCertificate -Identifier $revoked.Identifier -Reason Superseded -Confirm:$false -StorePath $store
        $null = Publish-Crl -Issuer 'Sub' -StorePath $store
        $journal = Join-Path $store "issued/$($ca.Sub.Id)/certificates.journal"
    }

    Context 'Examples' {
        It 'finds a sound store healthy, counts what it checked, and changes nothing' {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $lockFiles = @(Get-ChildItem -LiteralPath $store -Filter '.lock' -Force).Count

            $result = Test-PkiStore -StorePath $store

            $result.GetType().FullName | Should -Be $ResultTypeName
            $result.Healthy | Should -BeTrue
            $result.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
            $result.CasChecked | Should -Be 2
            $result.KeysChecked | Should -Be 2
            $result.JournalsChecked | Should -Be 1
            $result.JournalLines | Should -Be 4
            $result.CertificatesChecked | Should -Be 2
            $result.CrlsChecked | Should -Be 1
            $result.CsrsChecked | Should -Be 2
            @($result.Problems).Count | Should -Be 0
            Test-PkiStore -Quiet -StorePath $store | Should -BeTrue
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            @(Get-ChildItem -LiteralPath $store -Filter '.lock' -Force).Count | Should -Be $lockFiles
        }

        It 'finds a CA kept without its key and an intermediate waiting for its certificate healthy, and counts them' {
            $other = New-PkiTestStorePath -Root $TestDrive
            $null = New-PkiTestHierarchy -StorePath $other
            $anchorFile = Join-Path $TestDrive 'anchor.pem'
            $null = Export-CA -Name 'Root' -Path $anchorFile -StorePath $other
            $anchor = Import-CA -CertificatePath $anchorFile -Name 'Anchor' -StorePath $store
            $null = Request-SubCA -Name 'Waiting' -CommonName 'Waiting CA' -Algorithm ECC -NoPassword -StorePath $store

            $result = Test-PkiStore -StorePath $store

            $anchor.HasKey | Should -BeFalse
            @($result.Problems | ForEach-Object { $_.Message }) | Should -Be @()
            $result.Healthy | Should -BeTrue
            $result.CasChecked | Should -Be 3
            $result.KeysChecked | Should -Be 2
            $result.PendingCasChecked | Should -Be 1
            ($result | Out-String) | Should -Match 'PendingCasChecked\s+: 1'
        }

        It 'names a journal line whose bytes changed, and finds the store unhealthy' {
            $text = [System.IO.File]::ReadAllText($journal)
            Write-PkiTestFile -Path $journal -Text $text.Replace('old.example.com', 'olD.example.com')
            $damaged = Get-PkiStoreSnapshot -StorePath $store

            $result = Test-PkiStore -StorePath $store

            $result.Healthy | Should -BeFalse
            $problem = @($result.Problems)[0]
            $problem.ErrorId | Should -Be 'StoreRecordCorrupt'
            $problem.Path | Should -Be ([System.IO.Path]::GetFullPath($journal))
            $problem.Line | Should -Be 3
            $problem.Message | Should -Match 'Line 3 of'
            Test-PkiStore -Quiet -StorePath $store | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $damaged
            ($result | Out-String) | Should -Match 'Line 3 of'
        }

        It 'names a CA key that is not the key of its certificate' {
            Copy-Item -LiteralPath (Join-Path $store "keys/ca-$($ca.Root.Id).key.pem") -Destination (Join-Path $store "keys/ca-$($ca.Sub.Id).key.pem") -Force

            $result = Test-PkiStore -StorePath $store

            @($result.Problems | ForEach-Object { $_.ErrorId }) | Should -Contain 'CaKeyMismatch'
            { New-Csr -CommonName 'new.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaKeyMismatch,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'names a journal that is gone after its CA issued, which Publish-Crl and Get-IssuedCertificate report too' {
            Remove-Item -LiteralPath $journal

            (Test-PkiStore -StorePath $store).Problems[0].Message | Should -Match 'missing, but'
            $found = @(Get-IssuedCertificate -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)
            $found.Count | Should -Be 0
            $problems[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetIssuedCertificateCommand'
            { Publish-Crl -Issuer 'Sub' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'StoreRecordCorrupt,PkiCmdlets.Commands.PublishCrlCommand'
        }
    }

    Context 'Errors' {
        It 'writes StoreNotFound for a folder without a store, and creates nothing' {
            $nothing = Join-Path $TestDrive 'no-store-here'

            { Test-PkiStore -StorePath $nothing -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotFound,PkiCmdlets.Commands.TestPkiStoreCommand'
            Test-Path -LiteralPath $nothing | Should -BeFalse
        }

        It 'stops with StorePathInvalid for a -StorePath that is a file' {
            $file = Join-Path $TestDrive 'a-file'
            Write-PkiTestFile -Path $file -Text 'not a store'

            { Test-PkiStore -StorePath $file -ErrorAction Stop } | Should -Throw -ErrorId 'StorePathInvalid,PkiCmdlets.Commands.TestPkiStoreCommand'
            { Get-CA -StorePath $file -ErrorAction Stop } | Should -Throw -ErrorId 'StorePathInvalid,PkiCmdlets.Commands.GetCACommand'
        }
    }
}
