# Pester 5 tests for Remove-CertificateRenewal. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath. Remove-CertificateRenewal has ConfirmImpact High, so the
# tests give -Confirm:$false.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.RemoveCertificateRenewalCommand'
}

Describe 'Remove-CertificateRenewal' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
    }

    It 'stops runs from renewing a store-issued certificate, which naming it still renews' {
        $issued | Set-CertificateRenewal -StorePath $store

        $removed = $issued | Remove-CertificateRenewal -Confirm:$false -PassThru -StorePath $store
        $listed = @(Get-CertificateRenewal -StorePath $store)
        $run = @(Invoke-CertificateRenewal -Force -StorePath $store)
        $named = Invoke-CertificateRenewal -Identifier $issued.Identifier -Force -StorePath $store

        $removed.Enabled | Should -BeFalse
        $listed.Count | Should -Be 0
        $run.Count | Should -Be 0
        @(Get-CertificateRenewal -StorePath $store).Count | Should -Be 0 -Because 'a certificate renewed by name is not set up by that'
        "$($named.Status)" | Should -Be 'Renewed'
        @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 2
    }

    It 'turns off an ACME certificate, which renews by default, and Set-CertificateRenewal turns it on again' {
        $outside = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $outside
        $fromOutside = New-Csr -CommonName shop.example.com -Algorithm ECC -StorePath $outside | New-ServerCertificate -Issuer Sub -Days 90 -IncludeChain -StorePath $outside
        $acme = Add-PkiTestAcmeCertificate -StorePath $store -Certificate $fromOutside -ChainPem $fromOutside.CertificateChain -IssuerName 'Test Sub CA'
        New-OrderTestRecord -StorePath $store -Id 1 -Status valid -Domain shop.example.com -CertificateIdentifier $acme

        Remove-CertificateRenewal -Identifier $acme -Confirm:$false -StorePath $store
        $off = Get-CertificateRenewal -StorePath $store
        $run = @(Invoke-CertificateRenewal -Force -StorePath $store)
        Set-CertificateRenewal -Identifier $acme -StorePath $store
        $on = Get-CertificateRenewal -StorePath $store

        $off.Identifier | Should -Be $acme
        $off.Enabled | Should -BeFalse
        $run.Count | Should -Be 0 -Because 'a run leaves a certificate that is turned off alone, and sends no request'
        $on.Enabled | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        $issued | Set-CertificateRenewal -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Remove-CertificateRenewal -Identifier $issued.Identifier -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'is high impact: it asks before each certificate' {
        (Get-Command Remove-CertificateRenewal).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    It 'reports an identifier that is not in the store as CertificateNotFound' {
        Remove-CertificateRenewal -Identifier '00000000000000000000000000000000' -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "CertificateNotFound,$Command"
        $failures[0].TargetObject | Should -Be '00000000000000000000000000000000'
    }
}

Describe 'Remove-CertificateRenewal help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Remove-CertificateRenewal -DescriptionPattern 'ConfirmImpact'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Remove-CertificateRenewal
    }
}
