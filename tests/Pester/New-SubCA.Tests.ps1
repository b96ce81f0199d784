# Pester 5 tests for New-SubCA. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath. ECC keys keep the tests fast.

BeforeDiscovery {
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'
    $BasicConstraintsOid = '2.5.29.19'
    $KeyUsageOid = '2.5.29.15'
    $AuthorityKeyIdentifierOid = '2.5.29.35'
    $NameConstraintsOid = '2.5.29.30'
    $CrlDistributionPointsOid = '2.5.29.31'
}

Describe 'New-SubCA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $root = New-RootCA -CommonName 'Test Root CA' -Name 'Root' -Organization 'Example Org' -Country 'US' -Algorithm ECC -NoPassword -StorePath $store
    }

    Context 'Examples' {
        It 'creates an intermediate signed by the root and returns it' {
            $sub = New-SubCA -CommonName 'Test Sub CA' -Name 'Sub' -Issuer 'Root' -Organization 'Example Org' -OrganizationalUnit 'Ops' -Algorithm ECC -NoPassword -StorePath $store

            $sub.GetType().FullName | Should -Be $CaTypeName
            $sub.Id | Should -Match '^[0-9a-f]{32}$'
            $sub.Name | Should -Be 'Sub'
            $sub.Subject | Should -Be 'CN=Test Sub CA, OU=Ops, O=Example Org'
            $sub.IsRoot | Should -BeFalse
            $sub.IssuerId | Should -Be $root.Id
            $sub.IssuerName | Should -Be 'Root'
            $sub.IssuerSubject | Should -Be $root.Subject
            $sub.Certificate.Issuer | Should -Be $root.Certificate.Subject
            $sub.PathLength | Should -Be 0
            $sub.Algorithm | Should -Be 'ECC_256'
            $sub.KeyProtected | Should -BeFalse
            $sub.Chain | Should -Be ($sub.Pem + $root.Pem)
            $sub.NotAfter | Should -Be $sub.NotBefore.AddYears(5)
            $sub.NotBefore | Should -Not -BeLessThan $root.NotBefore
            Join-Path $store "cas/$($sub.Id).json" | Should -Exist
            Join-Path $store "cas/$($sub.Id).crt.pem" | Should -Exist
            Join-Path $store "keys/ca-$($sub.Id).key.pem" | Should -Exist
            (Get-CA -Intermediate -StorePath $store).Id | Should -Be $sub.Id
        }

        It 'writes the intermediate profile: path length 0, key usage, authority key identifier, no name constraints' {
            $sub = New-SubCA -CommonName 'Profile Sub' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store

            $basic = Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $BasicConstraintsOid
            $basic.Critical | Should -BeTrue
            $basic.CertificateAuthority | Should -BeTrue
            $basic.HasPathLengthConstraint | Should -BeTrue
            $basic.PathLengthConstraint | Should -Be 0
            $usage = Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $KeyUsageOid
            $usage.Critical | Should -BeTrue
            "$($usage.KeyUsages)" | Should -Be 'CrlSign, KeyCertSign'
            Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $AuthorityKeyIdentifierOid | Should -Not -BeNullOrEmpty
            Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $NameConstraintsOid | Should -BeNullOrEmpty
            # The root has no CRL URL, so the intermediate has no CRL distribution point.
            Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $CrlDistributionPointsOid | Should -BeNullOrEmpty
        }

        It 'takes the issuer from the pipeline: a CA from Get-CA, a name, or an Id with the ParentIdentifier alias' {
            $fromObject = Get-CA -Name 'Root' -StorePath $store | New-SubCA -CommonName 'Piped Sub' -Algorithm ECC -NoPassword -StorePath $store
            $fromName = 'Root' | New-SubCA -CommonName 'Named Sub' -Algorithm ECC -NoPassword -StorePath $store
            $fromId = New-SubCA -CommonName 'Id Sub' -ParentIdentifier $root.Id -Algorithm ECC -NoPassword -StorePath $store

            $fromObject.IssuerId | Should -Be $root.Id
            $fromName.IssuerId | Should -Be $root.Id
            $fromId.IssuerId | Should -Be $root.Id
            $fromObject.Name | Should -Be 'Piped_Sub'
        }

        It 'cuts the default validity of 5 years to the end of a shorter issuer' {
            $shortRoot = New-RootCA -CommonName 'Short Root' -Name 'ShortRoot' -Days 30 -Algorithm ECC -NoPassword -StorePath $store

            $sub = New-SubCA -CommonName 'Short Sub' -Issuer 'ShortRoot' -Algorithm ECC -NoPassword -StorePath $store

            $sub.NotAfter | Should -Be $shortRoot.NotAfter
        }

        It 'sets an explicit validity within the issuer: -Days wins over -NotAfter and -Years' {
            $byDays = New-SubCA -CommonName 'Days Sub' -Issuer 'Root' -Days 60 -Years 2 -NotAfter ([System.DateTime]::UtcNow.AddDays(500)) -Algorithm ECC -NoPassword -StorePath $store
            $byYears = New-SubCA -CommonName 'Years Sub' -Issuer 'Root' -Years 2 -Algorithm ECC -NoPassword -StorePath $store

            $byDays.NotAfter | Should -Be $byDays.NotBefore.AddDays(60)
            $byYears.NotAfter | Should -Be $byYears.NotBefore.AddYears(2)
        }

        It "puts the issuer's CRL URL into the intermediate and keeps its own" {
            $crlRoot = New-RootCA -CommonName 'Crl Root' -Name 'CrlRoot' -CrlUrl 'http://pki.example.com/root.crl' -Algorithm ECC -NoPassword -StorePath $store

            $sub = New-SubCA -CommonName 'Crl Sub' -Issuer 'CrlRoot' -CrlUrl 'http://pki.example.com/sub.crl' -Algorithm ECC -NoPassword -StorePath $store

            $sub.CrlUrl | Should -Be 'http://pki.example.com/sub.crl'
            $distribution = Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $CrlDistributionPointsOid
            $distribution | Should -Not -BeNullOrEmpty
            [System.Text.Encoding]::ASCII.GetString($distribution.RawData) | Should -Match ([regex]::Escape('http://pki.example.com/root.crl'))
        }

        It 'writes critical name constraints and returns them' {
            $parameters = @{
                CommonName         = 'Constrained Sub'
                Issuer             = 'Root'
                PermittedDnsDomain = 'Example.com, .example.net'
                ExcludedDnsDomain  = 'internal.example.com'
                PermittedIpRange   = '10.0.0.0/8', 'fd00::/8'
                Algorithm          = 'ECC'
                NoPassword         = $true
                StorePath          = $store
            }
            $sub = New-SubCA @parameters

            ($sub.PermittedDnsDomains -join ',') | Should -Be 'example.com,.example.net'
            ($sub.ExcludedDnsDomains -join ',') | Should -Be 'internal.example.com'
            ($sub.PermittedIpRanges -join ',') | Should -Be '10.0.0.0/8,fd00::/8'
            $constraints = Get-PkiCertificateExtension -Certificate $sub.Certificate -Oid $NameConstraintsOid
            $constraints.Critical | Should -BeTrue
            (Get-CA -Name $sub.Name -StorePath $store).PermittedDnsDomains -join ',' | Should -Be 'example.com,.example.net'
        }

        It 'allows one more level of intermediates with -PathLength 1' {
            $middle = New-SubCA -CommonName 'Middle CA' -Name 'Middle' -Issuer 'Root' -PathLength 1 -Algorithm ECC -NoPassword -StorePath $store
            $issuing = New-SubCA -CommonName 'Issuing CA' -Issuer 'Middle' -Algorithm ECC -NoPassword -StorePath $store

            $middle.PathLength | Should -Be 1
            $issuing.IssuerId | Should -Be $middle.Id
            $issuing.PathLength | Should -Be 0
            $issuing.Chain | Should -Be ($issuing.Pem + $middle.Pem + $root.Pem)
            $issuing.IssuerName | Should -Be 'Middle'
            $issuing.IssuerSubject | Should -Be $middle.Subject
            $middle.IssuerName | Should -Be 'Root'
        }

        It 'signs with an issuer whose key is encrypted when given -IssuerKeyPassword, and encrypts its own key with -KeyPassword' {
            $rootPassword = ConvertTo-PkiTestSecureString -Text 'Root-Pa55'
            $null = New-RootCA -CommonName 'Protected Root' -Name 'ProtectedRoot' -KeyPassword $rootPassword -Algorithm ECC -StorePath $store

            $sub = New-SubCA -CommonName 'Protected Sub' -Issuer 'ProtectedRoot' -IssuerKeyPassword $rootPassword -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Sub-Pa55') -Algorithm ECC -StorePath $store

            $sub.KeyProtected | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $store "keys/ca-$($sub.Id).key.pem") -TotalCount 1 | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
        }

        It 'creates an intermediate of another key family than its issuer' {
            $sub = New-SubCA -CommonName 'Rsa Sub' -Issuer 'Root' -Algorithm RSA -NoPassword -StorePath $store

            $sub.Algorithm | Should -Be 'RSA_2048'
            # Signed by the ECC P-256 root: ecdsa-with-SHA256.
            $sub.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.840.10045.4.3.2'
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = New-SubCA -CommonName 'WhatIf Sub' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store -WhatIf
            Get-CA -Name 'Root' -StorePath $store | New-SubCA -CommonName 'WhatIf Sub' -Algorithm ECC -NoPassword -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'makes an intermediate that openssl verifies against the root' {
            $sub = New-SubCA -CommonName 'Verified Sub' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store
            $rootFile = Join-Path $work 'root.pem'
            $subFile = Join-Path $work 'sub.pem'
            Write-PkiTestFile -Path $rootFile -Text $root.Pem
            Write-PkiTestFile -Path $subFile -Text $sub.Pem

            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, $subFile)

            $verify.Output | Should -Match 'OK'
            $verify.ExitCode | Should -Be 0
        }

        It 'makes an SM2 intermediate that OpenSSL 3 verifies with the default SM2 user id' {
            $version = (Invoke-PkiOpenSsl -ArgumentList @('version')).Output
            $version | Should -Match '^OpenSSL 3' -Because 'SM2 signatures need OpenSSL 3 to be verified'
            $smRoot = New-RootCA -CommonName 'SM2 Root' -Name 'SmRoot' -Algorithm SM2 -NoPassword -StorePath $store
            $smSub = $smRoot | New-SubCA -CommonName 'SM2 Sub' -Algorithm SM2 -NoPassword -StorePath $store
            $rootFile = Join-Path $work 'sm2-root.pem'
            $subFile = Join-Path $work 'sm2-sub.pem'
            Write-PkiTestFile -Path $rootFile -Text $smRoot.Pem
            Write-PkiTestFile -Path $subFile -Text $smSub.Pem

            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-vfyopt', 'distid:1234567812345678', '-CAfile', $rootFile, $subFile)

            $verify.Output | Should -Match 'sm2-sub\.pem: OK'
            $verify.ExitCode | Should -Be 0
        }
    }

    Context 'For a key kept elsewhere' {
        It 'signs the request of an intermediate whose key openssl keeps, keeps its certificate without a key, and openssl issues below it' {
            $key = Join-Path $work 'partner.key'
            $csr = Join-Path $work 'partner.csr'
            $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $key, '-out', $csr, '-subj', '/O=Partner/CN=Partner CA')

            $partner = New-SubCA -Issuer 'Root' -CsrPath $csr -Name 'Partner' -StorePath $store

            $partner.HasKey | Should -BeFalse
            $partner.CommonName | Should -Be 'Partner CA'
            $partner.Organization | Should -Be 'Partner'
            $rootFile = Join-Path $work 'root.pem'
            $partnerFile = Join-Path $work 'partner.pem'
            Write-PkiTestFile -Path $rootFile -Text $root.Pem
            Write-PkiTestFile -Path $partnerFile -Text $partner.Pem
            $leafCsr = Join-Path $work 'leaf.csr'
            $leaf = Join-Path $work 'leaf.pem'
            $ext = Join-Path $work 'leaf.ext'
            Write-PkiTestFile -Path $ext -Text "basicConstraints=critical,CA:false`nsubjectAltName=DNS:www.partner.example`nextendedKeyUsage=serverAuth`n"
            $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', (Join-Path $work 'leaf.key'), '-out', $leafCsr, '-subj', '/CN=www.partner.example')
            $null = Invoke-PkiOpenSsl -ArgumentList @('x509', '-req', '-in', $leafCsr, '-CA', $partnerFile, '-CAkey', $key, '-CAcreateserial', '-days', '30', '-extfile', $ext, '-out', $leaf)
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', $rootFile, '-untrusted', $partnerFile, $leaf)
            $verify.ExitCode | Should -Be 0 -Because $verify.Output
        }

        It 'takes the request as text with -Csr, and its common name from -CommonName' {
            $pending = Request-SubCA -Name 'Elsewhere' -CommonName 'Requested Name' -Algorithm ECC -NoPassword -StorePath (New-PkiTestStorePath -Root $TestDrive)

            $sub = New-SubCA -Issuer 'Root' -Csr $pending.Csr -CommonName 'Signed Name' -StorePath $store

            $sub.CommonName | Should -Be 'Signed Name'
            $sub.HasKey | Should -BeFalse
        }

        It 'writes KeyParameterWithCsr for a key parameter with a request, and CsrSignatureInvalid for a tampered request, changing nothing' {
            $pending = Request-SubCA -Name 'Elsewhere' -CommonName 'Requested' -Algorithm ECC -NoPassword -StorePath (New-PkiTestStorePath -Root $TestDrive)
            $before = Get-PkiStoreSnapshot -StorePath $store

            { New-SubCA -Issuer 'Root' -Csr $pending.Csr -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyParameterWithCsr,PkiCmdlets.Commands.NewSubCACommand'
            { New-SubCA -Issuer 'Root' -Csr (Get-PkiTamperedPem -Pem $pending.Csr -Text 'Requested') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrSignatureInvalid,PkiCmdlets.Commands.NewSubCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        BeforeEach {
            $null = New-SubCA -CommonName 'Test Sub CA' -Name 'Sub' -Issuer 'Root' -Algorithm ECC -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes <ErrorId> for <Case> and leaves the store as it was' -ForEach @(
            @{ Case = 'an issuer that is not in the store'; Splat = @{ Issuer = 'Nope'; NoPassword = $true }; ErrorId = 'CaNotFound' }
            @{ Case = 'neither -KeyPassword nor -NoPassword'; Splat = @{ Issuer = 'Root' }; ErrorId = 'CaKeyPasswordRequired' }
            @{ Case = 'both -KeyPassword and -NoPassword'; Splat = @{ Issuer = 'Root'; NoPassword = $true }; Password = 'Pa55-word'; ErrorId = 'KeyPasswordConflict' }
            @{ Case = '-Years 11 below a 10-year root'; Splat = @{ Issuer = 'Root'; Years = 11; NoPassword = $true }; ErrorId = 'ValidityExceedsIssuer' }
            @{ Case = '-Days 4000 below a 10-year root'; Splat = @{ Issuer = 'Root'; Days = 4000; NoPassword = $true }; ErrorId = 'ValidityExceedsIssuer' }
            @{ Case = 'an intermediate with path length 0 as issuer'; Splat = @{ Issuer = 'Sub'; NoPassword = $true }; ErrorId = 'PathLengthExceeded' }
            @{ Case = 'a path length of 17'; Splat = @{ Issuer = 'Root'; PathLength = 17; NoPassword = $true }; ErrorId = 'InvalidPathLength' }
            @{ Case = 'a wildcard domain constraint'; Splat = @{ Issuer = 'Root'; PermittedDnsDomain = '*.example.com'; NoPassword = $true }; ErrorId = 'InvalidNameConstraint' }
            @{ Case = 'an IP range with host bits'; Splat = @{ Issuer = 'Root'; PermittedIpRange = '10.1.2.3/8'; NoPassword = $true }; ErrorId = 'InvalidNameConstraint' }
            @{ Case = 'an IP range that is not CIDR'; Splat = @{ Issuer = 'Root'; PermittedIpRange = '10.0.0.0'; NoPassword = $true }; ErrorId = 'InvalidNameConstraint' }
            @{ Case = 'an excluded domain with an underscore'; Splat = @{ Issuer = 'Root'; ExcludedDnsDomain = 'bad_name.example.com'; NoPassword = $true }; ErrorId = 'InvalidDnsName' }
            @{ Case = 'a name that is taken'; Splat = @{ Issuer = 'Root'; Name = 'sub'; NoPassword = $true }; ErrorId = 'DuplicateName' }
            @{ Case = 'RSA_1024'; Splat = @{ Issuer = 'Root'; Algorithm = 'RSA_1024'; NoPassword = $true }; ErrorId = 'KeySizeNotAllowed' }
        ) {
            $parameters = @{ CommonName = 'Failing Sub'; Algorithm = 'ECC' }
            foreach ($key in $Splat.Keys) { $parameters[$key] = $Splat[$key] }
            if ($Password) {
                $parameters['KeyPassword'] = ConvertTo-PkiTestSecureString -Text $Password
            }

            { New-SubCA @parameters -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.NewSubCACommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ValidityExceedsIssuer for a -NotAfter after the issuer ends' {
            { New-SubCA -CommonName 'Late Sub' -Issuer 'Root' -NotAfter $root.NotAfter.UtcDateTime.AddDays(1) -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ValidityExceedsIssuer,PkiCmdlets.Commands.NewSubCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'says that no CA may be created below an issuer with path length 0' {
            New-SubCA -CommonName 'Deep Sub' -Issuer 'Sub' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'PathLengthExceeded,PkiCmdlets.Commands.NewSubCACommand'
            $failures[0].Exception.Message | Should -Match 'no CA may be created below it'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'names the missing issuer in CaNotFound' {
            New-SubCA -CommonName 'Orphan Sub' -Issuer 'Nope' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].TargetObject | Should -Be 'Nope'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        }
    }

    Context 'Issuer with an encrypted key' {
        BeforeEach {
            $null = New-RootCA -CommonName 'Locked Root' -Name 'LockedRoot' -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Root-Pa55') -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CaLocked without -IssuerKeyPassword and leaves the store as it was' {
            { New-SubCA -CommonName 'Sub' -Issuer 'LockedRoot' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewSubCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordIncorrect for a wrong -IssuerKeyPassword and leaves the store as it was' {
            { New-SubCA -CommonName 'Sub' -Issuer 'LockedRoot' -IssuerKeyPassword (ConvertTo-PkiTestSecureString -Text 'wrong') -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.NewSubCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
