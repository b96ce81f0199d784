# Pester 5 tests for Set-CertificateRenewal. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.SetCertificateRenewalCommand'
}

Describe 'Set-CertificateRenewal' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
    }

    It 'sets a certificate up, so that every run renews it, and returns it with -PassThru' {
        $before = @(Get-CertificateRenewal -StorePath $store)

        $set = $issued | Set-CertificateRenewal -PassThru -StorePath $store

        $before.Count | Should -Be 0
        $set.GetType().FullName | Should -Be 'PkiCmdlets.Core.Renewals.CertificateRenewal'
        $set.Identifier | Should -Be $issued.Identifier
        $set.Enabled | Should -BeTrue
        $set.NewKey | Should -BeFalse
        (Get-CertificateRenewal -StorePath $store).Identifier | Should -Be $issued.Identifier
        Set-CertificateRenewal -Identifier $issued.Identifier -StorePath $store | Should -BeNullOrEmpty
    }

    It 'sets the share of the lifetime, and 0 goes back to two thirds' {
        Set-CertificateRenewal $issued.Identifier -RenewAfterPercent 80 -StorePath $store
        $eighty = Get-CertificateRenewal -StorePath $store
        Set-CertificateRenewal $issued.Identifier -NewKey -StorePath $store
        $kept = Get-CertificateRenewal -StorePath $store
        Set-CertificateRenewal $issued.Identifier -RenewAfterPercent 0 -StorePath $store
        $default = Get-CertificateRenewal -StorePath $store

        $eighty.RenewAfterPercent | Should -Be 80
        $eighty.RenewAt | Should -Be $issued.NotBefore.AddDays(36)
        $kept.RenewAfterPercent | Should -Be 80 -Because 'a setting not given stays as it was'
        $kept.NewKey | Should -BeTrue
        $default.RenewAfterPercent | Should -BeNullOrEmpty
        $default.RenewAt | Should -Be $issued.NotBefore.AddDays(30)
        $default.NewKey | Should -BeTrue
    }

    It 'renews with a new key once -NewKey is set, and goes back with -NewKey:$false' {
        Set-CertificateRenewal $issued.Identifier -NewKey -StorePath $store
        $renewed = Invoke-CertificateRenewal -Force -StorePath $store
        Set-CertificateRenewal $renewed.ReplacedBy -NewKey:$false -StorePath $store
        $again = Invoke-CertificateRenewal -Force -StorePath $store

        $renewed.NewCertificate.Certificate.GetPublicKeyString() | Should -Not -Be $issued.Certificate.GetPublicKeyString()
        $renewed.NewCertificate.CsrId | Should -Not -Be $issued.CsrId
        (Get-Csr -Id $renewed.NewCertificate.CsrId -StorePath $store).CommonName | Should -Be 'www.example.com'
        $again.NewCertificate.Certificate.GetPublicKeyString() | Should -Be $renewed.NewCertificate.Certificate.GetPublicKeyString()
    }

    It 'refuses -NewKey with RenewalNotPossible when the key is not in the store, and changes nothing' {
        # A request made by .NET, whose key never enters the store.
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=outside.example.com', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $outside = New-ServerCertificate -Csr (ConvertTo-PkiPem -Label 'CERTIFICATE REQUEST' -Bytes $request.CreateSigningRequest()) -Issuer Sub -Days 45 -StorePath $store -ErrorAction Stop
        $key.Dispose()
        $before = Get-PkiStoreSnapshot -StorePath $store
        $result = Set-CertificateRenewal -Identifier $outside.Identifier -NewKey -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be "RenewalNotPossible,$Command"
        $failures[0].TargetObject | Should -Be $outside.Identifier
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses a certificate a renewal replaced with CertificateAlreadyRenewed, naming its replacement' {
        $renewed = Invoke-CertificateRenewal -Identifier $issued.Identifier -Force -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Set-CertificateRenewal -Identifier $issued.Identifier -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures[0].FullyQualifiedErrorId | Should -Be "CertificateAlreadyRenewed,$Command"
        $failures[0].Exception.Message | Should -Match $renewed.ReplacedBy
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'reports an identifier that is not in the store as CertificateNotFound and sets up the others' {
        Set-CertificateRenewal -Identifier '00000000000000000000000000000000', $issued.Identifier -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "CertificateNotFound,$Command"
        (Get-CertificateRenewal -StorePath $store).Identifier | Should -Be $issued.Identifier
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-PkiStoreSnapshot -StorePath $store

        Set-CertificateRenewal -Identifier $issued.Identifier -RenewAfterPercent 50 -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses a -RenewAfterPercent of <Percent> before the cmdlet runs' -ForEach @(
        @{ Percent = -1 }
        @{ Percent = 100 }
    ) {
        { Set-CertificateRenewal -Identifier $issued.Identifier -RenewAfterPercent $Percent -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "ParameterArgumentValidationError,$Command"
    }

    It 'keeps the settings owner-only in the store' -Skip:([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
        Set-CertificateRenewal -Identifier $issued.Identifier -StorePath $store

        Get-PkiUnixFileMode -Path (Join-Path $store 'renewal/certificates.json') | Should -Be 384
        Get-PkiUnixFileMode -Path (Join-Path $store 'renewal') | Should -Be 448
    }
}

Describe 'Set-CertificateRenewal help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Set-CertificateRenewal -DescriptionPattern 'RenewAfterPercent'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Set-CertificateRenewal
    }
}
