# Pester 5 tests for Set-Csr. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CsrTypeName = 'PkiCmdlets.Core.Requests.CertificateSigningRequest'
}

Describe 'Set-Csr' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $draft = New-Csr -CommonName 'draft.example.com' -Name 'draft' -Country 'US' -Tag @{ stage = 'draft' } -Algorithm ECC -Draft -StorePath $store
    }

    Context 'Examples' {
        It 'updates a draft by Id and writes nothing without -PassThru' {
            $result = Set-Csr -Id $draft.Id -CommonName 'changed.example.com' -SubjectAlternativeName 'alt.example.com' -Remark 'edited' -StorePath $store

            $result | Should -BeNullOrEmpty
            $after = Get-Csr -Id $draft.Id -StorePath $store
            $after.CommonName | Should -Be 'changed.example.com'
            ($after.SubjectAlternativeNames -join ',') | Should -Be 'changed.example.com,alt.example.com'
            $after.Remark | Should -Be 'edited'
            "$($after.Status)" | Should -Be 'Draft'
            $after.Name | Should -Be 'draft'
            $after.Country | Should -Be 'US'
            $after.Tags['stage'] | Should -Be 'draft'
            $after.CreatedAt | Should -Be $draft.CreatedAt
        }

        It 'returns the updated CSR with -PassThru' {
            $result = Set-Csr -Id $draft.Id -Organization 'Example Ltd' -PassThru -StorePath $store

            $result.GetType().FullName | Should -Be $CsrTypeName
            $result.Id | Should -Be $draft.Id
            $result.Organization | Should -Be 'Example Ltd'
            $result.Subject | Should -Be 'CN=draft.example.com, O=Example Ltd, C=US'
        }

        It 'generates the key pair and request of a draft with -Generate' {
            $csr = Set-Csr -Name 'draft' -Generate -PassThru -StorePath $store

            $csr.Id | Should -Be $draft.Id
            "$($csr.Status)" | Should -Be 'Generated'
            $csr.Algorithm | Should -Be 'ECC_256'
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----'
            $csr.PublicKeySha256 | Should -Match '^[0-9a-f]{64}$'
            $csr.KeyPath | Should -Exist
            $csr.KeyProtected | Should -BeFalse
            $csr.GeneratedAt | Should -Not -BeNullOrEmpty
            "$((Get-Csr -Id $draft.Id -StorePath $store).Status)" | Should -Be 'Generated'
        }

        It 'encrypts the generated key with -KeyPassword' {
            $password = ConvertTo-PkiTestSecureString -Text 'Secr3t-Pa55'
            $csr = Set-Csr -Id $draft.Id -Generate -KeyPassword $password -PassThru -StorePath $store

            $csr.KeyProtected | Should -BeTrue
            Get-Content -LiteralPath $csr.KeyPath -TotalCount 1 | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
        }

        It 'changes the algorithm of a draft, or only the key size within its family' {
            (Set-Csr -Id $draft.Id -KeySize 384 -PassThru -StorePath $store).Algorithm | Should -Be 'ECC_384'
            (Set-Csr -Id $draft.Id -Algorithm 'RSA' -KeySize 3072 -PassThru -StorePath $store).Algorithm | Should -Be 'RSA_3072'
            $last = Set-Csr -Id $draft.Id -KeyAlgorithm 'P-521' -PassThru -StorePath $store
            $last.Algorithm | Should -Be 'ECC_521'
            $last.KeySize | Should -Be 521
            "$($last.Status)" | Should -Be 'Draft'
        }

        It 'clears the values given as empty strings' {
            $null = Set-Csr -Id $draft.Id -OrganizationalUnit 'IT' -Remark 'first' -SubjectAlternativeName 'a.example.com', 'b.example.com' -StorePath $store

            $csr = Set-Csr -Id $draft.Id -Country '' -OrganizationalUnit '' -Remark '' -SubjectAlternativeName 'b.example.com' -PassThru -StorePath $store

            $csr.Country | Should -BeNullOrEmpty
            $csr.OrganizationalUnit | Should -BeNullOrEmpty
            $csr.Remark | Should -BeNullOrEmpty
            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'draft.example.com,b.example.com'
            $csr.Subject | Should -Be 'CN=draft.example.com'
        }

        It 'replaces the tags and renames the draft' {
            $csr = Set-Csr -Id $draft.Id -Tag @{ owner = 'ops' } -NewName 'renamed' -PassThru -StorePath $store

            $csr.Name | Should -Be 'renamed'
            $csr.Tags.Count | Should -Be 1
            $csr.Tags['owner'] | Should -Be 'ops'
            (Get-Csr -Name 'renamed' -StorePath $store).Id | Should -Be $draft.Id
            { Get-Csr -Name 'draft' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CsrNotFound,PkiCmdlets.Commands.GetCsrCommand'
        }

        It 'takes the name by position' {
            Set-Csr 'draft' -Remark 'by name' -StorePath $store

            (Get-Csr -Id $draft.Id -StorePath $store).Remark | Should -Be 'by name'
        }

        It 'completes a draft with a splatted table, as in the help' {
            $parameters = @{
                Name                   = 'draft'
                SubjectAlternativeName = 'www.draft.example.com', 'draft.example.net'
                Organization           = 'Contoso Ltd'
                State                  = 'Washington'
                StorePath              = $store
            }
            Set-Csr @parameters

            $after = Get-Csr -Name 'draft' -StorePath $store
            ($after.SubjectAlternativeNames -join ',') | Should -Be 'draft.example.com,www.draft.example.com,draft.example.net'
            $after.Subject | Should -Be 'CN=draft.example.com, O=Contoso Ltd, ST=Washington, C=US'
        }

        It 'adds a tag while keeping the others, as in the help' {
            $tags = @{}
            foreach ($entry in (Get-Csr -Name 'draft' -StorePath $store).Tags.GetEnumerator()) {
                $tags[$entry.Key] = $entry.Value
            }
            $tags['Ticket'] = 'CHG-2001'
            Set-Csr -Name 'draft' -Tag $tags -StorePath $store

            $after = Get-Csr -Name 'draft' -StorePath $store
            (@($after.Tags.Keys) | Sort-Object) -join ',' | Should -BeExactly 'stage,Ticket'
            $after.Tags['stage'] | Should -Be 'draft'
            $after.Tags['Ticket'] | Should -Be 'CHG-2001'
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Set-Csr -Id $draft.Id -Remark 'not saved' -Generate -PassThru -WhatIf -StorePath $store

            $result | Should -BeNullOrEmpty
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        BeforeEach {
            $generated = New-Csr -CommonName 'done.example.com' -Name 'done' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CsrAlreadyGenerated for a generated CSR, by Id and by name' {
            { Set-Csr -Id $generated.Id -Remark 'too late' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrAlreadyGenerated,PkiCmdlets.Commands.SetCsrCommand'
            { Set-Csr -Name 'done' -Generate -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrAlreadyGenerated,PkiCmdlets.Commands.SetCsrCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes <ErrorId> for <Case> and leaves the store as it was' -ForEach @(
            @{ Case = 'an Id that does not exist'; Splat = @{ Id = 999; Remark = 'x' }; ErrorId = 'CsrNotFound' }
            @{ Case = 'Id 0'; Splat = @{ Id = 0; Remark = 'x' }; ErrorId = 'CsrNotFound' }
            @{ Case = 'a name that does not exist'; Splat = @{ Name = 'nope'; Remark = 'x' }; ErrorId = 'CsrNotFound' }
            @{ Case = 'an empty common name'; Splat = @{ Name = 'draft'; CommonName = '' }; ErrorId = 'CommonNameMissing' }
            @{ Case = 'a 65-character common name'; Splat = @{ Name = 'draft'; CommonName = ('a' * 65) }; ErrorId = 'CommonNameTooLong' }
            @{ Case = 'the country XX'; Splat = @{ Name = 'draft'; Country = 'XX' }; ErrorId = 'InvalidCountryCode' }
            @{ Case = 'a SAN with an underscore'; Splat = @{ Name = 'draft'; SubjectAlternativeName = 'bad_name.example.com' }; ErrorId = 'InvalidDnsName' }
            @{ Case = 'a wildcard that is not the leftmost label'; Splat = @{ Name = 'draft'; SubjectAlternativeName = 'www.*.example.com' }; ErrorId = 'MisplacedWildcard' }
            @{ Case = 'the IP address 300.1.1.1'; Splat = @{ Name = 'draft'; SubjectAlternativeName = '300.1.1.1' }; ErrorId = 'InvalidIpAddress' }
            @{ Case = 'a 1024-bit key in the draft''s ECC family'; Splat = @{ Name = 'draft'; KeySize = 1024 }; ErrorId = 'KeySizeNotAllowed' }
            @{ Case = 'a 384-bit SM2 key'; Splat = @{ Name = 'draft'; Algorithm = 'SM2'; KeySize = 384 }; ErrorId = 'Sm2KeySizeNotAllowed' }
            @{ Case = 'the algorithm DSA'; Splat = @{ Name = 'draft'; Algorithm = 'DSA' }; ErrorId = 'UnsupportedAlgorithm' }
            @{ Case = 'the new name "bad name!"'; Splat = @{ Name = 'draft'; NewName = 'bad name!' }; ErrorId = 'InvalidName' }
            @{ Case = 'a new name that another CSR has'; Splat = @{ Name = 'draft'; NewName = 'DONE' }; ErrorId = 'DuplicateName' }
            @{ Case = 'a remark over 1024 characters'; Splat = @{ Name = 'draft'; Remark = ('r' * 1025) }; ErrorId = 'RemarkTooLong' }
            @{ Case = 'a tag with an empty key'; Splat = @{ Name = 'draft'; Tag = @{ '' = 'value' } }; ErrorId = 'InvalidTag' }
            @{ Case = 'an empty key password'; Splat = @{ Name = 'draft'; Generate = $true; KeyPassword = (New-Object System.Security.SecureString) }; ErrorId = 'KeyPasswordEmpty' }
            @{ Case = 'a key password without -Generate'; Splat = @{ Name = 'draft'; KeyPassword = (ConvertTo-SecureString -String 'Secr3t-Pa55' -AsPlainText -Force) }; ErrorId = 'KeyPasswordWithoutGenerate' }
        ) {
            { Set-Csr @Splat -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.SetCsrCommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            "$((Get-Csr -Name 'draft' -StorePath $store).Status)" | Should -Be 'Draft'
        }

        It 'gives the CSR as the target of CsrAlreadyGenerated' {
            Set-Csr -Id $generated.Id -Remark 'too late' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems

            $problems.Count | Should -Be 1
            $problems[0].TargetObject | Should -Be 'done'
            "$($problems[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        }

        It 'reports a generated CSR in the pipeline and goes on with the drafts' {
            $null = New-Csr -CommonName 'draft2.example.com' -Name 'draft2' -Algorithm ECC -Draft -StorePath $store

            $updated = @(Get-Csr -StorePath $store | Set-Csr -Remark 'bulk' -PassThru -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($updated | ForEach-Object { $_.Name }) -join ',' | Should -Be 'draft,draft2'
            ($updated | ForEach-Object { $_.Remark }) -join ',' | Should -Be 'bulk,bulk'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CsrAlreadyGenerated,PkiCmdlets.Commands.SetCsrCommand'
            (Get-Csr -Name 'done' -StorePath $store).Remark | Should -BeNullOrEmpty
        }
    }

    Context 'Pipeline' {
        It 'generates a draft piped from New-Csr -Draft (Id by property name)' {
            $csr = New-Csr -CommonName 'a.example.com' -Algorithm ECC -Draft -StorePath $store | Set-Csr -Generate -PassThru -StorePath $store

            $csr.CommonName | Should -Be 'a.example.com'
            $csr.Id | Should -Be 2
            "$($csr.Status)" | Should -Be 'Generated'
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----'
            "$((Get-Csr -Id 2 -StorePath $store).Status)" | Should -Be 'Generated'
            "$((Get-Csr -Id $draft.Id -StorePath $store).Status)" | Should -Be 'Draft'
        }

        It 'takes the Id through the CsrId alias, or the name, by property name' {
            [pscustomobject]@{ CsrId = $draft.Id } | Set-Csr -Remark 'by CsrId' -StorePath $store
            (Get-Csr -Id $draft.Id -StorePath $store).Remark | Should -Be 'by CsrId'

            [pscustomobject]@{ Name = 'draft' } | Set-Csr -Remark 'by name' -StorePath $store
            (Get-Csr -Id $draft.Id -StorePath $store).Remark | Should -Be 'by name'
        }

        It 'generates every draft that a listing pipes in' {
            $null = New-Csr -CommonName 'b.example.com' -Name 'second' -Algorithm 'P-384' -Draft -StorePath $store

            $generated = @(Get-Csr -StorePath $store | Where-Object { "$($_.Status)" -eq 'Draft' } | Set-Csr -Generate -PassThru -StorePath $store)

            $generated.Count | Should -Be 2
            ($generated | ForEach-Object { $_.Algorithm }) -join ',' | Should -Be 'ECC_256,ECC_384'
            @(Get-Csr -StorePath $store | Where-Object { "$($_.Status)" -ne 'Generated' }).Count | Should -Be 0
        }
    }
}
