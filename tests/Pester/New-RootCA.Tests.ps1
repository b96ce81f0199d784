# Pester 5 tests for New-RootCA. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath. ECC keys keep the tests fast.

BeforeDiscovery {
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $CanReadUnixMode = (-not $OnWindows) -and ($null -ne [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])))
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'
    $BasicConstraintsOid = '2.5.29.19'
    $KeyUsageOid = '2.5.29.15'
    $SubjectKeyIdentifierOid = '2.5.29.14'
    $AuthorityKeyIdentifierOid = '2.5.29.35'
}

Describe 'New-RootCA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    Context 'Examples' {
        It 'creates a self-signed root in the store and returns it' {
            $root = New-RootCA -CommonName 'Test Root CA' -Name 'Root' -Organization 'Example Org' -Country 'us' -Algorithm ECC -NoPassword -StorePath $store

            $root.GetType().FullName | Should -Be $CaTypeName
            $root.Id | Should -Match '^[0-9a-f]{32}$'
            $root.Name | Should -Be 'Root'
            $root.Subject | Should -Be 'CN=Test Root CA, O=Example Org, C=US'
            $root.CommonName | Should -Be 'Test Root CA'
            $root.Organization | Should -Be 'Example Org'
            $root.Country | Should -Be 'US'
            $root.OrganizationalUnit | Should -BeNullOrEmpty
            $root.Algorithm | Should -Be 'ECC_256'
            $root.KeySize | Should -Be 256
            $root.IsRoot | Should -BeTrue
            $root.IssuerId | Should -BeNullOrEmpty
            $root.IssuerName | Should -Be 'Root'
            $root.IssuerSubject | Should -Be $root.Subject
            $root.PathLength | Should -BeNullOrEmpty
            $root.CrlUrl | Should -BeNullOrEmpty
            $root.KeyProtected | Should -BeFalse
            $root.Unlocked | Should -BeFalse
            $root.Imported | Should -BeFalse
            @($root.PermittedDnsDomains).Count | Should -Be 0
            $root.Certificate | Should -BeOfType ([System.Security.Cryptography.X509Certificates.X509Certificate2])
            $root.Certificate.Subject | Should -Be $root.Certificate.Issuer
            $root.SerialNumber | Should -Match '^[0-9A-F]{32}$'
            $root.SerialNumber | Should -Be $root.Certificate.SerialNumber
            $root.Thumbprint | Should -Be $root.Certificate.Thumbprint
            $root.Pem | Should -Match '^-----BEGIN CERTIFICATE-----\n'
            $root.Chain | Should -Be $root.Pem
            $root.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
            ($root.NotBefore - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            $root.NotAfter | Should -Be $root.NotBefore.AddYears(10)
            $root.Certificate.NotAfter.ToUniversalTime() | Should -Be $root.NotAfter.UtcDateTime
            Join-Path $store "cas/$($root.Id).json" | Should -Exist
            Join-Path $store "cas/$($root.Id).crt.pem" | Should -Exist
            Join-Path $store "keys/ca-$($root.Id).key.pem" | Should -Exist
            Get-Content -LiteralPath (Join-Path $store "keys/ca-$($root.Id).key.pem") -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
            (Get-CA -StorePath $store | ForEach-Object { $_.Id }) -join ',' | Should -Be $root.Id
        }

        It 'writes the root profile: critical CA basic constraints without path length, critical keyCertSign and cRLSign, and a key identifier' {
            $root = New-RootCA -CommonName 'Profile Root' -Algorithm ECC -NoPassword -StorePath $store

            $basic = Get-PkiCertificateExtension -Certificate $root.Certificate -Oid $BasicConstraintsOid
            $basic.Critical | Should -BeTrue
            $basic.CertificateAuthority | Should -BeTrue
            $basic.HasPathLengthConstraint | Should -BeFalse
            $usage = Get-PkiCertificateExtension -Certificate $root.Certificate -Oid $KeyUsageOid
            $usage.Critical | Should -BeTrue
            "$($usage.KeyUsages)" | Should -Be 'CrlSign, KeyCertSign'
            Get-PkiCertificateExtension -Certificate $root.Certificate -Oid $SubjectKeyIdentifierOid | Should -Not -BeNullOrEmpty
            Get-PkiCertificateExtension -Certificate $root.Certificate -Oid $AuthorityKeyIdentifierOid | Should -BeNullOrEmpty
            $root.Certificate.Version | Should -Be 3
            $root.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.840.10045.4.3.2' # ecdsa-with-SHA256
        }

        It 'names the root after its common name and keeps names unique' {
            $first = New-RootCA -CommonName 'Test Root CA' -Algorithm ECC -NoPassword -StorePath $store
            $second = New-RootCA -CommonName 'Test Root CA' -Algorithm ECC -NoPassword -StorePath $store

            $first.Name | Should -Be 'Test_Root_CA'
            $second.Name | Should -Be 'Test_Root_CA-2'
            $second.Id | Should -Not -Be $first.Id
        }

        It 'takes the common name by position and the parameter aliases' {
            $root = New-RootCA 'Alias Root' -KeyAlgorithm ECC -KeyLength 384 -O 'Example GmbH' -C 'DE' -OU 'PKI' -ST 'Bayern' -L 'Munich' -NoPassword -StorePath $store

            $root.CommonName | Should -Be 'Alias Root'
            $root.Algorithm | Should -Be 'ECC_384'
            $root.Subject | Should -Be 'CN=Alias Root, OU=PKI, O=Example GmbH, L=Munich, S=Bayern, C=DE'
            $root.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.840.10045.4.3.3' # ecdsa-with-SHA384
        }

        It 'sets the validity: -Days wins over -NotAfter and -Years, and -NotAfter over -Years' {
            $notAfter = [System.DateTime]::UtcNow.Date.AddDays(100)

            $byDays = New-RootCA -CommonName 'Days Root' -Days 30 -NotAfter $notAfter -Years 2 -Algorithm ECC -NoPassword -StorePath $store
            $byNotAfter = New-RootCA -CommonName 'NotAfter Root' -NotAfter $notAfter -Years 2 -Algorithm ECC -NoPassword -StorePath $store
            $byYears = New-RootCA -CommonName 'Years Root' -Years 3 -Algorithm ECC -NoPassword -StorePath $store

            $byDays.NotAfter | Should -Be $byDays.NotBefore.AddDays(30)
            $byNotAfter.NotAfter.UtcDateTime | Should -Be $notAfter
            $byYears.NotAfter | Should -Be $byYears.NotBefore.AddYears(3)
        }

        It 'sets the path length constraint with -PathLength' {
            $root = New-RootCA -CommonName 'Path Root' -PathLength 1 -Algorithm ECC -NoPassword -StorePath $store

            $root.PathLength | Should -Be 1
            $basic = Get-PkiCertificateExtension -Certificate $root.Certificate -Oid $BasicConstraintsOid
            $basic.HasPathLengthConstraint | Should -BeTrue
            $basic.PathLengthConstraint | Should -Be 1
        }

        It 'keeps the CRL URL with the root' {
            $root = New-RootCA -CommonName 'Crl Root' -CrlUrl 'http://pki.example.com/root.crl' -Algorithm ECC -NoPassword -StorePath $store

            $root.CrlUrl | Should -Be 'http://pki.example.com/root.crl'
            (Get-CA -Name $root.Name -StorePath $store).CrlUrl | Should -Be 'http://pki.example.com/root.crl'
        }

        It 'encrypts the key with -KeyPassword' {
            $root = New-RootCA -CommonName 'Protected Root' -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Root-Pa55') -Algorithm ECC -StorePath $store

            $root.KeyProtected | Should -BeTrue
            $root.Unlocked | Should -BeFalse
            $key = Join-Path $store "keys/ca-$($root.Id).key.pem"
            Get-Content -LiteralPath $key -TotalCount 1 | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
            Get-Content -LiteralPath $key -Raw | Should -Not -Match 'BEGIN PRIVATE KEY'
        }

        It 'creates an RSA 2048 root when no algorithm is given' {
            $root = New-RootCA -CommonName 'Rsa Root' -NoPassword -StorePath $store

            $root.Algorithm | Should -Be 'RSA_2048'
            $root.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.840.113549.1.1.11' # sha256WithRSAEncryption
        }

        It 'creates an SM2 root signed with SM3' {
            $root = New-RootCA -CommonName 'SM2 Root' -Algorithm SM2 -Country CN -NoPassword -StorePath $store

            $root.Algorithm | Should -Be 'SM2_256'
            $root.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.156.10197.1.501' # SM2 with SM3
        }

        It 'keeps the key readable by its owner only (0600)' -Skip:(-not $CanReadUnixMode) {
            $root = New-RootCA -CommonName 'Private Root' -Algorithm ECC -NoPassword -StorePath $store

            Get-PkiUnixFileMode -Path (Join-Path $store "keys/ca-$($root.Id).key.pem") | Should -Be 384
        }

        It 'changes nothing with -WhatIf' {
            $result = New-RootCA -CommonName 'WhatIf Root' -Algorithm ECC -NoPassword -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $store | Should -BeFalse
        }
    }

    Context 'Errors' {
        BeforeEach {
            $null = New-RootCA -CommonName 'Existing Root' -Name 'Existing' -Algorithm ECC -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes <ErrorId> for <Case> and leaves the store as it was' -ForEach @(
            @{ Case = 'neither -KeyPassword nor -NoPassword'; Splat = @{ CommonName = 'X Root'; Algorithm = 'ECC' }; ErrorId = 'CaKeyPasswordRequired' }
            @{ Case = 'both -KeyPassword and -NoPassword'; Splat = @{ CommonName = 'X Root'; Algorithm = 'ECC'; NoPassword = $true }; Password = 'Pa55-word'; ErrorId = 'KeyPasswordConflict' }
            @{ Case = 'RSA_1024, which some cloud CAs allow'; Splat = @{ CommonName = 'X Root'; Algorithm = 'RSA_1024'; NoPassword = $true }; ErrorId = 'KeySizeNotAllowed' }
            @{ Case = 'RSA with -KeySize 1024'; Splat = @{ CommonName = 'X Root'; Algorithm = 'RSA'; KeySize = 1024; NoPassword = $true }; ErrorId = 'KeySizeNotAllowed' }
            @{ Case = 'an unknown algorithm'; Splat = @{ CommonName = 'X Root'; Algorithm = 'DSA'; NoPassword = $true }; ErrorId = 'UnsupportedAlgorithm' }
            @{ Case = 'a blank common name'; Splat = @{ CommonName = '   '; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'CommonNameMissing' }
            @{ Case = 'a 65-character common name'; Splat = @{ CommonName = ('a' * 65); Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'CommonNameTooLong' }
            @{ Case = 'the country XX'; Splat = @{ CommonName = 'X Root'; Country = 'XX'; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidCountryCode' }
            @{ Case = 'a name with a space'; Splat = @{ CommonName = 'X Root'; Name = 'my root'; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidName' }
            @{ Case = 'a name that is taken'; Splat = @{ CommonName = 'X Root'; Name = 'EXISTING'; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'DuplicateName' }
            @{ Case = 'a CRL URL that is not http, https or ldap'; Splat = @{ CommonName = 'X Root'; CrlUrl = 'ftp://pki.example.com/root.crl'; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidCrlUrl' }
            @{ Case = 'a path length of 17'; Splat = @{ CommonName = 'X Root'; PathLength = 17; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidPathLength' }
            @{ Case = '-Days 0'; Splat = @{ CommonName = 'X Root'; Days = 0; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidValidity' }
            @{ Case = '-Years -1'; Splat = @{ CommonName = 'X Root'; Years = -1; Algorithm = 'ECC'; NoPassword = $true }; ErrorId = 'InvalidValidity' }
        ) {
            $parameters = @{} + $Splat
            if ($Password) {
                $parameters['KeyPassword'] = ConvertTo-PkiTestSecureString -Text $Password
            }

            { New-RootCA @parameters -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.NewRootCACommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordEmpty for an empty key password' {
            { New-RootCA -CommonName 'X Root' -KeyPassword (New-Object System.Security.SecureString) -Algorithm ECC -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordEmpty,PkiCmdlets.Commands.NewRootCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes InvalidValidity for a -NotAfter in the past' {
            { New-RootCA -CommonName 'X Root' -NotAfter ([System.DateTime]::UtcNow.AddDays(-1)) -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidValidity,PkiCmdlets.Commands.NewRootCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'reports the error as non-terminating with its category and target' {
            New-RootCA -CommonName 'X Root' -Name 'Existing' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
            $failures[0].TargetObject | Should -Be 'Existing'
        }
    }
}
