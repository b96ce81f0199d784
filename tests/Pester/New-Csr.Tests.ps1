# Pester 5 tests for New-Csr. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath.

BeforeDiscovery {
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $CanReadUnixMode = (-not $OnWindows) -and ($null -ne [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])))
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CsrTypeName = 'PkiCmdlets.Core.Requests.CertificateSigningRequest'
}

Describe 'New-Csr' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
    }

    Context 'Examples' {
        It 'creates an ECC P-256 key pair and request in the store and returns them' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store

            $csr.GetType().FullName | Should -Be $CsrTypeName
            $csr.Id | Should -Be 1
            $csr.Name | Should -Be 'www.example.com'
            "$($csr.Status)" | Should -Be 'Generated'
            $csr.CommonName | Should -Be 'www.example.com'
            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'www.example.com'
            $csr.Subject | Should -Be 'CN=www.example.com'
            $csr.Algorithm | Should -Be 'ECC_256'
            $csr.KeySize | Should -Be 256
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----\n'
            $csr.Csr | Should -Match '\n-----END CERTIFICATE REQUEST-----\n$'
            $csr.PublicKeyMd5 | Should -Match '^[0-9a-f]{32}$'
            $csr.PublicKeySha256 | Should -Match '^[0-9a-f]{64}$'
            $csr.KeyProtected | Should -BeFalse
            $csr.KeyPath | Should -Exist
            Get-Content -LiteralPath $csr.KeyPath -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
            $csr.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
            $csr.KeyPath.StartsWith($csr.StorePath) | Should -BeTrue
            $csr.GeneratedAt | Should -Not -BeNullOrEmpty
            ($csr.CreatedAt - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            $csr.Remark | Should -BeNullOrEmpty
            $csr.Tags.Count | Should -Be 0
            @(Get-Csr -StorePath $store).Count | Should -Be 1
        }

        It 'puts the subject fields and the SANs into the request, the common name first' {
            $parameters = @{
                CommonName             = 'www.example.com'
                SubjectAlternativeName = @('example.com, 192.0.2.10', 'admin@example.com', '2001:DB8::10', 'WWW.Example.COM.')
                Country                = 'us'
                State                  = 'California'
                Locality               = 'San Francisco'
                Organization           = 'Example, Inc.'
                OrganizationalUnit     = 'IT'
                Email                  = 'Admin@Example.COM'
                Algorithm              = 'ECC'
                StorePath              = $store
            }
            $csr = New-Csr @parameters

            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'www.example.com,example.com,192.0.2.10,admin@example.com,2001:db8::10'
            $csr.Country | Should -Be 'US'
            $csr.State | Should -Be 'California'
            $csr.Locality | Should -Be 'San Francisco'
            $csr.Organization | Should -Be 'Example, Inc.'
            $csr.OrganizationalUnit | Should -Be 'IT'
            $csr.Email | Should -Be 'Admin@example.com'
            $csr.Subject | Should -Be 'E=Admin@example.com, CN=www.example.com, OU=IT, O=Example\, Inc., L=San Francisco, ST=California, C=US'
        }

        It 'takes the common name and SANs by position, and the parameter aliases' {
            $csr = New-Csr 'api.example.com' 'api2.example.com' -KeyAlgorithm 'P-384' -C 'DE' -O 'Example GmbH' -StorePath $store

            $csr.CommonName | Should -Be 'api.example.com'
            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'api.example.com,api2.example.com'
            $csr.Algorithm | Should -Be 'ECC_384'
            $csr.KeySize | Should -Be 384
            $csr.Country | Should -Be 'DE'
            $csr.Organization | Should -Be 'Example GmbH'
        }

        It 'stores a name, a remark and tags, keeping the tag keys as written' {
            $csr = New-Csr -CommonName '*.example.com' -Name 'wildcard-example' -Remark 'Renewal for 2027' -Tag @{ Owner = 'web-team'; Ticket = 'CHG-1042' } -Algorithm ECC -StorePath $store

            $csr.Name | Should -Be 'wildcard-example'
            $csr.Remark | Should -Be 'Renewal for 2027'
            $csr.Tags.Count | Should -Be 2
            $csr.Tags['Owner'] | Should -Be 'web-team'
            $stored = Get-Csr -Name 'wildcard-example' -StorePath $store
            $stored.Remark | Should -Be 'Renewal for 2027'
            (@($stored.Tags.Keys) | Sort-Object) -join ',' | Should -BeExactly 'Owner,Ticket'
            $stored.Tags['Ticket'] | Should -Be 'CHG-1042'
        }

        It 'names a CSR after its common name and keeps names unique' {
            $first = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $second = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $wildcard = New-Csr -CommonName '*.example.com' -Algorithm ECC -StorePath $store
            $freeText = New-Csr -CommonName 'My Server' -Algorithm ECC -StorePath $store

            $first.Name | Should -Be 'www.example.com'
            $second.Name | Should -Be 'www.example.com-2'
            $wildcard.Name | Should -Be '_.example.com'
            $freeText.Name | Should -Be 'My_Server'
            (@($first, $second, $wildcard, $freeText) | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,2,3,4'
            ($wildcard.SubjectAlternativeNames -join ',') | Should -Be '*.example.com'
            # A common name that is not a DNS name or IP address is not copied into the SANs.
            @($freeText.SubjectAlternativeNames).Count | Should -Be 0
        }

        It 'converts an internationalized domain name to punycode in the SANs' {
            $commonName = 'b' + [char]0x00FC + 'cher.example'
            $csr = New-Csr -CommonName $commonName -Algorithm ECC -StorePath $store

            $csr.CommonName | Should -Be $commonName
            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'xn--bcher-kva.example'
            $csr.Name | Should -Be 'b_cher.example'
        }

        It 'creates a draft, without key pair or request, with -Draft' {
            $draft = New-Csr -CommonName 'later.example.com' -Algorithm 'P-384' -Draft -StorePath $store

            "$($draft.Status)" | Should -Be 'Draft'
            $draft.Algorithm | Should -Be 'ECC_384'
            $draft.Csr | Should -BeNullOrEmpty
            $draft.KeyPath | Should -BeNullOrEmpty
            $draft.PublicKeyMd5 | Should -BeNullOrEmpty
            $draft.PublicKeySha256 | Should -BeNullOrEmpty
            $draft.GeneratedAt | Should -BeNullOrEmpty
            $draft.KeyProtected | Should -BeFalse
            "$((Get-Csr -Id $draft.Id -StorePath $store).Status)" | Should -Be 'Draft'
        }

        It 'encrypts the private key with -KeyPassword' {
            $password = ConvertTo-PkiTestSecureString -Text 'Secr3t-Pa55'
            $csr = New-Csr -CommonName 'secure.example.com' -Algorithm ECC -KeyPassword $password -StorePath $store

            $csr.KeyProtected | Should -BeTrue
            Get-Content -LiteralPath $csr.KeyPath -TotalCount 1 | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
            Get-Content -LiteralPath $csr.KeyPath -Raw | Should -Not -Match 'BEGIN PRIVATE KEY'
        }

        It 'does not accept -KeyPassword together with -Draft' {
            $password = ConvertTo-PkiTestSecureString -Text 'Secr3t-Pa55'
            { New-Csr -CommonName 'draft.example.com' -Draft -KeyPassword $password -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'AmbiguousParameterSet,PkiCmdlets.Commands.NewCsrCommand'
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'changes nothing with -WhatIf' {
            $result = New-Csr -CommonName 'whatif.example.com' -Algorithm ECC -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'resolves -StorePath against the PowerShell location and drives, not the process directory' {
            $leaf = 'relative-' + [guid]::NewGuid().ToString('N')
            Push-Location -LiteralPath $TestDrive
            try {
                $relative = New-Csr -CommonName 'relative.example.com' -Algorithm ECC -StorePath $leaf
            }
            finally {
                Pop-Location
            }
            $relative.StorePath | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $TestDrive $leaf)))

            $driveLeaf = 'drive-' + [guid]::NewGuid().ToString('N')
            $onDrive = New-Csr -CommonName 'drive.example.com' -Algorithm ECC -StorePath "TestDrive:/$driveLeaf"
            $onDrive.StorePath | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $TestDrive $driveLeaf)))
            @(Get-Csr -StorePath (Join-Path $TestDrive $driveLeaf)).Count | Should -Be 1
        }

        It 'makes the store readable by its owner only (0700 folder, 0600 key)' -Skip:(-not $CanReadUnixMode) {
            $csr = New-Csr -CommonName 'private.example.com' -Algorithm ECC -StorePath $store

            Get-PkiUnixFileMode -Path $store | Should -Be 448
            Get-PkiUnixFileMode -Path $csr.KeyPath | Should -Be 384
        }
    }

    Context 'Key algorithms' {
        It 'creates an <Expected> key for <Case>' -ForEach @(
            @{ Case = "-Algorithm ECC"; Algorithm = 'ECC'; KeySize = $null; Expected = 'ECC_256'; Size = 256 }
            @{ Case = "-Algorithm ECC -KeySize 384"; Algorithm = 'ECC'; KeySize = 384; Expected = 'ECC_384'; Size = 384 }
            @{ Case = "-Algorithm prime256v1"; Algorithm = 'prime256v1'; KeySize = $null; Expected = 'ECC_256'; Size = 256 }
            @{ Case = "-Algorithm secp384r1"; Algorithm = 'secp384r1'; KeySize = $null; Expected = 'ECC_384'; Size = 384 }
            @{ Case = "-Algorithm P-521"; Algorithm = 'P-521'; KeySize = $null; Expected = 'ECC_521'; Size = 521 }
            @{ Case = "-Algorithm ECC_521"; Algorithm = 'ECC_521'; KeySize = $null; Expected = 'ECC_521'; Size = 521 }
        ) {
            $parameters = @{ CommonName = 'alg.example.com'; Algorithm = $Algorithm; StorePath = $store }
            if ($null -ne $KeySize) {
                $parameters['KeySize'] = $KeySize
            }
            $csr = New-Csr @parameters

            $csr.Algorithm | Should -Be $Expected
            $csr.KeySize | Should -Be $Size
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----'
        }

        It 'creates an RSA 2048 key when no algorithm is given' {
            $csr = New-Csr -CommonName 'rsa.example.com' -StorePath $store

            $csr.Algorithm | Should -Be 'RSA_2048'
            $csr.KeySize | Should -Be 2048
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----'
            $csr.PublicKeySha256 | Should -Match '^[0-9a-f]{64}$'
        }

        It 'creates an SM2 key and an SM3withSM2 request with -Algorithm SM2 and the parameters'' aliases' {
            $parameters = @{
                CommonName  = 'sm2.example.cn'
                Algorithm   = 'SM2'
                CountryCode = 'CN'
                Province    = 'Beijing'
                City        = 'Beijing'
                CorpName    = 'Example Co'
                Department  = 'IT'
                StorePath   = $store
            }
            $csr = New-Csr @parameters

            $csr.Subject | Should -Be 'CN=sm2.example.cn, OU=IT, O=Example Co, L=Beijing, ST=Beijing, C=CN'
            $csr.Algorithm | Should -Be 'SM2_256'
            $csr.KeySize | Should -Be 256
            $csr.Csr | Should -Match '^-----BEGIN CERTIFICATE REQUEST-----'
            $csr.PublicKeySha256 | Should -Match '^[0-9a-f]{64}$'
            Get-Content -LiteralPath $csr.KeyPath -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'

            # OpenSSL 3 verifies SM2 signatures when told the GM/T default distinguishing id.
            if (Test-PkiOpenSsl) {
                $version = (Invoke-PkiOpenSsl -ArgumentList @('version')).Output
                if ($version -match '^OpenSSL 3') {
                    $file = Join-Path $work 'sm2.csr.pem'
                    Write-PkiTestFile -Path $file -Text $csr.Csr
                    $verify = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-verify', '-vfyopt', 'distid:1234567812345678')
                    $verify.Output | Should -Match 'verify OK'
                    $verify.ExitCode | Should -Be 0
                }
            }
        }
    }

    Context 'Errors' {
        BeforeEach {
            $null = New-Csr -CommonName 'existing.example.com' -Name 'existing' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes <ErrorId> for <Case> and leaves the store as it was' -ForEach @(
            @{ Case = 'an empty common name'; Splat = @{ CommonName = ''; Algorithm = 'ECC' }; ErrorId = 'CommonNameMissing' }
            @{ Case = 'a blank common name'; Splat = @{ CommonName = '   '; Algorithm = 'ECC' }; ErrorId = 'CommonNameMissing' }
            @{ Case = 'a 65-character common name'; Splat = @{ CommonName = ('a' * 65); Algorithm = 'ECC' }; ErrorId = 'CommonNameTooLong' }
            @{ Case = 'the country XX'; Splat = @{ CommonName = 'c.example.com'; Country = 'XX'; Algorithm = 'ECC' }; ErrorId = 'InvalidCountryCode' }
            @{ Case = 'a three-letter country'; Splat = @{ CommonName = 'c.example.com'; Country = 'USA'; Algorithm = 'ECC' }; ErrorId = 'InvalidCountryCode' }
            @{ Case = 'a 65-character organization'; Splat = @{ CommonName = 'o.example.com'; Organization = ('o' * 65); Algorithm = 'ECC' }; ErrorId = 'SubjectFieldTooLong' }
            @{ Case = 'an e-mail without @'; Splat = @{ CommonName = 'e.example.com'; Email = 'not-an-address'; Algorithm = 'ECC' }; ErrorId = 'InvalidEmailAddress' }
            @{ Case = 'an e-mail SAN without domain'; Splat = @{ CommonName = 'e.example.com'; SubjectAlternativeName = 'user@'; Algorithm = 'ECC' }; ErrorId = 'InvalidEmailAddress' }
            @{ Case = 'a SAN with an underscore'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = 'bad_name.example.com'; Algorithm = 'ECC' }; ErrorId = 'InvalidDnsName' }
            @{ Case = 'a SAN with a 64-character label'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = (('a' * 64) + '.example.com'); Algorithm = 'ECC' }; ErrorId = 'DnsLabelTooLong' }
            @{ Case = 'a wildcard that is not the leftmost label'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = 'www.*.example.com'; Algorithm = 'ECC' }; ErrorId = 'MisplacedWildcard' }
            @{ Case = 'the IP address 300.1.1.1'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = '300.1.1.1'; Algorithm = 'ECC' }; ErrorId = 'InvalidIpAddress' }
            @{ Case = 'the short IP address 10.1'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = '10.1'; Algorithm = 'ECC' }; ErrorId = 'InvalidIpAddress' }
            @{ Case = 'a zero-width space in a DNS SAN'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = "exa`u{200B}mple.com"; Algorithm = 'ECC' }; ErrorId = 'InvalidDnsName' }
            @{ Case = 'a wildcard on the public suffix co.uk'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = '*.co.uk'; Algorithm = 'ECC' }; ErrorId = 'PublicSuffixWildcard' }
            @{ Case = '101 SANs'; Splat = @{ CommonName = 's.example.com'; SubjectAlternativeName = @(1..101 | ForEach-Object { "h$_.example.com" }); Algorithm = 'ECC' }; ErrorId = 'TooManyNames' }
            @{ Case = 'a line break inside the organization'; Splat = @{ CommonName = 's.example.com'; Organization = "Contoso`nLtd"; Algorithm = 'ECC' }; ErrorId = 'SubjectAttributeInvalid' }
            @{ Case = 'a NUL inside the common name'; Splat = @{ CommonName = "s.example.com`0.evil.com"; Algorithm = 'ECC' }; ErrorId = 'SubjectAttributeInvalid' }
            @{ Case = 'a 1024-bit RSA key'; Splat = @{ CommonName = 'k.example.com'; Algorithm = 'RSA'; KeySize = 1024 }; ErrorId = 'KeySizeNotAllowed' }
            @{ Case = 'a 128-bit ECC key'; Splat = @{ CommonName = 'k.example.com'; Algorithm = 'ECC'; KeySize = 128 }; ErrorId = 'KeySizeNotAllowed' }
            @{ Case = 'a 384-bit SM2 key'; Splat = @{ CommonName = 'k.example.com'; Algorithm = 'SM2'; KeySize = 384 }; ErrorId = 'Sm2KeySizeNotAllowed' }
            @{ Case = 'the algorithm DSA'; Splat = @{ CommonName = 'k.example.com'; Algorithm = 'DSA' }; ErrorId = 'UnsupportedAlgorithm' }
            @{ Case = 'ECC_384 with -KeySize 256'; Splat = @{ CommonName = 'k.example.com'; Algorithm = 'ECC_384'; KeySize = 256 }; ErrorId = 'KeySizeConflict' }
            @{ Case = 'the name "bad name!"'; Splat = @{ CommonName = 'n.example.com'; Name = 'bad name!'; Algorithm = 'ECC' }; ErrorId = 'InvalidName' }
            @{ Case = 'a 51-character name'; Splat = @{ CommonName = 'n.example.com'; Name = ('n' * 51); Algorithm = 'ECC' }; ErrorId = 'InvalidName' }
            @{ Case = 'a name that is taken'; Splat = @{ CommonName = 'n.example.com'; Name = 'existing'; Algorithm = 'ECC' }; ErrorId = 'DuplicateName' }
            @{ Case = 'a taken name in other letter case'; Splat = @{ CommonName = 'n.example.com'; Name = 'EXISTING'; Algorithm = 'ECC' }; ErrorId = 'DuplicateName' }
            @{ Case = 'a remark over 1024 characters'; Splat = @{ CommonName = 'r.example.com'; Remark = ('r' * 1025); Algorithm = 'ECC' }; ErrorId = 'RemarkTooLong' }
            @{ Case = 'a tag with an empty key'; Splat = @{ CommonName = 't.example.com'; Tag = @{ '' = 'value' }; Algorithm = 'ECC' }; ErrorId = 'InvalidTag' }
            @{ Case = 'an empty key password'; Splat = @{ CommonName = 'p.example.com'; KeyPassword = (New-Object System.Security.SecureString); Algorithm = 'ECC' }; ErrorId = 'KeyPasswordEmpty' }
        ) {
            { New-Csr @Splat -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.NewCsrCommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'gives the offending value as the target and a specific error category' {
            $null = New-Csr -CommonName 'c.example.com' -Country 'XX' -Algorithm ECC -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable countryErrors
            $null = New-Csr -CommonName 'n.example.com' -Name 'existing' -Algorithm ECC -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable nameErrors

            $countryErrors.Count | Should -Be 1
            $countryErrors[0].TargetObject | Should -Be 'XX'
            "$($countryErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $countryErrors[0].Exception.Message | Should -Match 'ISO 3166'
            $nameErrors.Count | Should -Be 1
            $nameErrors[0].TargetObject | Should -Be 'existing'
            "$($nameErrors[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes StoreNotWritable when -StorePath is under a regular file' {
            $file = Join-Path $work 'not-a-folder.txt'
            Write-PkiTestFile -Path $file -Text 'just a file'
            $underFile = Join-Path $file 'store'

            { New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $underFile -ErrorAction Stop } |
                Should -Throw -ErrorId 'StoreNotWritable,PkiCmdlets.Commands.NewCsrCommand'
            @(Get-Csr -StorePath $underFile).Count | Should -Be 0
            Get-Content -LiteralPath $file -Raw | Should -Be 'just a file'
        }
    }

    Context 'Pipeline' {
        It 'binds the parameters of an object by property name' {
            $csr = [pscustomobject]@{ CommonName = 'x.example.com'; Algorithm = 'ECC' } | New-Csr -StorePath $store

            $csr.CommonName | Should -Be 'x.example.com'
            $csr.Algorithm | Should -Be 'ECC_256'
            @(Get-Csr -StorePath $store).Count | Should -Be 1
        }

        It 'creates one CSR per row of a CSV file' {
            $csvPath = Join-Path $work 'requests.csv'
            $csvText = @(
                'CommonName,SubjectAlternativeName,Algorithm,KeySize,Name,Country'
                'a.example.com,"a.example.com,www.a.example.com",ECC,384,site-a,US'
                'b.example.com,b.example.com,P-384,,site-b,de'
                'c.example.com,,ECC,,,'
            ) -join "`n"
            Write-PkiTestFile -Path $csvPath -Text $csvText

            $created = @(Import-Csv -LiteralPath $csvPath | New-Csr -StorePath $store)

            $created.Count | Should -Be 3
            ($created | ForEach-Object { $_.Name }) -join ',' | Should -Be 'site-a,site-b,c.example.com'
            ($created[0].SubjectAlternativeNames -join ',') | Should -Be 'a.example.com,www.a.example.com'
            $created[0].Algorithm | Should -Be 'ECC_384'
            $created[0].Country | Should -Be 'US'
            $created[1].Algorithm | Should -Be 'ECC_384'
            $created[1].Country | Should -Be 'DE'
            $created[1].Subject | Should -Be 'CN=b.example.com, C=DE'
            # Blank cells count as not given: default key size, a name made from the common name, no country.
            $created[2].Algorithm | Should -Be 'ECC_256'
            $created[2].Country | Should -BeNullOrEmpty
            ($created[2].SubjectAlternativeNames -join ',') | Should -Be 'c.example.com'
        }

        It 'binds other APIs'' field names through the parameter aliases' {
            $request = [pscustomobject]@{
                CN          = 'seed.example.com'
                Sans        = 'seed.example.com,api.seed.example.com'
                CountryCode = 'CN'
                Province    = 'Zhejiang'
                City        = 'Hangzhou'
                CorpName    = 'Example Ltd'
                Department  = 'IT'
                EncryptAlgo = 'ECC'
                KeyLength   = 384
            }
            $csr = $request | New-Csr -StorePath $store

            $csr.CommonName | Should -Be 'seed.example.com'
            ($csr.SubjectAlternativeNames -join ',') | Should -Be 'seed.example.com,api.seed.example.com'
            $csr.Country | Should -Be 'CN'
            $csr.State | Should -Be 'Zhejiang'
            $csr.Locality | Should -Be 'Hangzhou'
            $csr.Organization | Should -Be 'Example Ltd'
            $csr.OrganizationalUnit | Should -Be 'IT'
            $csr.Algorithm | Should -Be 'ECC_384'
        }

        It 'reports a bad item and goes on with the next ones' {
            $requests = @(
                [pscustomobject]@{ CommonName = 'one.example.com'; Algorithm = 'ECC' }
                [pscustomobject]@{ CommonName = 'two.example.com'; Algorithm = 'DSA' }
                [pscustomobject]@{ CommonName = 'three.example.com'; Algorithm = 'ECC' }
            )
            $created = @($requests | New-Csr -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($created | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'one.example.com,three.example.com'
            # The failed item took no Id.
            ($created | ForEach-Object { $_.Id }) -join ',' | Should -Be '1,2'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'UnsupportedAlgorithm,PkiCmdlets.Commands.NewCsrCommand'
            $failures[0].TargetObject | Should -Be 'DSA'
            @(Get-Csr -StorePath $store).Count | Should -Be 2
        }

        It 'passes what it creates on to Get-Csr' {
            $created = New-Csr -CommonName 'round.example.com' -Algorithm ECC -StorePath $store
            $found = $created | Get-Csr -StorePath $store

            $found.Id | Should -Be $created.Id
            $found.PublicKeySha256 | Should -Be $created.PublicKeySha256
        }
    }

    Context 'Tab completion' {
        It 'completes -Algorithm with the common spellings' {
            $line = 'New-Csr -CommonName www.example.com -Algorithm P-'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $texts = @($completion.CompletionMatches | ForEach-Object { $_.CompletionText })

            ($texts -join ',') | Should -Be 'P-256,P-384,P-521'
        }
    }

    Context 'Checked by openssl' {
        It 'writes an ECC request whose signature, names and key fingerprints openssl confirms' {
            $csr = New-Csr -CommonName 'www.example.com' -SubjectAlternativeName 'example.com', '192.0.2.10' -Algorithm 'P-384' -StorePath $store
            $file = Join-Path $work 'ecc.csr.pem'
            Write-PkiTestFile -Path $file -Text $csr.Csr

            $verify = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-verify')
            # OpenSSL 3.0 exits with 0 even when the signature is bad: the message is what counts.
            $verify.Output | Should -Match 'verify OK'
            $verify.Output | Should -Not -Match 'verify fail'
            $verify.ExitCode | Should -Be 0

            $text = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-text')
            $text.ExitCode | Should -Be 0
            $text.Output | Should -Match 'CN ?= ?www\.example\.com'
            $text.Output | Should -Match 'DNS:www\.example\.com'
            $text.Output | Should -Match 'DNS:example\.com'
            $text.Output | Should -Match 'IP Address:192\.0\.2\.10'
            $text.Output | Should -Match 'ecdsa-with-SHA384'

            $publicKey = Join-Path $work 'ecc.pub.pem'
            (Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-pubkey', '-out', $publicKey)).ExitCode | Should -Be 0
            $spki = Get-PkiPemBytes -Path $publicKey
            Get-PkiHexHash -Bytes $spki -Algorithm SHA256 | Should -Be $csr.PublicKeySha256
            Get-PkiHexHash -Bytes $spki -Algorithm MD5 | Should -Be $csr.PublicKeyMd5

            # The key file holds the private half of that public key.
            $keyPublic = Join-Path $work 'key.pub.pem'
            (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $csr.KeyPath, '-pubout', '-out', $keyPublic)).ExitCode | Should -Be 0
            Get-PkiHexHash -Bytes (Get-PkiPemBytes -Path $keyPublic) -Algorithm SHA256 | Should -Be $csr.PublicKeySha256
        }

        It 'writes an RSA request that openssl verifies' {
            $csr = New-Csr -CommonName 'rsa.example.com' -Organization 'Example Ltd' -StorePath $store
            $file = Join-Path $work 'rsa.csr.pem'
            Write-PkiTestFile -Path $file -Text $csr.Csr

            $verify = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-verify')
            $verify.Output | Should -Match 'verify OK'
            $verify.Output | Should -Not -Match 'verify fail'
            $verify.ExitCode | Should -Be 0
            $text = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $file, '-noout', '-text')
            $text.Output | Should -Match 'sha256WithRSAEncryption'
            $text.Output | Should -Match '2048 bit'
            $text.Output | Should -Match 'DNS:rsa\.example\.com'
        }

        It 'encrypts the key so that openssl pkcs8 decrypts it with the password, and only with it' {
            $password = 'Secr3t-Pa55'
            $csr = New-Csr -CommonName 'secure.example.com' -Algorithm ECC -KeyPassword (ConvertTo-PkiTestSecureString -Text $password) -StorePath $store
            $decrypted = Join-Path $work 'decrypted.pem'

            $right = Invoke-PkiOpenSsl -ArgumentList @('pkcs8', '-in', $csr.KeyPath, '-passin', "pass:$password", '-out', $decrypted)
            $right.ExitCode | Should -Be 0
            Get-Content -LiteralPath $decrypted -TotalCount 1 | Should -Match '^-----BEGIN (EC )?PRIVATE KEY-----$'
            $keyPublic = Join-Path $work 'decrypted.pub.pem'
            (Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $decrypted, '-pubout', '-out', $keyPublic)).ExitCode | Should -Be 0
            Get-PkiHexHash -Bytes (Get-PkiPemBytes -Path $keyPublic) -Algorithm SHA256 | Should -Be $csr.PublicKeySha256

            $wrong = Invoke-PkiOpenSsl -ArgumentList @('pkcs8', '-in', $csr.KeyPath, '-passin', 'pass:not-the-password', '-out', (Join-Path $work 'wrong.pem'))
            $wrong.ExitCode | Should -Not -Be 0
        }
    }
}
