# Pester 5 tests for Revoke-IssuedCertificate. They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath, with a root, an intermediate (Sub) and two
# certificates. Revoke-IssuedCertificate has ConfirmImpact High, so every call that should revoke passes -Confirm:$false.
# The 'against Pebble' block orders certificates from Pebble (started in BeforeAll, stopped in AfterAll) and revokes
# them there; Pebble's management interface tells what it has revoked.

BeforeDiscovery {
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CertificateTypeName = 'PkiCmdlets.Core.Authority.IssuedCertificate'
}

Describe 'Revoke-IssuedCertificate' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store
        $www = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        $api = New-Csr -CommonName 'api.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
    }

    Context 'Examples' {
        It 'revokes a certificate with a reason, writes nothing, and Get-IssuedCertificate shows it revoked' {
            $result = Revoke-IssuedCertificate -Identifier $www.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store

            $result | Should -BeNullOrEmpty
            $revoked = Get-IssuedCertificate -Identifier $www.Identifier -StorePath $store
            "$($revoked.Status)" | Should -Be 'Revoked'
            "$($revoked.RevocationReason)" | Should -Be 'KeyCompromise'
            ($revoked.RevokedAt - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            "$((Get-IssuedCertificate -Identifier $api.Identifier -StorePath $store).Status)" | Should -Be 'Valid'
        }

        It 'returns the revoked certificate with -PassThru, with the reason Unspecified by default' {
            $revoked = Revoke-IssuedCertificate $www.Identifier -PassThru -Confirm:$false -StorePath $store

            $revoked.GetType().FullName | Should -Be $CertificateTypeName
            $revoked.Identifier | Should -Be $www.Identifier
            "$($revoked.Status)" | Should -Be 'Revoked'
            "$($revoked.RevocationReason)" | Should -Be 'Unspecified'
            $revoked.RevokedAt | Should -Not -BeNullOrEmpty
        }

        It 'revokes what Get-IssuedCertificate pipes to it' {
            Get-IssuedCertificate -SerialNumber $api.SerialNumber -StorePath $store | Revoke-IssuedCertificate -Reason Superseded -Confirm:$false -StorePath $store

            $revoked = @(Get-IssuedCertificate -Status Revoked -StorePath $store)
            ($revoked | ForEach-Object { $_.Identifier }) -join ',' | Should -Be $api.Identifier
            "$($revoked[0].RevocationReason)" | Should -Be 'Superseded'
        }

        It 'revokes every certificate of a listing' {
            $revoked = @(Get-IssuedCertificate -Issuer 'Sub' -StorePath $store | Revoke-IssuedCertificate -Reason CessationOfOperation -PassThru -Confirm:$false -StorePath $store)

            $revoked.Count | Should -Be 2
            @(Get-IssuedCertificate -Status Valid -StorePath $store).Count | Should -Be 0
        }

        It 'accepts every RFC 5280 reason: <Reason>' -ForEach @(
            @{ Reason = 'Unspecified' }
            @{ Reason = 'KeyCompromise' }
            @{ Reason = 'CACompromise' }
            @{ Reason = 'AffiliationChanged' }
            @{ Reason = 'Superseded' }
            @{ Reason = 'CessationOfOperation' }
            @{ Reason = 'CertificateHold' }
            @{ Reason = 'PrivilegeWithdrawn' }
            @{ Reason = 'AACompromise' }
        ) {
            $revoked = Revoke-IssuedCertificate -Identifier $www.Identifier -Reason $Reason -PassThru -Confirm:$false -StorePath $store

            "$($revoked.RevocationReason)" | Should -Be $Reason
        }

        It 'puts the revoked certificate on the next CRL of its intermediate' {
            Revoke-IssuedCertificate -Identifier $www.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store

            $crl = Publish-Crl -Issuer 'Sub' -StorePath $store

            $crl.RevokedCount | Should -Be 1
        }

        It 'writes a CRL entry that openssl shows with serial number and reason' {
            Revoke-IssuedCertificate -Identifier $www.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store
            Revoke-IssuedCertificate -Identifier $api.Identifier -Confirm:$false -StorePath $store
            $path = Join-Path $work 'sub.crl'
            $null = Publish-Crl -Issuer 'Sub' -Path $path -StorePath $store

            $text = Invoke-PkiOpenSsl -ArgumentList @('crl', '-in', $path, '-inform', 'DER', '-noout', '-text')

            $text.ExitCode | Should -Be 0
            $text.Output | Should -Match $www.SerialNumber
            $text.Output | Should -Match $api.SerialNumber
            $text.Output | Should -Match 'Key Compromise'
            # RFC 5280: the reason code unspecified is left out, so one entry has a reason and the other none.
            ([regex]::Matches($text.Output, 'CRL Reason Code')).Count | Should -Be 1
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Revoke-IssuedCertificate -Identifier $www.Identifier -Reason KeyCompromise -StorePath $store -WhatIf
            Get-IssuedCertificate -StorePath $store | Revoke-IssuedCertificate -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            @(Get-IssuedCertificate -Status Revoked -StorePath $store).Count | Should -Be 0
        }
    }

    Context 'Errors' {
        It 'writes CertificateAlreadyRevoked for a second revocation and leaves the store as it was' {
            Revoke-IssuedCertificate -Identifier $www.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Revoke-IssuedCertificate -Identifier $www.Identifier -Reason Superseded -Confirm:$false -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateAlreadyRevoked,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            "$((Get-IssuedCertificate -Identifier $www.Identifier -StorePath $store).RevocationReason)" | Should -Be 'KeyCompromise'
        }

        It 'writes CertificateNotRevocable for a certificate from an outside CA whose order is not in the store, and leaves the store as it was' {
            $outsideStore = New-PkiTestStorePath -Root $TestDrive
            $outside = New-PkiTestHierarchy -StorePath $outsideStore
            $ordered = New-Csr -CommonName 'acme.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $outsideStore
            $identifier = Add-PkiTestAcmeCertificate -StorePath $store -Certificate $ordered -ChainPem ($outside.Sub.Pem + $outside.Root.Pem) -IssuerName 'Test Sub CA'
            $before = Get-PkiStoreSnapshot -StorePath $store

            Revoke-IssuedCertificate -Identifier $identifier -Reason KeyCompromise -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CertificateNotRevocable,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
            $failures[0].TargetObject | Should -Be $identifier
            $failures[0].Exception.Message | Should -Match 'Test Sub CA'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            "$((Get-IssuedCertificate -Identifier $identifier -StorePath $store).Status)" | Should -Be 'Valid'
        }

        It 'writes CertificateNotFound for an identifier that is not in the store and leaves the store as it was' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Revoke-IssuedCertificate -Identifier '00000000000000000000000000000000' -Confirm:$false -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateNotFound,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'revokes the certificates it finds and reports the one it does not' {
            $revoked = @(Revoke-IssuedCertificate -Identifier $www.Identifier, 'nope', $api.Identifier -PassThru -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($revoked | ForEach-Object { $_.Identifier }) -join ',' | Should -Be "$($www.Identifier),$($api.Identifier)"
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CertificateNotFound,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
            $failures[0].TargetObject | Should -Be 'nope'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        }

        It 'refuses a reason that is not an RFC 5280 reason before anything happens' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Revoke-IssuedCertificate -Identifier $www.Identifier -Reason 'RemoveFromCrl' -Confirm:$false -StorePath $store -ErrorAction Stop } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}

Describe 'Revoke-IssuedCertificate against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')

        function Complete-TestOrder([string] $Csr, [string] $Store) {
            $order = Submit-CertificateOrder -Csr $Csr -Server $Pebble.DirectoryUrl -SkipCertificateCheck -Email 'ops@example.com' -AcceptTermsOfService -StorePath $Store
            Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
            Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $Store
        }

        function Get-StatusAtPebble([string] $Identifier, [string] $Store) {
            $serial = (Get-IssuedCertificate -Identifier $Identifier -StorePath $Store).SerialNumber.ToLowerInvariant().TrimStart('0')
            (Invoke-RestMethod -Uri ($Pebble.ManagementUrl + "cert-status-by-serial/$serial") -SkipCertificateCheck).Status
        }
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    It 'signs with a key New-Csr encrypted only given -KeyPassword: without it CsrKeyPasswordRequired, nothing sent and the store as it was' {
        $password = ConvertTo-PkiTestSecureString -Text 'Key-Pa55'
        $done = Complete-TestOrder -Csr (New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -KeyPassword $password -StorePath $store).Csr -Store $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Revoke-IssuedCertificate -Identifier $done.Identifier -UseCertificateKey -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'CsrKeyPasswordRequired,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'SecurityError'
        $failures[0].TargetObject | Should -Be $done.Identifier
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        Get-StatusAtPebble -Identifier $done.Identifier -Store $store | Should -Be 'Valid'

        $revoked = Revoke-IssuedCertificate -Identifier $done.Identifier -UseCertificateKey -KeyPassword $password -Reason KeyCompromise -Confirm:$false -PassThru -StorePath $store

        "$($revoked.Status)" | Should -Be 'Revoked'
        "$($revoked.RevocationReason)" | Should -Be 'KeyCompromise'
        Get-StatusAtPebble -Identifier $done.Identifier -Store $store | Should -Be 'Revoked'
    }

    It 'writes PrivateKeyNotAvailable with -UseCertificateKey for a request made elsewhere, and revokes it with the account' {
        # A request .NET makes with a key that never enters the store, naming the domain as Pebble wants it.
        $domain = New-OrderTestDomain
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$domain", $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName($domain)
        $request.CertificateExtensions.Add($names.Build())
        $csr = $request.CreateSigningRequestPem()
        $key.Dispose()
        $done = Complete-TestOrder -Csr $csr -Store $store
        $done.CsrId | Should -BeNullOrEmpty
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Revoke-IssuedCertificate -Identifier $done.Identifier -UseCertificateKey -Confirm:$false -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrivateKeyNotAvailable,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        Get-StatusAtPebble -Identifier $done.Identifier -Store $store | Should -Be 'Valid'

        Revoke-IssuedCertificate -Identifier $done.Identifier -Confirm:$false -StorePath $store

        Get-StatusAtPebble -Identifier $done.Identifier -Store $store | Should -Be 'Revoked'
        "$((Get-IssuedCertificate -Identifier $done.Identifier -StorePath $store).Status)" | Should -Be 'Revoked'
    }

    It 'asks the CA nothing and changes nothing with -WhatIf' {
        $done = Complete-TestOrder -Csr (New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store).Csr -Store $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Revoke-IssuedCertificate -Identifier $done.Identifier -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        Get-StatusAtPebble -Identifier $done.Identifier -Store $store | Should -Be 'Valid'
    }
}
