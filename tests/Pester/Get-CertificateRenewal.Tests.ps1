# Pester 5 tests for Get-CertificateRenewal. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. ACME orders are written into the store as
# Submit-CertificateOrder keeps them, with a certificate kept as an ACME order keeps it, so no server is needed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.GetCertificateRenewalCommand'
    $TypeName = 'PkiCmdlets.Core.Renewals.CertificateRenewal'
}

Describe 'Get-CertificateRenewal' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
    }

    It 'lists the ACME orders'' certificates and the store-issued ones set up, not the others' {
        $outside = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $outside
        $fromOutside = New-Csr -CommonName shop.example.com -Algorithm ECC -StorePath $outside | New-ServerCertificate -Issuer Sub -Days 90 -IncludeChain -StorePath $outside
        $acme = Add-PkiTestAcmeCertificate -StorePath $store -Certificate $fromOutside -ChainPem $fromOutside.CertificateChain -IssuerName 'Test Sub CA'
        New-OrderTestRecord -StorePath $store -Id 1 -Status valid -Domain shop.example.com -CertificateIdentifier $acme
        $alone = New-Csr -CommonName intranet.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
        $issued | Set-CertificateRenewal -StorePath $store

        $renewals = @(Get-CertificateRenewal -StorePath $store)

        $renewals.Count | Should -Be 2
        $renewals[0].GetType().FullName | Should -Be $TypeName
        ($renewals.Identifier | Sort-Object) -join ',' | Should -Be ((@($issued.Identifier, $acme) | Sort-Object) -join ',')
        $mine = $renewals | Where-Object Identifier -EQ $issued.Identifier
        $mine.Enabled | Should -BeTrue
        $mine.OrderId | Should -BeNullOrEmpty
        $fromAcme = $renewals | Where-Object Identifier -EQ $acme
        $fromAcme.Enabled | Should -BeTrue -Because 'ACME certificates renew by default'
        $fromAcme.OrderId | Should -Be 1
        $fromAcme.IssuerId | Should -Be 'acme'
        $renewals.Identifier | Should -Not -Contain $alone.Identifier
    }

    It 'shows when a certificate is due: two thirds of its lifetime, or the share set' {
        $issued | Set-CertificateRenewal -StorePath $store
        $twoThirds = Get-CertificateRenewal -StorePath $store
        Set-CertificateRenewal -Identifier $issued.Identifier -RenewAfterPercent 50 -StorePath $store
        $half = Get-CertificateRenewal -StorePath $store

        $twoThirds.RenewAt | Should -Be $issued.NotBefore.AddDays(30)
        $twoThirds.RenewAtFrom | Should -Be 'Lifetime'
        $twoThirds.Due | Should -BeFalse
        $twoThirds.RenewAfterPercent | Should -BeNullOrEmpty
        $half.RenewAt | Should -Be $issued.NotBefore.AddDays(22).AddHours(12)
        $half.RenewAfterPercent | Should -Be 50
    }

    It 'shows a certificate named to it, set up or not, and takes it from the pipeline' {
        $byName = Get-CertificateRenewal $issued.Identifier -StorePath $store
        $piped = $issued | Get-CertificateRenewal -StorePath $store
        $bySerial = Get-CertificateRenewal -Identifier $issued.SerialNumber.ToLowerInvariant() -StorePath $store

        $byName.Identifier | Should -Be $issued.Identifier
        $byName.Enabled | Should -BeFalse
        $piped.Identifier | Should -Be $issued.Identifier
        $bySerial.Identifier | Should -Be $issued.Identifier
        (@($byName.Names) -join ',') | Should -Be 'www.example.com'
    }

    It 'shows the last renewal of a certificate' {
        $issued | Set-CertificateRenewal -StorePath $store
        $result = Invoke-CertificateRenewal -Force -StorePath $store

        $renewal = Get-CertificateRenewal -StorePath $store

        $renewal.Identifier | Should -Be $result.ReplacedBy
        $renewal.LastStatus | Should -Be 'Renewed'
        $renewal.LastAttempt | Should -BeGreaterThan ([System.DateTimeOffset]::UtcNow.AddMinutes(-5))
    }

    It 'reports an identifier that is not in the store as CertificateNotFound' {
        $result = Get-CertificateRenewal -Identifier '00000000000000000000000000000000' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "CertificateNotFound,$Command"
        $failures[0].TargetObject | Should -Be '00000000000000000000000000000000'
    }

    It 'reads in full at 80 columns and converts to compact JSON' {
        $issued | Set-CertificateRenewal -StorePath $store
        $renewal = Get-CertificateRenewal -StorePath $store

        $text = $renewal | Out-String -Width 80
        $json = $renewal | ConvertTo-Json -Compress | ConvertFrom-Json

        $text | Should -Match ([regex]::Escape($renewal.RenewAt.ToString('yyyy-MM-dd HH:mm')))
        $text | Should -Match 'www\.example\.com'
        $json.Identifier | Should -Be $issued.Identifier
        $json.RenewAtFrom | Should -Be 'Lifetime'
    }

    It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
        { Get-CertificateRenewal -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
            Should -Throw -ErrorId "StorePathInvalid,$Command"
    }
}

Describe 'Get-CertificateRenewal help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Get-CertificateRenewal -DescriptionPattern 'RenewAtFrom'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Get-CertificateRenewal
    }
}
