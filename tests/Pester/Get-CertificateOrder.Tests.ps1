# Pester 5 tests for Get-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath. Orders that need no server are written into the store
# as Submit-CertificateOrder keeps them. The tests of the 'against Pebble' block start Pebble and
# pebble-challtestsrv (Debian's pebble package) on 127.0.0.1 in BeforeAll, stop them in AfterAll, and are skipped
# where Pebble isn't installed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $OrderTypeName = 'PkiCmdlets.Core.Orders.CertificateOrder'
    $GetCommand = 'PkiCmdlets.Commands.GetCertificateOrderCommand'
}

Describe 'Get-CertificateOrder' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    Context 'Orders in the store (no server needed)' {
        # The orders are written as Submit-CertificateOrder keeps them. Their server doesn't answer and the store
        # has no account for it, so any request would fail: finished orders must come from the store alone.

        It 'returns nothing, and no error, for a store without orders' {
            $result = @(Get-CertificateOrder -StorePath $store -ErrorVariable failures)

            $result.Count | Should -Be 0
            $failures.Count | Should -Be 0
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'returns finished orders from the store without a request, all of them sorted by OrderId' {
            New-OrderTestRecord -StorePath $store -Id 2 -Status invalid -Problem 'The dns-01 challenge failed: no TXT record (urn:ietf:params:acme:error:unauthorized)'
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $records = @(Get-CertificateOrder -StorePath $store -Verbose -ErrorVariable failures 4>&1)

            $orders = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
            $failures.Count | Should -Be 0
            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1,2'
            $orders[0].GetType().FullName | Should -Be $OrderTypeName
            "$($orders[0].Status)" | Should -Be 'Valid'
            $orders[0].CertificateIdentifier | Should -Be '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            $orders[0].Identifier | Should -Be '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            "$($orders[0].ValidationMethod)" | Should -Be 'Dns'
            $orders[0].Challenges[0].RecordName | Should -Be '_acme-challenge.order1.example.com'
            $orders[0].Challenges[0].RecordType | Should -Be 'TXT'
            "$($orders[1].Status)" | Should -Be 'Invalid'
            $orders[1].Error | Should -Match 'urn:ietf:params:acme:error:unauthorized'
            $orders[1].Challenges[0].Status | Should -Be 'invalid'
            $orders[1].StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'takes OrderId by position, keeps the order of the numbers given, and returns a repeated order once' {
            1..3 | ForEach-Object { New-OrderTestRecord -StorePath $store -Id $_ -Status invalid }

            (@(Get-CertificateOrder 3 -StorePath $store) | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '3'
            (@(Get-CertificateOrder -OrderId 3, 1, 3 -StorePath $store) | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '3,1'
        }

        It 'binds OrderId by property name from the pipeline' {
            1..3 | ForEach-Object { New-OrderTestRecord -StorePath $store -Id $_ -Status invalid }

            $orders = @([pscustomobject]@{ OrderId = 2 }, [pscustomobject]@{ OrderId = 3 } | Get-CertificateOrder -StorePath $store)

            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '2,3'
        }

        It 'reports an OrderId that is not in the store as OrderNotFound and returns the other orders' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status invalid

            $orders = @(Get-CertificateOrder -OrderId 7, 1, 0 -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1'
            $failures.Count | Should -Be 2
            $failures[0].FullyQualifiedErrorId | Should -Be "OrderNotFound,$GetCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 7
            $failures[1].FullyQualifiedErrorId | Should -Be "OrderNotFound,$GetCommand"
            { Get-CertificateOrder -OrderId 9 -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "OrderNotFound,$GetCommand"
        }

        It 'returns an unfinished order whose state cannot be read as last known, with an error' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status pending
            New-OrderTestRecord -StorePath $store -Id 2 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $orders = @(Get-CertificateOrder -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1,2'
            "$($orders[0].Status)" | Should -Be 'Pending'
            $orders[0].Challenges[0].Status | Should -Be 'pending'
            # The store has no ACME account for the order's server.
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "StoreRecordCorrupt,$GetCommand"
            $failures[0].Exception.Message | Should -Match 'account'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'reports a damaged order record as StoreRecordCorrupt and returns the other orders' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status invalid
            New-OrderTestRecord -StorePath $store -Id 2 -Status invalid
            [System.IO.File]::WriteAllText((Join-Path $store 'acme/orders/2.json'), '{ not json')

            $orders = @(Get-CertificateOrder -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "StoreRecordCorrupt,$GetCommand"
            $failures[0].Exception.Message | Should -Match '2\.json'
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            { Get-CertificateOrder -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } | Should -Throw -ErrorId "StorePathInvalid,$GetCommand"
        }
    }
}

Describe 'Get-CertificateOrder against Pebble' {
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

    It 'refreshes an unfinished order from the server and keeps the state it read, but never downloads the certificate' {
        $domain = New-OrderTestDomain
        $order = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
        $null = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store

        # The server validates the domain on its own; Get-CertificateOrder shows when it has.
        $deadline = [System.DateTime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 250
            $ready = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store
        } while ("$($ready.Status)" -eq 'Pending' -and [System.DateTime]::UtcNow -lt $deadline)

        "$($ready.Status)" | Should -Be 'Ready'
        $ready.Challenges[0].Status | Should -Be 'valid'
        $ready.CheckedAt | Should -BeGreaterThan $order.CheckedAt
        Get-Content -LiteralPath (Join-Path $store "acme/orders/$($order.OrderId).json") -Raw | Should -Match '"status": "ready"'
        "$((@(Get-CertificateOrder -StorePath $store))[0].Status)" | Should -Be 'Ready'

        $finalized = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store
        if (-not $finalized.Identifier) {
            # Issued at the server but not downloaded: Get-CertificateOrder shows Valid and leaves the download to
            # Complete-CertificateOrder.
            $deadline = [System.DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 250
                $issued = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store
            } while ("$($issued.Status)" -ne 'Valid' -and [System.DateTime]::UtcNow -lt $deadline)
            "$($issued.Status)" | Should -Be 'Valid'
            $issued.Identifier | Should -BeNullOrEmpty
            Join-Path $store 'issued' | Should -Not -Exist
            $finalized = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store
        }
        $finalized.Identifier | Should -Not -BeNullOrEmpty
        (Get-CertificateOrder -OrderId $order.OrderId -StorePath $store).Identifier | Should -Be $finalized.Identifier
    }

    It 'writes -Verbose lines for the requests that refresh an unfinished order, and none for a finished one' {
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder

        $lines = @(Get-CertificateOrder -OrderId $order.OrderId -StorePath $store -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })

        $lines.Count | Should -BeGreaterOrEqual 2
        foreach ($line in $lines) {
            $line | Should -Match '^(GET|HEAD|POST) https://127\.0\.0\.1:\d+/\S* \d{3}$'
        }
        $lines | Should -Contain "POST $($order.OrderUrl) 200"
    }

    It 'pipes a completed order into Export-IssuedCertificate, which writes a PFX file with the private key' {
        $domain = New-OrderTestDomain
        $csr = New-Csr -CommonName $domain -Sans "www.$domain" -Algorithm ECC -StorePath $store
        $order = $csr | Submit-CertificateOrder @pebbleOrder -ValidationMethod Dns
        foreach ($challenge in $order.Challenges) {
            Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $challenge.RecordName -Value $challenge.RecordValue
        }
        $null = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store
        $pfx = Join-Path $TestDrive ('www-' + [guid]::NewGuid().ToString('N') + '.pfx')
        $password = ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55'

        $file = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store |
            Export-IssuedCertificate -Format Pfx -Path $pfx -IncludeChain -IncludePrivateKey -Password $password -StorePath $store

        $file.FullName | Should -Be $pfx
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 'Pfx-Pa55')
        try {
            $certificate.HasPrivateKey | Should -BeTrue
            $certificate.Thumbprint | Should -Be (Get-IssuedCertificate -Identifier (Get-CertificateOrder $order.OrderId -StorePath $store).Identifier -StorePath $store).Thumbprint
        }
        finally {
            $certificate.Dispose()
        }
    }
}

Describe 'Get-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Get-CertificateOrder -DescriptionPattern 'Complete-CertificateOrder'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Get-CertificateOrder
    }
}
