# Pester 5 tests for Publish-Crl. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath, with a root, an intermediate (Sub, with a CRL URL) and one revoked
# certificate; CRL files go to a work folder under TestDrive:.

BeforeDiscovery {
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $CanReadUnixMode = (-not $OnWindows) -and ($null -ne [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])))
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CrlTypeName = 'PkiCmdlets.Core.Revocation.PublishedCrl'
}

Describe 'Publish-Crl' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store -SubParameters @{ CrlUrl = 'http://pki.example.com/sub.crl' }
        $revoked = New-Csr -CommonName 'old.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        $valid = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        Revoke-IssuedCertificate -Identifier $revoked.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store
    }

    Context 'Examples' {
        It 'signs a CRL, keeps it in the store, and returns it' {
            $crl = Publish-Crl -Issuer 'Sub' -StorePath $store

            $crl.GetType().FullName | Should -Be $CrlTypeName
            $crl.IssuerName | Should -Be 'Sub'
            $crl.IssuerId | Should -Be $ca.Sub.Id
            $crl.CrlNumber | Should -Be 1
            $crl.RevokedCount | Should -Be 1
            $crl.CrlUrl | Should -Be 'http://pki.example.com/sub.crl'
            $crl.Path | Should -BeNullOrEmpty
            ($crl.ThisUpdate - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            $crl.NextUpdate | Should -Be $crl.ThisUpdate.AddHours(168)
            $crl.Der[0] | Should -Be 0x30
            $crl.Pem | Should -Match '^-----BEGIN X509 CRL-----\n'
            $crl.StoreFile | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $store "crls/$($ca.Sub.Id).crl.pem")))
            [System.IO.File]::ReadAllText($crl.StoreFile) | Should -BeExactly $crl.Pem
            Join-Path $store "crls/$($ca.Sub.Id).json" | Should -Exist
        }

        It 'gives every CRL of a CA the next CRL number' {
            $first = Publish-Crl -Issuer 'Sub' -StorePath $store
            $second = Publish-Crl -Issuer 'Sub' -StorePath $store
            $rootCrl = Publish-Crl -Issuer 'Root' -StorePath $store

            $first.CrlNumber | Should -Be 1
            $second.CrlNumber | Should -Be 2
            $rootCrl.CrlNumber | Should -Be 1
        }

        It 'writes DER to -Path by default' {
            $path = Join-Path $work 'sub.crl'

            $crl = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store

            $crl.Path | Should -Be ([System.IO.Path]::GetFullPath($path))
            $bytes = [System.IO.File]::ReadAllBytes($path)
            $bytes[0] | Should -Be 0x30
            [System.Convert]::ToBase64String($bytes) | Should -Be ([System.Convert]::ToBase64String($crl.Der))
        }

        It 'writes PEM to the file with -Format Pem' {
            $path = Join-Path $work 'sub.crl.pem'

            $crl = Publish-Crl -Issuer 'Sub' -Path $path -Format Pem -StorePath $store

            [System.IO.File]::ReadAllText($path) | Should -BeExactly $crl.Pem
        }

        It 'takes the issuer and the path by position, and -LiteralPath with its PSPath alias' {
            $positional = Join-Path $work 'positional.crl'
            $literal = Join-Path $work 'literal[1].crl'
            $alias = Join-Path $work 'alias.crl'

            $null = Publish-Crl 'Sub' $positional -StorePath $store
            $null = Publish-Crl -Issuer 'Sub' -LiteralPath $literal -StorePath $store
            $null = Publish-Crl -Issuer 'Sub' -PSPath $alias -Format Pem -StorePath $store

            Test-Path -LiteralPath $positional | Should -BeTrue
            Test-Path -LiteralPath $literal | Should -BeTrue
            Get-Content -LiteralPath $alias -TotalCount 1 | Should -Be '-----BEGIN X509 CRL-----'
        }

        It 'takes CAs and names from the pipeline, and the ParentIdentifier and Name aliases' {
            $fromObject = Get-CA -Name 'Sub' -StorePath $store | Publish-Crl -StorePath $store
            $fromName = 'Sub' | Publish-Crl -StorePath $store
            $fromId = Publish-Crl -ParentIdentifier $ca.Sub.Id -StorePath $store
            $fromAlias = Publish-Crl -Name 'Root' -StorePath $store
            $all = @(Get-CA -StorePath $store | Publish-Crl -StorePath $store)

            $fromObject.IssuerId | Should -Be $ca.Sub.Id
            $fromName.CrlNumber | Should -Be 2
            $fromId.CrlNumber | Should -Be 3
            $fromAlias.IssuerName | Should -Be 'Root'
            ($all | ForEach-Object { $_.IssuerName }) -join ',' | Should -Be 'Root,Sub'
        }

        It 'sets the next update with -NextUpdateHours' {
            $crl = Publish-Crl -Issuer 'Sub' -NextUpdateHours 24 -StorePath $store

            $crl.NextUpdate | Should -Be $crl.ThisUpdate.AddHours(24)
        }

        It 'never sets the next update after the CA ends' {
            $null = New-SubCA -CommonName 'Short Sub' -Name 'Short' -Issuer 'Root' -Days 2 -Algorithm ECC -NoPassword -StorePath $store
            $short = Get-CA -Name 'Short' -StorePath $store

            $crl = Publish-Crl -Issuer 'Short' -StorePath $store

            $crl.NextUpdate | Should -Be $short.NotAfter
        }

        It 'publishes an empty CRL for a root' {
            $crl = Publish-Crl -Issuer 'Root' -StorePath $store

            $crl.RevokedCount | Should -Be 0
            $crl.CrlUrl | Should -BeNullOrEmpty
        }

        It 'replaces an existing file with -Force, given -Path or -LiteralPath' {
            $path = Join-Path $work 'sub.crl'
            $literal = Join-Path $work 'literal[1].crl'
            Write-PkiTestFile -Path $path -Text 'old CRL'
            Write-PkiTestFile -Path $literal -Text 'old CRL'

            $crl = Publish-Crl -Issuer 'Sub' -Path $path -Force -StorePath $store
            $literalCrl = Publish-Crl -Issuer 'Sub' -LiteralPath $literal -Format Pem -Force -StorePath $store

            [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($path)) | Should -Be ([System.Convert]::ToBase64String($crl.Der))
            [System.IO.File]::ReadAllText($literal) | Should -BeExactly $literalCrl.Pem
        }

        It 'republishes to the same file with -Force' {
            $path = Join-Path $work 'sub.crl'

            $first = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store
            $second = Publish-Crl -Issuer 'Sub' -Path $path -Force -StorePath $store

            $first.CrlNumber | Should -Be 1
            $second.CrlNumber | Should -Be 2
            [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($path)) | Should -Be ([System.Convert]::ToBase64String($second.Der))
        }

        It 'resolves a -Path wildcard that matches one existing file to that file' {
            $existing = Join-Path $work 'sub-2026.crl'
            Write-PkiTestFile -Path $existing -Text 'old CRL'

            $crl = Publish-Crl -Issuer 'Sub' -Path (Join-Path $work 'sub-*.crl') -Force -StorePath $store

            $crl.Path | Should -Be ([System.IO.Path]::GetFullPath($existing))
            [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($existing)) | Should -Be ([System.Convert]::ToBase64String($crl.Der))
            @(Get-ChildItem -LiteralPath $work -File).Count | Should -Be 1
        }

        It 'writes a new file named as typed for a -Path wildcard that matches nothing' {
            $typed = Join-Path $work 'new[1].crl'

            $crl = Publish-Crl -Issuer 'Sub' -Path $typed -StorePath $store

            Test-Path -LiteralPath $typed | Should -BeTrue
            $crl.Path | Should -Be ([System.IO.Path]::GetFullPath($typed))
        }

        It 'writes the file for the web server to read (0644), and keeps that when it replaces it' -Skip:(-not $CanReadUnixMode) {
            $path = Join-Path $work 'sub.crl'

            $null = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store
            $first = Get-PkiUnixFileMode -Path $path
            $null = Publish-Crl -Issuer 'Sub' -Path $path -Force -StorePath $store

            $first | Should -Be 420
            Get-PkiUnixFileMode -Path $path | Should -Be 420
        }

        It 'refuses to sign for a CA the store keeps without its key, with CaKeyNotInStore, and changes nothing' {
            $rootFile = Join-Path $work 'root.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            $other = New-PkiTestStorePath -Root $TestDrive
            $null = Import-CA -CertificatePath $rootFile -Name 'Offline' -StorePath $other
            $before = Get-PkiStoreSnapshot -StorePath $other

            { Publish-Crl -Issuer 'Offline' -StorePath $other -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaKeyNotInStore,PkiCmdlets.Commands.PublishCrlCommand'
            Get-PkiStoreSnapshot -StorePath $other | Should -Be $before
        }

        It 'signs with a password-protected key given -IssuerKeyPassword' {
            $password = ConvertTo-PkiTestSecureString -Text 'Sub-Pa55'
            $null = New-SubCA -CommonName 'Protected Sub' -Name 'Protected' -Issuer 'Root' -KeyPassword $password -Algorithm ECC -StorePath $store

            $crl = Publish-Crl -Issuer 'Protected' -IssuerKeyPassword $password -StorePath $store

            $crl.IssuerName | Should -Be 'Protected'
        }

        It 'changes nothing with -WhatIf' {
            $path = Join-Path $work 'whatif.crl'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store -WhatIf
            Get-CA -StorePath $store | Publish-Crl -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $path | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes a CRL that openssl verifies with the CA certificate and that lists the revoked serial number' {
            $path = Join-Path $work 'sub.crl'
            $subFile = Join-Path $work 'sub.pem'
            Write-PkiTestFile -Path $subFile -Text $ca.Sub.Pem
            $null = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store

            $check = Invoke-PkiOpenSsl -ArgumentList @('crl', '-in', $path, '-inform', 'DER', '-CAfile', $subFile, '-noout', '-text')

            $check.ExitCode | Should -Be 0
            $check.Output | Should -Match 'verify OK'
            $check.Output | Should -Match $revoked.SerialNumber
            $check.Output | Should -Not -Match $valid.SerialNumber
            $check.Output | Should -Match 'X509v3 CRL Number'
            $check.Output | Should -Match 'Key Compromise'
        }
    }

    Context 'Errors' {
        BeforeEach {
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CaNotFound for a CA that is not in the store' {
            { Publish-Crl -Issuer 'Nope' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'CaNotFound,PkiCmdlets.Commands.PublishCrlCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaLocked and KeyPasswordIncorrect for a CA whose key is encrypted, and publishes nothing' {
            $null = New-SubCA -CommonName 'Protected Sub' -Name 'Protected' -Issuer 'Root' -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Sub-Pa55') -Algorithm ECC -StorePath $store
            $snapshot = Get-PkiStoreSnapshot -StorePath $store
            $path = Join-Path $work 'protected.crl'

            { Publish-Crl -Issuer 'Protected' -Path $path -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.PublishCrlCommand'
            { Publish-Crl -Issuer 'Protected' -IssuerKeyPassword (ConvertTo-PkiTestSecureString -Text 'wrong') -Path $path -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.PublishCrlCommand'
            Test-Path -LiteralPath $path | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $snapshot
        }

        It 'writes ExportFileExists for an existing file without -Force, and neither writes nor publishes anything' {
            $path = Join-Path $work 'sub.crl'
            $literal = Join-Path $work 'literal.crl'
            Write-PkiTestFile -Path $path -Text 'old CRL'
            Write-PkiTestFile -Path $literal -Text 'old CRL'

            Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures
            { Publish-Crl -Issuer 'Sub' -LiteralPath $literal -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportFileExists,PkiCmdlets.Commands.PublishCrlCommand'

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ExportFileExists,PkiCmdlets.Commands.PublishCrlCommand'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
            $failures[0].TargetObject | Should -Be ([System.IO.Path]::GetFullPath($path))
            [System.IO.File]::ReadAllText($path) | Should -BeExactly 'old CRL'
            [System.IO.File]::ReadAllText($literal) | Should -BeExactly 'old CRL'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            # The failed calls used no CRL number.
            (Publish-Crl -Issuer 'Sub' -StorePath $store).CrlNumber | Should -Be 1
        }

        It 'writes PathAmbiguous for a -Path wildcard that matches several files' {
            Write-PkiTestFile -Path (Join-Path $work 'a1.crl') -Text 'one'
            Write-PkiTestFile -Path (Join-Path $work 'a2.crl') -Text 'two'

            { Publish-Crl -Issuer 'Sub' -Path (Join-Path $work 'a*.crl') -Force -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathAmbiguous,PkiCmdlets.Commands.PublishCrlCommand'
            [System.IO.File]::ReadAllText((Join-Path $work 'a1.crl')) | Should -BeExactly 'one'
            [System.IO.File]::ReadAllText((Join-Path $work 'a2.crl')) | Should -BeExactly 'two'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes OutputFileNotWritable for a folder that does not exist and leaves the store as it was' {
            $path = Join-Path (Join-Path $work 'missing-folder') 'sub.crl'

            { Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'OutputFileNotWritable,PkiCmdlets.Commands.PublishCrlCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            # The failed call used no CRL number.
            (Publish-Crl -Issuer 'Sub' -StorePath $store).CrlNumber | Should -Be 1
        }

        It 'writes StoreRecordCorrupt naming the line for a journal with a damaged line, and publishes nothing' {
            # The damaged line might have been a revocation: a CRL without it would vouch for a revoked certificate.
            $journal = Join-Path $store "issued/$($ca.Sub.Id)/certificates.journal"
            Add-Content -LiteralPath $journal -Value '{ damaged' -Encoding ascii
            $damaged = Get-PkiStoreSnapshot -StorePath $store

            $result = Publish-Crl -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.PublishCrlCommand'
            $failures[0].Exception.Message | Should -Match 'Line \d+ of'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $damaged
        }

        It 'refuses -NextUpdateHours <Hours> before anything happens' -ForEach @(
            @{ Hours = 0 }
            @{ Hours = 8785 }
        ) {
            { Publish-Crl -Issuer 'Sub' -NextUpdateHours $Hours -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,PkiCmdlets.Commands.PublishCrlCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
