# Pester 5 tests for Get-Csr. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CsrTypeName = 'PkiCmdlets.Core.Requests.CertificateSigningRequest'
}

Describe 'Get-Csr' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    Context 'Examples' {
        BeforeEach {
            $web1 = New-Csr -CommonName 'web1.example.com' -Name 'web-1' -Algorithm ECC -StorePath $store
            $web2 = New-Csr -CommonName 'web2.example.com' -Name 'web-2' -Algorithm ECC -StorePath $store
            $db = New-Csr -CommonName 'db.example.com' -Name 'db' -Algorithm ECC -Draft -StorePath $store
        }

        It 'lists every CSR in the store, ordered by Id, when no name is given' {
            $all = @(Get-Csr -StorePath $store)

            $all.Count | Should -Be 3
            ($all | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2,db'
            ($all | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,2,3'
            $all | ForEach-Object { $_.GetType().FullName | Should -Be $CsrTypeName }
        }

        It 'returns what New-Csr returned' {
            $found = Get-Csr -Name 'web-1' -StorePath $store

            $found.Id | Should -Be $web1.Id
            $found.CommonName | Should -Be $web1.CommonName
            $found.Subject | Should -Be $web1.Subject
            $found.Algorithm | Should -Be $web1.Algorithm
            $found.Csr | Should -Be $web1.Csr
            $found.PublicKeyMd5 | Should -Be $web1.PublicKeyMd5
            $found.PublicKeySha256 | Should -Be $web1.PublicKeySha256
            $found.KeyPath | Should -Be $web1.KeyPath
            $found.StorePath | Should -Be $web1.StorePath
            $found.CreatedAt | Should -Be $web1.CreatedAt
            $found.GeneratedAt | Should -Be $web1.GeneratedAt
        }

        It 'has every property the cmdlets document' {
            $found = Get-Csr -Name 'web-2' -StorePath $store
            $names = @($found.PSObject.Properties | ForEach-Object { $_.Name })

            foreach ($property in @('Id', 'Name', 'Status', 'CommonName', 'SubjectAlternativeNames', 'Subject', 'Algorithm',
                    'KeySize', 'Csr', 'PublicKeyMd5', 'PublicKeySha256', 'KeyProtected', 'KeyPath', 'CreatedAt', 'GeneratedAt',
                    'Remark', 'Tags', 'StorePath')) {
                $names | Should -Contain $property
            }
        }

        It 'finds a CSR by its exact name, ignoring letter case' {
            $found = @(Get-Csr -Name 'WEB-2' -StorePath $store)

            $found.Count | Should -Be 1
            $found[0].Id | Should -Be 2
        }

        It 'takes the name by position' {
            (Get-Csr 'db' -StorePath $store).Id | Should -Be 3
        }

        It 'finds CSRs by wildcard' {
            (@(Get-Csr -Name 'web-*' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'
            (@(Get-Csr -Name '?b' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
            (@(Get-Csr -Name 'web-[2-9]' -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-2'
        }

        It 'returns each CSR once when several patterns match it' {
            $found = @(Get-Csr -Name 'web*', '*-1', 'WEB-1' -StorePath $store -ErrorVariable problems)

            ($found | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'
            $problems.Count | Should -Be 0
        }

        It 'filters by status and by tag, as in the help' {
            $null = New-Csr -CommonName 'tagged.example.com' -Name 'tagged' -Tag @{ Owner = 'web-team' } -Algorithm ECC -StorePath $store

            (@(Get-Csr -StorePath $store | Where-Object Status -EQ 'Draft') | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
            (@(Get-Csr -StorePath $store | Where-Object { $_.Tags['Owner'] -eq 'web-team' }) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'tagged'
            (@(Get-Csr -StorePath $store | Where-Object { "$($_.Status)" -eq 'Generated' -and -not $_.KeyProtected }) | ForEach-Object { $_.Name }) -join ',' |
                Should -Be 'web-1,web-2,tagged'
        }

        It 'returns nothing, and no error, for a wildcard that matches nothing' {
            $found = @(Get-Csr -Name 'nothing-*' -StorePath $store -ErrorVariable problems)

            $found.Count | Should -Be 0
            $problems.Count | Should -Be 0
        }

        It 'accepts several names and several Ids, also with the CsrId alias' {
            # Names select; the CSRs come in Id order. Ids come in the order given.
            (@(Get-Csr -Name 'db', 'web-1' -StorePath $store) | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,3'
            (@(Get-Csr -Id 3, 1 -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db,web-1'
            (Get-Csr -CsrId 2 -StorePath $store).Name | Should -Be 'web-2'
        }

        It 'shows a draft with its status and without request or key' {
            $draft = Get-Csr -Name 'db' -StorePath $store

            "$($draft.Status)" | Should -Be 'Draft'
            $draft.Csr | Should -BeNullOrEmpty
            $draft.KeyPath | Should -BeNullOrEmpty
        }
    }

    Context 'A store that does not exist yet' {
        It 'returns nothing, writes no error and does not create the store' {
            $found = @(Get-Csr -StorePath $store -ErrorVariable problems)

            $found.Count | Should -Be 0
            $problems.Count | Should -Be 0
            Test-Path -LiteralPath $store | Should -BeFalse
        }
    }

    Context 'Errors' {
        BeforeEach {
            $null = New-Csr -CommonName 'one.example.com' -Name 'one' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CsrNotFound for <Case>' -ForEach @(
            @{ Case = 'an Id that does not exist'; Splat = @{ Id = 999 } }
            @{ Case = 'Id 0'; Splat = @{ Id = 0 } }
            @{ Case = 'a name that does not exist'; Splat = @{ Name = 'nope' } }
        ) {
            { Get-Csr @Splat -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CsrNotFound,PkiCmdlets.Commands.GetCsrCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'reports what it did not find as the target and carries on with the rest' {
            $byId = @(Get-Csr -Id 999, 1 -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable idProblems)
            $byName = @(Get-Csr -Name 'nope', 'one' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable nameProblems)

            ($byId | ForEach-Object { $_.Name }) -join ',' | Should -Be 'one'
            $idProblems.Count | Should -Be 1
            $idProblems[0].FullyQualifiedErrorId | Should -Be 'CsrNotFound,PkiCmdlets.Commands.GetCsrCommand'
            $idProblems[0].TargetObject | Should -Be 999
            "$($idProblems[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            ($byName | ForEach-Object { $_.Name }) -join ',' | Should -Be 'one'
            $nameProblems.Count | Should -Be 1
            $nameProblems[0].TargetObject | Should -Be 'nope'
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            { Get-Csr -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } | Should -Throw -ErrorId 'StorePathInvalid,PkiCmdlets.Commands.GetCsrCommand'
            { New-Csr -CommonName 'env.example.com' -Algorithm ECC -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
                Should -Throw -ErrorId 'StorePathInvalid,PkiCmdlets.Commands.NewCsrCommand'
            Test-Path -LiteralPath 'Env:\PkiCmdletsTestStore' | Should -BeFalse
        }

        It 'stops with StoreVersionUnsupported for a store written by a newer version' {
            Write-PkiTestFile -Path (Join-Path $store 'store.json') -Text "{ `"formatVersion`": 99 }`n"

            { Get-Csr -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'StoreVersionUnsupported,PkiCmdlets.Commands.GetCsrCommand'
            # A store this version cannot use ends the whole call, whatever -ErrorAction says.
            { Get-Csr -StorePath $store -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'StoreVersionUnsupported,PkiCmdlets.Commands.GetCsrCommand'
        }

        It 'lists the readable CSRs and reports a damaged record as StoreRecordCorrupt' {
            $null = New-Csr -CommonName 'two.example.com' -Name 'two' -Algorithm ECC -StorePath $store
            $null = New-Csr -CommonName 'three.example.com' -Name 'three' -Algorithm ECC -StorePath $store
            Write-PkiTestFile -Path (Join-Path (Join-Path $store 'csrs') '2.json') -Text '{ not json'

            $found = @(Get-Csr -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($found | ForEach-Object { $_.Name }) -join ',' | Should -Be 'one,three'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetCsrCommand'
            "$($problems[0].TargetObject)" | Should -BeLike '*2.json'
            "$($problems[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        }
    }

    Context 'Pipeline' {
        BeforeEach {
            $null = New-Csr -CommonName 'web1.example.com' -Name 'web-1' -Algorithm ECC -StorePath $store
            $null = New-Csr -CommonName 'web2.example.com' -Name 'web-2' -Algorithm ECC -StorePath $store
            $null = New-Csr -CommonName 'db.example.com' -Name 'db' -Algorithm ECC -Draft -StorePath $store
        }

        It 'takes names by property name' {
            $found = @([pscustomobject]@{ Name = 'db' }, [pscustomobject]@{ Name = 'web-1' } | Get-Csr -StorePath $store)

            ($found | ForEach-Object { $_.Id }) -join ',' | Should -Be '3,1'
        }

        It 'takes Ids by property name, also through the CsrId alias' {
            ([pscustomobject]@{ Id = 2 } | Get-Csr -StorePath $store).Name | Should -Be 'web-2'
            ([pscustomobject]@{ CsrId = 3 } | Get-Csr -StorePath $store).Name | Should -Be 'db'
        }

        It 'takes its own output and the output of New-Csr' {
            $again = @(Get-Csr -StorePath $store | Get-Csr -StorePath $store)
            $created = New-Csr -CommonName 'new.example.com' -Algorithm ECC -StorePath $store
            $found = $created | Get-Csr -StorePath $store

            ($again | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,2,3'
            $found.Id | Should -Be 4
            $found.PublicKeySha256 | Should -Be $created.PublicKeySha256
        }
    }

    Context 'Tab completion' {
        It 'completes -Name from the store that -StorePath names' {
            $null = New-Csr -CommonName 'web1.example.com' -Name 'web-1' -Algorithm ECC -StorePath $store
            $null = New-Csr -CommonName 'web2.example.com' -Name 'web-2' -Algorithm ECC -StorePath $store
            $null = New-Csr -CommonName 'db.example.com' -Name 'db' -Algorithm ECC -Draft -StorePath $store
            $line = "Get-Csr -StorePath '" + $store.Replace("'", "''") + "' -Name we"

            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $texts = @($completion.CompletionMatches | ForEach-Object { $_.CompletionText } | Sort-Object)

            ($texts -join ',') | Should -Be 'web-1,web-2'
        }
    }
}
