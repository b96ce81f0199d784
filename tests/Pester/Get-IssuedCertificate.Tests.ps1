# Pester 5 tests for Get-IssuedCertificate. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath, with a root, two intermediates (Sub and Sub2) and three
# certificates.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CertificateTypeName = 'PkiCmdlets.Core.Authority.IssuedCertificate'
}

Describe 'Get-IssuedCertificate' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $ca = New-PkiTestHierarchy -StorePath $store
        $sub2 = New-SubCA -CommonName 'Second Sub CA' -Name 'Sub2' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store
        $www = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store |
            New-ServerCertificate -Issuer 'Sub' -Domain '192.0.2.10' -StorePath $store
        $api = New-Csr -CommonName 'api.example.com' -Algorithm ECC -StorePath $store |
            New-ServerCertificate -Issuer 'Sub' -Days 10 -StorePath $store
        $mail = New-Csr -CommonName 'mail.example.org' -Algorithm ECC -StorePath $store |
            New-ServerCertificate -Issuer 'Sub2' -StorePath $store
    }

    Context 'Examples' {
        It 'lists every issued certificate' {
            $all = @(Get-IssuedCertificate -StorePath $store)

            $all.Count | Should -Be 3
            ($all | ForEach-Object { $_.CommonName } | Sort-Object) -join ',' | Should -Be 'api.example.com,mail.example.org,www.example.com'
            $all | ForEach-Object { $_.GetType().FullName | Should -Be $CertificateTypeName }
        }

        It 'lists the certificates of one intermediate in the order they were issued' {
            (@(Get-IssuedCertificate -Issuer 'Sub' -StorePath $store) | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'www.example.com,api.example.com'
        }

        It 'returns what New-ServerCertificate returned, with the chain' {
            $found = Get-IssuedCertificate -Identifier $www.Identifier -StorePath $store

            $found.Identifier | Should -Be $www.Identifier
            $found.SerialNumber | Should -Be $www.SerialNumber
            $found.Subject | Should -Be $www.Subject
            $found.Subject | Should -Be $found.Certificate.Subject
            $found.Subject | Should -Be 'CN=www.example.com, OU=Ops, O=Example Org, L=Hangzhou, S=Zhejiang, C=US'
            ($found.DnsNames -join ',') | Should -Be 'www.example.com'
            ($found.IpAddresses -join ',') | Should -Be '192.0.2.10'
            $found.NotBefore | Should -Be $www.NotBefore
            $found.NotAfter | Should -Be $www.NotAfter
            $found.IssuerName | Should -Be 'Sub'
            $found.IssuerId | Should -Be $ca.Sub.Id
            $found.Thumbprint | Should -Be $www.Thumbprint
            $found.CsrId | Should -Be $www.CsrId
            $found.X509Certificate | Should -Be $www.X509Certificate
            $found.Certificate.Thumbprint | Should -Be $www.Thumbprint
            $found.CertificateChain | Should -Be ($ca.Sub.Pem + $ca.Root.Pem)
            "$($found.Status)" | Should -Be 'Valid'
        }

        It 'finds certificates by identifier in any case, by position, and several at once' {
            (Get-IssuedCertificate $api.Identifier -StorePath $store).CommonName | Should -Be 'api.example.com'
            (Get-IssuedCertificate -Identifier $api.Identifier.ToUpperInvariant() -StorePath $store).CommonName | Should -Be 'api.example.com'
            (@(Get-IssuedCertificate -Identifier $www.Identifier, $mail.Identifier -StorePath $store) | ForEach-Object { $_.CommonName } | Sort-Object) -join ',' |
                Should -Be 'mail.example.org,www.example.com'
        }

        It 'finds a certificate by serial number written with colons, in lower case, or with 0x' {
            $colons = ($mail.SerialNumber -replace '(..)(?!$)', '$1:').ToLowerInvariant()

            (Get-IssuedCertificate -SerialNumber $colons -StorePath $store).Identifier | Should -Be $mail.Identifier
            (Get-IssuedCertificate -SerialNumber ('0x' + $mail.SerialNumber) -StorePath $store).Identifier | Should -Be $mail.Identifier
        }

        It 'filters by intermediate: name, Id, ParentIdentifier alias, and a root that issues nothing' {
            @(Get-IssuedCertificate -Issuer 'Sub' -StorePath $store).Count | Should -Be 2
            (Get-IssuedCertificate -Issuer $sub2.Id -StorePath $store).Identifier | Should -Be $mail.Identifier
            (Get-IssuedCertificate -ParentIdentifier $sub2 -StorePath $store).Identifier | Should -Be $mail.Identifier
            @(Get-IssuedCertificate -Issuer 'Root' -StorePath $store).Count | Should -Be 0
        }

        It 'filters by DNS name, IP address or common name with wildcards' {
            (@(Get-IssuedCertificate -DnsName '*.example.com' -StorePath $store) | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'www.example.com,api.example.com'
            (Get-IssuedCertificate -DnsName '192.0.2.*' -StorePath $store).Identifier | Should -Be $www.Identifier
            (Get-IssuedCertificate -DnsName 'MAIL.example.org' -StorePath $store).Identifier | Should -Be $mail.Identifier
            @(Get-IssuedCertificate -DnsName 'nothing.*' -StorePath $store -ErrorVariable problems).Count | Should -Be 0
            $problems.Count | Should -Be 0
        }

        It 'finds the valid certificates that expire within a number of days' {
            (Get-IssuedCertificate -ExpiresWithinDays 30 -StorePath $store).Identifier | Should -Be $api.Identifier
            @(Get-IssuedCertificate -ExpiresWithinDays 400 -StorePath $store).Count | Should -Be 3
        }

        It 'filters by status: revoked, valid, and expired' {
            Revoke-IssuedCertificate -Identifier $api.Identifier -Reason Superseded -Confirm:$false -StorePath $store
            # A certificate can't end in the past when it's issued, so issue one that ends in a few seconds and wait.
            $notBefore = $ca.Sub.NotBefore.UtcDateTime
            $expired = New-Csr -CommonName 'old.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -NotBefore $notBefore -NotAfter ([System.DateTime]::UtcNow.AddSeconds(3)) -StorePath $store
            $expired | Should -Not -BeNullOrEmpty
            Start-Sleep -Seconds 4

            $revoked = Get-IssuedCertificate -Status Revoked -StorePath $store
            $revoked.Identifier | Should -Be $api.Identifier
            "$($revoked.RevocationReason)" | Should -Be 'Superseded'
            $revoked.RevokedAt | Should -Not -BeNullOrEmpty
            (Get-IssuedCertificate -Status Expired -StorePath $store).Identifier | Should -Be $expired.Identifier
            (@(Get-IssuedCertificate -Status Valid -StorePath $store) | ForEach-Object { $_.CommonName } | Sort-Object) -join ',' |
                Should -Be 'mail.example.org,www.example.com'
            # Only valid certificates expire "within" a number of days.
            @(Get-IssuedCertificate -ExpiresWithinDays 30 -StorePath $store).Count | Should -Be 0
        }

        It 'returns the certificates that match every filter given' {
            (Get-IssuedCertificate -Issuer 'Sub' -DnsName 'api.*' -Status Valid -StorePath $store).Identifier | Should -Be $api.Identifier
            @(Get-IssuedCertificate -Issuer 'Sub2' -DnsName 'api.*' -StorePath $store).Count | Should -Be 0
        }

        It 'binds Identifier by property name from the pipeline, and SerialNumber not at all' {
            ($www | Get-IssuedCertificate -StorePath $store).Identifier | Should -Be $www.Identifier
            ([pscustomobject]@{ Identifier = $mail.Identifier } | Get-IssuedCertificate -StorePath $store).Identifier | Should -Be $mail.Identifier
            $serialNumber = (Get-Command -Name Get-IssuedCertificate).Parameters['SerialNumber']
            @($serialNumber.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }).Count | Should -Be 0
        }

        It 'lists the certificates of the CAs piped to it: objects from Get-CA or New-SubCA, names, and Ids' {
            $fromGetCa = @(Get-CA -Name 'Sub' -StorePath $store | Get-IssuedCertificate -StorePath $store)
            $fromNewSubCa = @($sub2 | Get-IssuedCertificate -StorePath $store)
            $fromName = @('Sub2' | Get-IssuedCertificate -StorePath $store)
            $fromId = @($ca.Sub.Id | Get-IssuedCertificate -StorePath $store)
            $fromAll = @(Get-CA -Intermediate -StorePath $store | Get-IssuedCertificate -StorePath $store)

            # A CA's own SerialNumber property does not bind: the CA's certificates are listed, not looked up by its serial number.
            ($fromGetCa | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'www.example.com,api.example.com'
            ($fromNewSubCa | ForEach-Object { $_.Identifier }) -join ',' | Should -Be $mail.Identifier
            ($fromName | ForEach-Object { $_.Identifier }) -join ',' | Should -Be $mail.Identifier
            $fromId.Count | Should -Be 2
            ($fromAll | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'www.example.com,api.example.com,mail.example.org'
            (Get-CA -Name 'Sub' -StorePath $store | Get-IssuedCertificate -DnsName 'api.*' -StorePath $store).Identifier | Should -Be $api.Identifier
            @(Get-CA -Root -StorePath $store | Get-IssuedCertificate -StorePath $store).Count | Should -Be 0
        }

        It 'lists a certificate ordered from an outside CA through ACME last, but not for an -Issuer of the store' {
            $outsideStore = New-PkiTestStorePath -Root $TestDrive
            $outside = New-PkiTestHierarchy -StorePath $outsideStore
            $csr = New-Csr -CommonName 'acme.example.com' -Algorithm ECC -StorePath $store
            $ordered = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $outsideStore
            $outsideChain = $outside.Sub.Pem + $outside.Root.Pem
            $identifier = Add-PkiTestAcmeCertificate -StorePath $store -Certificate $ordered -ChainPem $outsideChain -IssuerName 'Test Sub CA' -CsrId $csr.Id

            $all = @(Get-IssuedCertificate -StorePath $store)
            $acme = Get-IssuedCertificate -Identifier $identifier -StorePath $store

            $all.Count | Should -Be 4
            $all[-1].Identifier | Should -Be $identifier
            $acme.IssuerId | Should -Be 'acme'
            $acme.IssuerName | Should -Be 'Test Sub CA'
            $acme.SerialNumber | Should -Be $ordered.SerialNumber
            $acme.Subject | Should -Be $ordered.Subject
            $acme.CertificateChain | Should -Be $outsideChain
            $acme.CsrId | Should -Be $csr.Id
            "$($acme.Status)" | Should -Be 'Valid'
            (Get-IssuedCertificate -DnsName 'acme.*' -StorePath $store).Identifier | Should -Be $identifier
            @(Get-IssuedCertificate -Issuer 'Sub' -StorePath $store | Where-Object { $_.IssuerId -eq 'acme' }).Count | Should -Be 0
        }

        It 'shows certificates in the default table view' {
            $table = Get-IssuedCertificate -Identifier $www.Identifier -StorePath $store | Format-Table | Out-String -Width 200

            $table | Should -Match 'SerialNumber'
            $table | Should -Match ([regex]::Escape($www.SerialNumber))
            $table | Should -Match '(?m)www\.example\.com\s*\r?\n\s+192\.0\.2\.10'
            $table | Should -Match 'IssuerName: Sub'
        }

        It 'links a renewed certificate and its renewal, and lists only the current ones with -Current' {
            $renewed = Invoke-CertificateRenewal -Identifier $api.Identifier -Force -StorePath $store

            $all = @(Get-IssuedCertificate -StorePath $store)
            $current = @(Get-IssuedCertificate -Current -StorePath $store)
            $filtered = @(Get-IssuedCertificate -DnsName 'api.example.com' -Current -StorePath $store)

            $all.Count | Should -Be 4
            ($all | Where-Object Identifier -EQ $api.Identifier).ReplacedBy | Should -Be $renewed.ReplacedBy
            ($all | Where-Object Identifier -EQ $renewed.ReplacedBy).Replaces | Should -Be $api.Identifier
            ($current.Identifier | Sort-Object) -join ',' | Should -Be ((@($www.Identifier, $mail.Identifier, $renewed.ReplacedBy) | Sort-Object) -join ',')
            $filtered.Identifier | Should -Be $renewed.ReplacedBy
            # Replaced is not a status: the old certificate is valid until it expires.
            ($all | Where-Object Identifier -EQ $api.Identifier).Status | Should -Be 'Valid'
        }

        It 'finds nothing in a store without certificates, and never changes the store' {
            $empty = New-PkiTestStorePath -Root $TestDrive
            @(Get-IssuedCertificate -StorePath $empty -ErrorVariable problems).Count | Should -Be 0
            $problems.Count | Should -Be 0
            Test-Path -LiteralPath $empty | Should -BeFalse

            $before = Get-PkiStoreSnapshot -StorePath $store
            $null = Get-IssuedCertificate -StorePath $store
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes CertificateNotFound for an identifier that is not in the store' {
            { Get-IssuedCertificate -Identifier '00000000000000000000000000000000' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
        }

        It 'returns the certificates it finds and reports the identifier and serial number it does not find' {
            $found = @(Get-IssuedCertificate -Identifier $www.Identifier, 'ffffffffffffffffffffffffffffffff' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            $found.Count | Should -Be 1
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CertificateNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
            $problems[0].TargetObject | Should -Be 'ffffffffffffffffffffffffffffffff'
            "$($problems[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'

            { Get-IssuedCertificate -SerialNumber '0102030405' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
        }

        It 'writes InvalidSerialNumber for a serial number that is not hex' {
            { Get-IssuedCertificate -SerialNumber 'not-hex' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidSerialNumber,PkiCmdlets.Commands.GetIssuedCertificateCommand'
        }

        It 'writes CaNotFound for an issuer that is not in the store' {
            { Get-IssuedCertificate -Issuer 'Nope' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
        }

        It 'lists the certificates of the other CAs piped to it when one is not in the store' {
            $found = @('Nope', 'Sub2' | Get-IssuedCertificate -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($found | ForEach-Object { $_.Identifier }) -join ',' | Should -Be $mail.Identifier
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CaNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
            $problems[0].TargetObject | Should -Be 'Nope'
        }

        It 'reports a damaged line of the journal and still returns the other certificates' {
            $journal = Join-Path $store "issued/$($ca.Sub.Id)/certificates.journal"
            $lines = [System.IO.File]::ReadAllLines($journal) | ForEach-Object { if ($_.Contains($api.Identifier)) { 'damaged' } else { $_ } }
            Write-PkiTestFile -Path $journal -Text (($lines -join "`n") + "`n")

            $found = @(Get-IssuedCertificate -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable problems)

            ($found | ForEach-Object { $_.CommonName } | Sort-Object) -join ',' | Should -Be 'mail.example.org,www.example.com'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'StoreRecordCorrupt,PkiCmdlets.Commands.GetIssuedCertificateCommand'
            $problems[0].TargetObject | Should -Be ([System.IO.Path]::GetFullPath($journal))
            $problems[0].Exception.Message | Should -Match 'Line \d+ of'
        }
    }
}
