# Pester 5 tests for Get-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'
}

Describe 'Get-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $ca = New-PkiTestHierarchy -StorePath $store
        $sub2 = New-SubCA -CommonName 'Second Sub CA' -Name 'Sub2' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store
    }

    Context 'Examples' {
        It 'lists every CA of the store in the order they were created' {
            $all = @(Get-CA -StorePath $store)

            ($all | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root,Sub,Sub2'
            $all | ForEach-Object { $_ | Should -BeOfType $CaTypeName }
        }

        It 'returns what New-RootCA and New-SubCA returned' {
            $root = Get-CA -Name 'Root' -StorePath $store
            $sub = Get-CA -Name 'Sub' -StorePath $store

            $root.Id | Should -Be $ca.Root.Id
            $root.Thumbprint | Should -Be $ca.Root.Thumbprint
            $root.IsRoot | Should -BeTrue
            $root.Chain | Should -Be $ca.Root.Pem
            $sub.Id | Should -Be $ca.Sub.Id
            $sub.IsRoot | Should -BeFalse
            $sub.IssuerId | Should -Be $ca.Root.Id
            $sub.Subject | Should -Be $ca.Sub.Subject
            $sub.Subject | Should -Be 'CN=Test Sub CA, OU=Ops, O=Example Org, L=Hangzhou, S=Zhejiang, C=US'
            $sub.State | Should -Be 'Zhejiang'
            $sub.Locality | Should -Be 'Hangzhou'
            $sub.PathLength | Should -Be 0
            $sub.Chain | Should -Be ($ca.Sub.Pem + $ca.Root.Pem)
            $sub.NotAfter | Should -Be $ca.Sub.NotAfter
            $sub.CreatedAt | Should -Be $ca.Sub.CreatedAt
            $sub.Certificate.Thumbprint | Should -Be $ca.Sub.Thumbprint
            $sub.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
        }

        It 'finds CAs by name regardless of case, by Id, and by wildcard, each once' {
            (Get-CA -Name 'sub2' -StorePath $store).Id | Should -Be $sub2.Id
            (Get-CA -Name $ca.Root.Id -StorePath $store).Name | Should -Be 'Root'
            (Get-CA -Name $ca.Root.Id.ToUpperInvariant() -StorePath $store).Name | Should -Be 'Root'
            (@(Get-CA -Name 'Sub*' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub,Sub2'
            (@(Get-CA -Name 'Sub*', '*2', 'Sub2' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub,Sub2'
            (@(Get-CA 'Root' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root'
            (Get-CA -Id 'Sub' -StorePath $store).Name | Should -Be 'Sub'
            (Get-CA -Identifier $sub2.Id -StorePath $store).Name | Should -Be 'Sub2'
        }

        It 'gets only roots with -Root and only intermediates with -Intermediate' {
            (@(Get-CA -Root -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root'
            (@(Get-CA -Intermediate -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub,Sub2'
            (@(Get-CA -Name 'Sub*' -Intermediate -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub,Sub2'
        }

        It 'returns nothing and reports no error for a name of the other kind' {
            $result = @(Get-CA -Name 'Sub' -Root -StorePath $store -ErrorVariable problems)

            $result.Count | Should -Be 0
            $problems.Count | Should -Be 0
        }

        It 'binds -Name by property name from a Name, Id or Identifier property' {
            ([pscustomobject]@{ Name = 'Sub2' } | Get-CA -StorePath $store).Id | Should -Be $sub2.Id
            ([pscustomobject]@{ Id = $ca.Sub.Id } | Get-CA -StorePath $store).Name | Should -Be 'Sub'
            ([pscustomobject]@{ Identifier = $ca.Root.Id } | Get-CA -StorePath $store).Name | Should -Be 'Root'
            ($ca.Sub | Get-CA -StorePath $store).Id | Should -Be $ca.Sub.Id
        }

        It 'shows the state of an encrypted key: protected, locked until Unlock-CA' {
            $password = ConvertTo-PkiTestSecureString -Text 'Sub-Pa55'
            $null = New-SubCA -CommonName 'Protected Sub' -Name 'Protected' -Issuer 'Root' -KeyPassword $password -Algorithm ECC -StorePath $store

            $locked = Get-CA -Name 'Protected' -StorePath $store
            Unlock-CA -Name 'Protected' -Password $password -StorePath $store
            try {
                $unlocked = Get-CA -Name 'Protected' -StorePath $store
            }
            finally {
                Lock-CA -Name 'Protected' -StorePath $store
            }

            $locked.KeyProtected | Should -BeTrue
            $locked.Unlocked | Should -BeFalse
            $unlocked.Unlocked | Should -BeTrue
            (Get-CA -Name 'Sub' -StorePath $store).KeyProtected | Should -BeFalse
        }

        It 'shows CAs in the default table view' {
            $table = Get-CA -StorePath $store | Format-Table | Out-String -Width 200

            $table | Should -Match 'Kind'
            $table | Should -Match 'Intermediate'
            $table | Should -Match 'Locked'
            $table | Should -Match ([regex]::Escape($ca.Root.Id))
        }

        It 'finds nothing in a store that does not exist, and does not create it' {
            $empty = New-PkiTestStorePath -Root $TestDrive

            $result = @(Get-CA -StorePath $empty -ErrorVariable problems)

            $result.Count | Should -Be 0
            $problems.Count | Should -Be 0
            Test-Path -LiteralPath $empty | Should -BeFalse
        }

        It 'never changes the store' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            $null = Get-CA -StorePath $store
            $null = Get-CA -Name 'nope', 'Sub*' -StorePath $store -ErrorAction SilentlyContinue

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes CaNotFound for a name that is not in the store' {
            { Get-CA -Name 'Nope' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CaNotFound,PkiCmdlets.Commands.GetCACommand'
        }

        It 'returns the CAs it finds and reports the name it does not find' {
            $found = @(Get-CA -Name 'Nope', 'Sub2' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($found | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub2'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CaNotFound,PkiCmdlets.Commands.GetCACommand'
            $problems[0].TargetObject | Should -Be 'Nope'
            "$($problems[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        }

        It 'returns nothing and reports no error for a wildcard that matches nothing' {
            $result = @(Get-CA -Name 'Nothing*' -StorePath $store -ErrorVariable problems)

            $result.Count | Should -Be 0
            $problems.Count | Should -Be 0
        }

        It 'reports a damaged CA certificate file and still returns the other CAs' {
            Write-PkiTestFile -Path (Join-Path $store "cas/$($sub2.Id).crt.pem") -Text 'not a certificate'

            $found = @(Get-CA -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($found | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root,Sub'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand'
            "$($problems[0].TargetObject)" | Should -Match ([regex]::Escape("$($sub2.Id).crt.pem"))
        }
    }
}
