# Pester 5 tests for Remove-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath. Remove-CertificateOrder has ConfirmImpact High, so
# every call that should remove something passes -Confirm:$false. Orders that need no server are written into the
# store as Submit-CertificateOrder keeps them. The tests of the 'against Pebble' block start Pebble and
# pebble-challtestsrv (Debian's pebble package) on 127.0.0.1 in BeforeAll, stop them in AfterAll, and are skipped
# where Pebble isn't installed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $OrderTypeName = 'PkiCmdlets.Core.Orders.CertificateOrder'
    $RemoveCommand = 'PkiCmdlets.Commands.RemoveCertificateOrderCommand'
}

Describe 'Remove-CertificateOrder' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    Context 'Orders in the store (no server needed)' {
        # Remove-CertificateOrder is local only. The orders are written as Submit-CertificateOrder keeps them.

        BeforeEach {
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            New-OrderTestRecord -StorePath $store -Id 2 -Status pending
            New-OrderTestRecord -StorePath $store -Id 3 -Status invalid -Problem 'The dns-01 challenge failed (urn:ietf:params:acme:error:unauthorized)'
            $orders = Join-Path (Join-Path $store 'acme') 'orders'
        }

        It 'removes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            Remove-CertificateOrder -OrderId 1 -WhatIf -StorePath $store
            Remove-CertificateOrder -OrderId 1, 2, 3 -PassThru -WhatIf -StorePath $store | Should -BeNullOrEmpty
            Get-CertificateOrder -OrderId 3 -StorePath $store | Remove-CertificateOrder -WhatIf -StorePath $store

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'removes an order and its CSR copy with -Confirm:$false, and writes nothing' {
            $result = Remove-CertificateOrder -OrderId 2 -Confirm:$false -StorePath $store

            $result | Should -BeNullOrEmpty
            Join-Path $orders '2.json' | Should -Not -Exist
            Join-Path $orders '2.csr.pem' | Should -Not -Exist
            Join-Path $orders '1.json' | Should -Exist
            (@(Get-CertificateOrder -StorePath $store -ErrorAction SilentlyContinue) | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1,3'
            { Get-CertificateOrder -OrderId 2 -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'OrderNotFound,PkiCmdlets.Commands.GetCertificateOrderCommand'
        }

        It 'returns the removed order as it was last known with -PassThru' {
            $removed = Remove-CertificateOrder -OrderId 1 -PassThru -Confirm:$false -StorePath $store

            $removed.GetType().FullName | Should -Be $OrderTypeName
            $removed.OrderId | Should -Be 1
            "$($removed.Status)" | Should -Be 'Valid'
            $removed.Identifier | Should -Be '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            Join-Path $orders '1.json' | Should -Not -Exist
        }

        It 'removes several orders given by OrderId, by position, or piped from Get-CertificateOrder' {
            Remove-CertificateOrder 1 -Confirm:$false -StorePath $store
            Get-CertificateOrder -OrderId 3 -StorePath $store | Remove-CertificateOrder -Confirm:$false -StorePath $store
            New-OrderTestRecord -StorePath $store -Id 4 -Status invalid
            Remove-CertificateOrder -OrderId 2, 4 -Confirm:$false -StorePath $store

            @(Get-ChildItem -LiteralPath $orders -File).Count | Should -Be 0
        }

        It 'reports an OrderId that is not in the store as OrderNotFound and removes the other orders' {
            Remove-CertificateOrder -OrderId 7, 3, 0 -Confirm:$false -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 2
            $failures[0].FullyQualifiedErrorId | Should -Be "OrderNotFound,$RemoveCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 7
            $failures[1].FullyQualifiedErrorId | Should -Be "OrderNotFound,$RemoveCommand"
            $failures[1].TargetObject | Should -Be 0
            Join-Path $orders '3.json' | Should -Not -Exist
        }

        It 'removes a damaged record, which it cannot return' {
            [System.IO.File]::WriteAllText((Join-Path $orders '2.json'), '{ not json')

            $removed = @(Remove-CertificateOrder -OrderId 2 -PassThru -Confirm:$false -StorePath $store -ErrorVariable failures)

            $removed.Count | Should -Be 0
            $failures.Count | Should -Be 0
            Join-Path $orders '2.json' | Should -Not -Exist
            Join-Path $orders '2.csr.pem' | Should -Not -Exist
        }

        It 'deletes the challenge file that the order wrote under its web root' {
            $webRoot = Join-Path $TestDrive ('www-' + [guid]::NewGuid().ToString('N'))
            New-OrderTestRecord -StorePath $store -Id 5 -Status pending -WebRoot $webRoot
            $file = @(Get-ChildItem -LiteralPath (Join-Path $webRoot '.well-known/acme-challenge') -File)[0].FullName

            $removed = Remove-CertificateOrder -OrderId 5 -PassThru -Confirm:$false -StorePath $store

            $removed.Challenges[0].FilePath | Should -Be $file
            $file | Should -Not -Exist
            Join-Path $webRoot '.well-known/acme-challenge' | Should -Exist
        }

        It 'leaves the certificate, the account and the CSRs of the store alone' {
            $csr = New-Csr -CommonName 'keep.example.com' -Algorithm ECC -StorePath $store
            $accounts = Join-Path (Join-Path $store 'acme') 'accounts'
            $null = New-Item -ItemType Directory -Path $accounts
            Set-Content -LiteralPath (Join-Path $accounts '00112233445566778899aabbccddeeff.json') -Value '{}'
            $issued = Join-Path (Join-Path $store 'issued') 'acme'
            $null = New-Item -ItemType Directory -Path $issued
            Set-Content -LiteralPath (Join-Path $issued '3f9c2a7d41e08b5c96d1e7a40b2c8f15.crt.pem') -Value 'certificate'

            Remove-CertificateOrder -OrderId 1, 2, 3 -Confirm:$false -StorePath $store

            Join-Path $accounts '00112233445566778899aabbccddeeff.json' | Should -Exist
            Join-Path $issued '3f9c2a7d41e08b5c96d1e7a40b2c8f15.crt.pem' | Should -Exist
            (Get-Csr -Id $csr.Id -StorePath $store).KeyPath | Should -Exist
        }

        It 'reports OrderNotFound, and creates nothing, for a store that does not exist' {
            $missing = New-PkiTestStorePath -Root $TestDrive

            { Remove-CertificateOrder -OrderId 1 -Confirm:$false -StorePath $missing -ErrorAction Stop } | Should -Throw -ErrorId "OrderNotFound,$RemoveCommand"
            Test-Path -LiteralPath $missing | Should -BeFalse
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            { Remove-CertificateOrder -OrderId 1 -Confirm:$false -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
                Should -Throw -ErrorId "StorePathInvalid,$RemoveCommand"
        }
    }
}

Describe 'Remove-CertificateOrder against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $pebbleOrder = @{
            Server               = $Pebble.DirectoryUrl
            SkipCertificateCheck = $true
            Email                = 'ops@example.com'
            AcceptTermsOfService = $true
            StorePath            = $store
        }
    }

    It 'removes one order, keeps the other and the account, and never gives its OrderId to a new order' {
        $first = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        $second = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        $before = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -File | ForEach-Object { $_.Name } | Sort-Object)

        $removed = $second | Remove-CertificateOrder -PassThru -Confirm:$false -StorePath $store

        $removed.OrderId | Should -Be $second.OrderId
        (@(Get-CertificateOrder -StorePath $store) | ForEach-Object { $_.OrderId }) -join ',' | Should -Be "$($first.OrderId)"
        (@(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -File | ForEach-Object { $_.Name } | Sort-Object) -join ',') | Should -Be ($before -join ',')
        $third = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        $third.OrderId | Should -Be ($second.OrderId + 1)
        $third.AccountUrl | Should -Be $first.AccountUrl
    }

    It 'removes a completed order and keeps its certificate, which Get-IssuedCertificate still lists' {
        $domain = New-OrderTestDomain
        $order = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store

        Remove-CertificateOrder -OrderId $order.OrderId -Confirm:$false -StorePath $store

        @(Get-CertificateOrder -StorePath $store).Count | Should -Be 0
        $certificate = Get-IssuedCertificate -Identifier $done.Identifier -StorePath $store
        $certificate.IssuerId | Should -Be 'acme'
        ($certificate.DnsNames -join ',') | Should -Be $domain
    }

    It 'sends no request to the server' {
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder

        $records = @(Remove-CertificateOrder -OrderId $order.OrderId -Confirm:$false -StorePath $store -Verbose 4>&1)

        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -notlike 'Performing the operation*' }).Count | Should -Be 0
    }
}

Describe 'Remove-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Remove-CertificateOrder -DescriptionPattern 'ConfirmImpact'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Remove-CertificateOrder
    }
}
