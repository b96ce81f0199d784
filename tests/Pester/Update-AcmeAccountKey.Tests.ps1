# Pester 5 tests for Update-AcmeAccountKey. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. The 'against Pebble' block starts Pebble and
# pebble-challtestsrv on 127.0.0.1 in BeforeAll and stops them in AfterAll.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.UpdateAcmeAccountKeyCommand'
}

Describe 'Update-AcmeAccountKey' {
    It 'reports a server the store has no account at as AcmeAccountNotFound, and changes nothing' {
        $store = New-PkiTestStorePath -Root $TestDrive
        $null = New-Csr -CommonName www.example.com -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Update-AcmeAccountKey -Server 'https://127.0.0.1:9/dir' -Confirm:$false -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "AcmeAccountNotFound,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses a server that is not a short name or a URL with AcmeServerInvalid' {
        { Update-AcmeAccountKey -Server 'not a server' -Confirm:$false -StorePath (New-PkiTestStorePath -Root $TestDrive) -ErrorAction Stop } |
            Should -Throw -ErrorId "AcmeServerInvalid,$Command"
    }

    It 'is high impact: it asks before it changes the key' {
        (Get-Command Update-AcmeAccountKey).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }
}

Describe 'Update-AcmeAccountKey against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $order = @{ Server = $Pebble.DirectoryUrl; SkipCertificateCheck = $true; Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store }
        $first = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order
        $keyFile = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -Filter '*.key.pem')[0].FullName
    }

    It 'changes the key: the account and its orders stay, the new key orders, the old one no longer speaks for it' {
        $oldKey = Get-Content -Raw -LiteralPath $keyFile
        $oldStore = Join-Path $TestDrive ('old-' + [guid]::NewGuid().ToString('N'))
        Copy-Item -LiteralPath $store -Destination $oldStore -Recurse

        $account = Update-AcmeAccountKey -Server $Pebble.DirectoryUrl -SkipCertificateCheck -Confirm:$false -StorePath $store

        $account.GetType().FullName | Should -Be 'PkiCmdlets.Core.Orders.AcmeAccountInfo'
        $account.AccountUrl | Should -Be $first.AccountUrl
        $account.KeyAlgorithm | Should -Be 'ECC_256'
        $account.KeyThumbprint | Should -Match '^[A-Za-z0-9_-]{43}$'
        $account.KeyChangedAt | Should -BeGreaterThan ([System.DateTimeOffset]::UtcNow.AddMinutes(-5))
        (Get-Content -Raw -LiteralPath $keyFile) | Should -Not -Be $oldKey
        @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -Filter '*.new-key.pem').Count | Should -Be 0
        Get-PkiUnixFileMode -Path $keyFile | Should -BeIn @($null, 384)
        # The same account, with the new key, still orders and completes.
        $next = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order
        $next.AccountUrl | Should -Be $first.AccountUrl
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $next.Challenges[0].RecordName -Value $next.Challenges[0].RecordValue
        "$((Complete-CertificateOrder -OrderId $next.OrderId -Wait -TimeoutSec 120 -StorePath $store).Status)" | Should -Be 'Valid'
        # A copy of the store from before holds the old key, which the CA no longer takes for the account.
        { Get-CertificateOrder -OrderId $first.OrderId -StorePath $oldStore -ErrorAction Stop } | Should -Throw
    }

    It 'drops a new key left by a change the CA never saw, and then changes the key' {
        $accounts = Join-Path $store 'acme/accounts'
        $leftOver = Join-Path $accounts ((Split-Path -Leaf $keyFile) -replace '\.key\.pem$', '.new-key.pem')
        $csr = New-Csr -CommonName leftover.example.com -Algorithm ECC -StorePath (New-PkiTestStorePath -Root $TestDrive)
        Copy-Item -LiteralPath $csr.KeyPath -Destination $leftOver

        $account = Update-AcmeAccountKey -Server $Pebble.DirectoryUrl -SkipCertificateCheck -Confirm:$false -StorePath $store

        Test-Path -LiteralPath $leftOver | Should -BeFalse
        (Get-Content -Raw -LiteralPath $keyFile) | Should -Not -Be (Get-Content -Raw -LiteralPath $csr.KeyPath)
        $account.AccountUrl | Should -Be $first.AccountUrl
        (Get-CertificateOrder -OrderId $first.OrderId -StorePath $store).OrderId | Should -Be $first.OrderId
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-PkiStoreSnapshot -StorePath $store

        Update-AcmeAccountKey -Server $Pebble.DirectoryUrl -SkipCertificateCheck -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }
}

Describe 'Update-AcmeAccountKey help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Update-AcmeAccountKey -DescriptionPattern 'rollover'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Update-AcmeAccountKey
    }
}
