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
            $all | ForEach-Object { $_.GetType().FullName | Should -Be $CaTypeName }
        }

        It 'returns what New-RootCA and New-SubCA returned' {
            $root = Get-CA -Name 'Root' -StorePath $store
            $sub = Get-CA -Name 'Sub' -StorePath $store

            $root.Id | Should -Be $ca.Root.Id
            $root.Thumbprint | Should -Be $ca.Root.Thumbprint
            $root.IsRoot | Should -BeTrue
            $root.Chain | Should -Be $ca.Root.Pem
            $root.IssuerName | Should -Be 'Root'
            $root.IssuerSubject | Should -Be $root.Subject
            $sub.Id | Should -Be $ca.Sub.Id
            $sub.IsRoot | Should -BeFalse
            $sub.IssuerId | Should -Be $ca.Root.Id
            $sub.IssuerName | Should -Be 'Root'
            $sub.IssuerSubject | Should -Be $ca.Root.Subject
            $sub.IssuerSubject | Should -Be $sub.Certificate.Issuer
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
            # 'S*2', not '*2': a pattern also matches Ids, and a random Id ending in 2 would make the root match too.
            (@(Get-CA -Name 'Sub*', 'S*2', 'Sub2' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Sub,Sub2'
            (@(Get-CA 'Root' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root'
            (Get-CA -Id 'Sub' -StorePath $store).Name | Should -Be 'Sub'
            (Get-CA -Id $sub2.Id -StorePath $store).Name | Should -Be 'Sub2'
            # Identifier is no alias of -Name: it is an issued certificate's property, not a CA's.
            @((Get-Command -Name Get-CA).Parameters['Name'].Aliases) -join ',' | Should -Be 'Id'
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

        It 'binds -Name by property name from a Name or Id property' {
            ([pscustomobject]@{ Name = 'Sub2' } | Get-CA -StorePath $store).Id | Should -Be $sub2.Id
            ([pscustomobject]@{ Id = $ca.Sub.Id } | Get-CA -StorePath $store).Name | Should -Be 'Sub'
            ($ca.Sub | Get-CA -StorePath $store).Id | Should -Be $ca.Sub.Id
        }

        It 'does not bind an Identifier property, such as an issued certificate''s' {
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $fromIdentifier = @([pscustomobject]@{ Identifier = $ca.Root.Id } | Get-CA -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable identifierProblems)
            $fromCertificate = @($certificate | Get-CA -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable certificateProblems)

            $fromIdentifier.Count | Should -Be 0
            $identifierProblems.Count | Should -Be 1
            $identifierProblems[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound,*'
            $fromCertificate.Count | Should -Be 0
            $certificateProblems.Count | Should -Be 1
            $certificateProblems[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound,*'
            # The way to the issuing CA of a certificate:
            (Get-CA -Name $certificate.IssuerId -StorePath $store).Name | Should -Be 'Sub'
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

        It 'shows CAs in the default list view, with their ids, and in a table with Format-Table' {
            $list = Get-CA -StorePath $store | Out-String -Width 80
            $table = Get-CA -StorePath $store | Format-Table | Out-String -Width 200

            $list | Should -Match "Id\s+: $([regex]::Escape($ca.Root.Id))"
            $list | Should -Match 'Kind\s+: Intermediate'
            $list | Should -Match 'Locked\s+: False'
            $table | Should -Match 'Kind'
            $table | Should -Match 'Intermediate'
            $table | Should -Match 'Locked'
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

        It 'reports a damaged CA record and still finds the other CAs by name and Id' {
            Write-PkiTestFile -Path (Join-Path $store "cas/$($sub2.Id).json") -Text 'not a record'

            $found = @(Get-CA -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)
            $byName = Get-CA -Name 'sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable nameProblems
            $byId = Get-CA -Name $ca.Root.Id -StorePath $store -ErrorAction SilentlyContinue

            ($found | ForEach-Object { $_.Name }) -join ',' | Should -Be 'Root,Sub'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand'
            "$($problems[0].TargetObject)" | Should -Match ([regex]::Escape("$($sub2.Id).json"))
            $byName.Id | Should -Be $ca.Sub.Id
            # The damaged record is reported on every call, also when -Name selects other CAs.
            @($nameProblems | ForEach-Object { $_.FullyQualifiedErrorId }) -join ',' | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand'
            $byId.Name | Should -Be 'Root'
            # The cmdlets that take a CA still find the others.
            (New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store).IssuerId | Should -Be $ca.Sub.Id
            (Get-IssuedCertificate -Issuer 'Sub' -StorePath $store).CommonName | Should -Be 'www.example.com'
        }

        It 'reports each CA below a damaged record as StoreRecordCorrupt naming that record' {
            Write-PkiTestFile -Path (Join-Path $store "cas/$($ca.Root.Id).json") -Text 'not a record'

            $found = @(Get-CA -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            $found.Count | Should -Be 0
            # The root's own record, then Sub and Sub2, whose chains cannot be built without it.
            @($problems | ForEach-Object { $_.FullyQualifiedErrorId }) -join ',' |
                Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand,StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand,StoreRecordCorrupt,PkiCmdlets.Commands.GetCACommand'
            foreach ($problem in $problems) {
                "$($problem.TargetObject)" | Should -BeLike "*$($ca.Root.Id).json"
            }
        }
    }
}
