# Pester 5 tests for Remove-Csr. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. Remove-Csr has ConfirmImpact High, so every call
# that should remove something passes -Confirm:$false.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CsrTypeName = 'PkiCmdlets.Core.Requests.CertificateSigningRequest'
}

Describe 'Remove-Csr' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $web1 = New-Csr -CommonName 'web1.example.com' -Name 'web-1' -Algorithm ECC -StorePath $store
        $web2 = New-Csr -CommonName 'web2.example.com' -Name 'web-2' -Algorithm ECC -StorePath $store
        $db = New-Csr -CommonName 'db.example.com' -Name 'db' -Algorithm ECC -Draft -StorePath $store
    }

    Context 'Examples' {
        It 'removes a CSR and its private key by Id, and writes nothing' {
            $result = Remove-Csr -Id $web1.Id -Confirm:$false -StorePath $store

            $result | Should -BeNullOrEmpty
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-2,db'
            $web1.KeyPath | Should -Not -Exist
            $web2.KeyPath | Should -Exist
            { Get-Csr -Id $web1.Id -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CsrNotFound,PkiCmdlets.Commands.GetCsrCommand'
        }

        It 'returns what it removed with -PassThru' {
            $removed = Remove-Csr -Name 'web-2' -PassThru -Confirm:$false -StorePath $store

            $removed.GetType().FullName | Should -Be $CsrTypeName
            $removed.Id | Should -Be $web2.Id
            $removed.Name | Should -Be 'web-2'
            $removed.Csr | Should -Be $web2.Csr
            @(Get-Csr -StorePath $store).Count | Should -Be 2
        }

        It 'removes by exact name, ignoring letter case, and by wildcard' {
            Remove-Csr -Name 'DB' -Confirm:$false -StorePath $store
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'

            Remove-Csr -Name 'web-*' -Confirm:$false -StorePath $store
            @(Get-Csr -StorePath $store).Count | Should -Be 0
            $web1.KeyPath | Should -Not -Exist
            $web2.KeyPath | Should -Not -Exist
        }

        It 'removes several Ids, also given with the CsrId alias, and takes the name by position' {
            Remove-Csr -CsrId 1, 3 -Confirm:$false -StorePath $store
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-2'

            Remove-Csr 'web-2' -Confirm:$false -StorePath $store
            @(Get-Csr -StorePath $store).Count | Should -Be 0
        }

        It 'removes a CSR matched by several overlapping patterns once' {
            $removed = @(Remove-Csr -Name 'web*', '*-1' -PassThru -Confirm:$false -StorePath $store -ErrorVariable problems)

            ($removed | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'
            $problems.Count | Should -Be 0
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
        }

        It 'keeps a copy of the private key made before the removal, as in the help' {
            $copy = Join-Path $TestDrive ('copy-' + [guid]::NewGuid().ToString('N') + '.key.pem')
            $csr = Get-Csr -Name 'web-1' -StorePath $store
            Copy-Item -LiteralPath $csr.KeyPath -Destination $copy
            $csr | Remove-Csr -Confirm:$false -StorePath $store

            $csr.KeyPath | Should -Not -Exist
            Get-Content -LiteralPath $copy -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
        }

        It 'removes old drafts selected by status and age, as in the help' {
            $cutoff = [System.DateTimeOffset]::UtcNow.AddMinutes(1)
            Get-Csr -StorePath $store |
                Where-Object { "$($_.Status)" -eq 'Draft' -and $_.CreatedAt -lt $cutoff } |
                Remove-Csr -Confirm:$false -StorePath $store

            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'
        }

        It 'removes a damaged record, which it cannot return' {
            Write-PkiTestFile -Path (Join-Path (Join-Path $store 'csrs') '2.json') -Text '{ not json'

            $removed = @(Remove-Csr -Id 2 -PassThru -Confirm:$false -StorePath $store)
            $listed = @(Get-Csr -StorePath $store -ErrorVariable problems)

            $removed.Count | Should -Be 0
            ($listed | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,db'
            $problems.Count | Should -Be 0
            $web2.KeyPath | Should -Not -Exist
        }

        It 'removes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Remove-Csr -Id 1 -WhatIf -StorePath $store
            Remove-Csr -Name '*' -PassThru -WhatIf -StorePath $store | Should -BeNullOrEmpty
            Get-Csr -Name 'web*' -StorePath $store | Remove-Csr -WhatIf -StorePath $store

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'never gives the Id of a removed CSR to a new one' {
            Remove-Csr -Id 3 -Confirm:$false -StorePath $store

            (New-Csr -CommonName 'new.example.com' -Algorithm ECC -StorePath $store).Id | Should -Be 4
        }
    }

    Context 'Errors' {
        BeforeEach {
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CsrNotFound for <Case> and removes nothing' -ForEach @(
            @{ Case = 'an Id that does not exist'; Splat = @{ Id = 999 } }
            @{ Case = 'Id 0'; Splat = @{ Id = 0 } }
            @{ Case = 'a name that does not exist'; Splat = @{ Name = 'nope' } }
        ) {
            { Remove-Csr @Splat -Confirm:$false -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CsrNotFound,PkiCmdlets.Commands.RemoveCsrCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'removes nothing, and writes no error, for a wildcard that matches nothing' {
            Remove-Csr -Name 'nothing-*' -Confirm:$false -StorePath $store -ErrorVariable problems

            $problems.Count | Should -Be 0
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'removes the CSRs a name list finds and reports the name it does not find' {
            $removed = @(Remove-Csr -Name 'nope', 'db' -PassThru -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($removed | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CsrNotFound,PkiCmdlets.Commands.RemoveCsrCommand'
            $problems[0].TargetObject | Should -Be 'nope'
        }

        It 'removes the CSRs it finds and reports the one it does not' {
            $removed = @(Remove-Csr -Id 1, 999, 2 -PassThru -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($removed | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-1,web-2'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CsrNotFound,PkiCmdlets.Commands.RemoveCsrCommand'
            $problems[0].TargetObject | Should -Be 999
            "$($problems[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
        }
    }

    Context 'Pipeline' {
        It 'removes everything Get-Csr lists' {
            Get-Csr -StorePath $store | Remove-Csr -Confirm:$false -StorePath $store

            @(Get-Csr -StorePath $store).Count | Should -Be 0
            $web1.KeyPath | Should -Not -Exist
            $web2.KeyPath | Should -Not -Exist
        }

        It 'removes what a filtered listing pipes in' {
            $removed = @(Get-Csr -Name 'web-*' -StorePath $store | Remove-Csr -PassThru -Confirm:$false -StorePath $store)

            ($removed | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,2'
            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'db'
        }

        It 'takes the Id through the CsrId alias, or the name, by property name' {
            [pscustomobject]@{ CsrId = 3 } | Remove-Csr -Confirm:$false -StorePath $store
            [pscustomobject]@{ Name = 'web-1' } | Remove-Csr -Confirm:$false -StorePath $store

            (@(Get-Csr -StorePath $store) | ForEach-Object { $_.Name }) -join ',' | Should -Be 'web-2'
        }

        It 'removes what New-Csr created' {
            $csr = New-Csr -CommonName 'temp.example.com' -Algorithm ECC -StorePath $store
            $csr | Remove-Csr -Confirm:$false -StorePath $store

            @(Get-Csr -StorePath $store).Count | Should -Be 3
            $csr.KeyPath | Should -Not -Exist
        }
    }
}
