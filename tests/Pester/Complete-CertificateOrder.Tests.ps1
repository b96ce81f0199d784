# Pester 5 tests for Complete-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath. Orders that need no server are written into the
# store as Submit-CertificateOrder keeps them. The tests of the 'against Pebble' block start Pebble and
# pebble-challtestsrv (Debian's pebble package) on 127.0.0.1 in BeforeAll, stop them in AfterAll, and are skipped
# where Pebble isn't installed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $OrderTypeName = 'PkiCmdlets.Core.Orders.CertificateOrder'
    $CompleteCommand = 'PkiCmdlets.Commands.CompleteCertificateOrderCommand'
}

Describe 'Complete-CertificateOrder' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    Context 'Orders in the store (no server needed)' {
        # The orders are written as Submit-CertificateOrder keeps them. Their server doesn't answer and the store
        # has no account for it, so these tests pass only when the cmdlet sends no request.

        It 'returns an order whose certificate is stored as it is, without a request' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $records = @(Complete-CertificateOrder -OrderId 1 -Wait -StorePath $store -Verbose -ErrorVariable failures 4>&1)

            $orders = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            $requests = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -notlike 'Performing the operation*' })
            $failures.Count | Should -Be 0
            $requests.Count | Should -Be 0
            $orders.Count | Should -Be 1
            $orders[0].GetType().FullName | Should -Be $OrderTypeName
            "$($orders[0].Status)" | Should -Be 'Valid'
            $orders[0].Identifier | Should -Be '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'refuses an order that is invalid with OrderStateError, repeating the reason, and changes nothing' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status invalid -Domain 'www.example.net' -Problem 'The dns-01 challenge failed: No TXT record found (urn:ietf:params:acme:error:unauthorized)'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Complete-CertificateOrder -OrderId 1 -Wait -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "OrderStateError,$CompleteCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
            $failures[0].TargetObject.GetType().FullName | Should -Be $OrderTypeName
            $failures[0].TargetObject.OrderId | Should -Be 1
            $failures[0].Exception.Message | Should -Match 'www\.example\.net'
            $failures[0].Exception.Message | Should -Match 'urn:ietf:params:acme:error:unauthorized'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'reports an OrderId that is not in the store as OrderNotFound and completes the other orders' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'

            $orders = @(Complete-CertificateOrder -OrderId 9, 1 -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "OrderNotFound,$CompleteCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 9
        }

        It 'takes the orders from the pipeline by their OrderId, and the OrderId by position' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15'
            New-OrderTestRecord -StorePath $store -Id 2 -Status valid -CertificateIdentifier '8d02be41c7a95f3e60b1d4c28e7a9f03'

            $piped = @(Get-CertificateOrder -StorePath $store | Complete-CertificateOrder -StorePath $store)
            $positional = Complete-CertificateOrder 2 -StorePath $store

            ($piped | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1,2'
            $positional.OrderId | Should -Be 2
        }

        It 'changes nothing and sends nothing with -WhatIf' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status pending
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Complete-CertificateOrder -OrderId 1, 5 -Wait -WhatIf -StorePath $store -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures.Count | Should -Be 0
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'refuses a -TimeoutSec of <TimeoutSec> before the cmdlet runs' -ForEach @(
            @{ TimeoutSec = 0 }
            @{ TimeoutSec = 86401 }
        ) {
            { Complete-CertificateOrder -OrderId 1 -Wait -TimeoutSec $TimeoutSec -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$CompleteCommand"
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            { Complete-CertificateOrder -OrderId 1 -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
                Should -Throw -ErrorId "StorePathInvalid,$CompleteCommand"
        }
    }
}

Describe 'Complete-CertificateOrder against Pebble' {
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

    It 'runs the help''s example from a new key to a PFX file: TXT records, -Wait, Valid, stored, exported with the key' {
        $domain = New-OrderTestDomain
        $pfx = Join-Path $TestDrive ('www-' + [guid]::NewGuid().ToString('N') + '.pfx')
        $pw = ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55'

        $order = New-Csr -CommonName "www.$domain" -Sans $domain -StorePath $store |
            Submit-CertificateOrder -Email ops@example.com -ValidationMethod Dns -AcceptTermsOfService `
                -Server $Pebble.DirectoryUrl -SkipCertificateCheck -StorePath $store
        foreach ($challenge in $order.Challenges) {
            # Per domain: the TXT record name and value to create.
            Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $challenge.RecordName -Value $challenge.RecordValue
        }
        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store
        $file = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store |
            Export-IssuedCertificate -Format Pfx -Path $pfx -IncludeChain -IncludePrivateKey -Password $pw -StorePath $store

        $done.GetType().FullName | Should -Be $OrderTypeName
        "$($done.Status)" | Should -Be 'Valid'
        $done.CertificateIdentifier | Should -Match '^[0-9a-f]{32}$'
        $done.Identifier | Should -Be $done.CertificateIdentifier
        foreach ($challenge in $done.Challenges) {
            $challenge.Status | Should -Be 'valid'
        }
        $certificate = Get-IssuedCertificate -Identifier $done.Identifier -StorePath $store
        $certificate.IssuerId | Should -Be 'acme'
        # The certificate's own expiry, not the order's: Pebble drops an order within hours, the certificate lasts longer.
        $order.NotAfter | Should -BeNullOrEmpty
        $done.NotAfter | Should -Be $certificate.NotAfter
        (Get-CertificateOrder -OrderId $order.OrderId -StorePath $store).NotAfter | Should -Be $certificate.NotAfter
        (Get-CertificateOrder -OrderId $order.OrderId -StorePath $store | Out-String -Width 80) | Should -Match ([regex]::Escape($certificate.NotAfter.ToString('yyyy-MM-dd')))
        $certificate.CsrId | Should -Be $done.CsrId
        (@($certificate.DnsNames) | Sort-Object) -join ',' | Should -Be ((@("www.$domain", $domain) | Sort-Object) -join ',')
        $certificate.CertificateChain | Should -Match '-----BEGIN CERTIFICATE-----'
        @(Get-IssuedCertificate -StorePath $store | Where-Object { $_.Identifier -eq $done.Identifier }).Count | Should -Be 1
        $file.FullName | Should -Be $pfx
        $collection = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
        $collection.Import($pfx, 'Pfx-Pa55', [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::DefaultKeySet)
        $leaf = @($collection | Where-Object { $_.HasPrivateKey })
        try {
            $leaf.Count | Should -Be 1
            $leaf[0].Thumbprint | Should -Be $certificate.Thumbprint
            $collection.Count | Should -BeGreaterThan 1
        }
        finally {
            $collection | ForEach-Object { $_.Dispose() }
        }
    }

    It 'returns a completed order as it is when completed again, and stores its certificate once' {
        $domain = New-OrderTestDomain
        $order = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
        $done = $order | Complete-CertificateOrder -Wait -TimeoutSec 120 -StorePath $store

        $again = Complete-CertificateOrder -OrderId $order.OrderId -Wait -StorePath $store

        $again.Identifier | Should -Be $done.Identifier
        $again.CheckedAt | Should -Be $done.CheckedAt
        @(Get-IssuedCertificate -DnsName $domain -StorePath $store).Count | Should -Be 1
    }

    It 'has Revoke-IssuedCertificate revoke the certificate of an order at its CA, signed by the account or by the certificate''s key' {
        $done = foreach ($i in 1..2) {
            $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
            Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
            Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store
        }

        $byAccount = Revoke-IssuedCertificate -Identifier $done[0].Identifier -Reason KeyCompromise -Confirm:$false -PassThru -StorePath $store
        $byKey = Revoke-IssuedCertificate -Identifier $done[1].Identifier -Reason Superseded -UseCertificateKey -Confirm:$false -PassThru -StorePath $store

        foreach ($revoked in @($byAccount, $byKey)) {
            "$($revoked.Status)" | Should -Be 'Revoked'
            $serial = (Get-IssuedCertificate -Identifier $revoked.Identifier -StorePath $store).SerialNumber.ToLowerInvariant().TrimStart('0')
            # Pebble's own record of the certificate: its management interface tells its status.
            $atCa = Invoke-RestMethod -Uri ($Pebble.ManagementUrl + "cert-status-by-serial/$serial") -SkipCertificateCheck
            $atCa.Status | Should -Be 'Revoked'
        }
        "$((Get-IssuedCertificate -Identifier $done[0].Identifier -StorePath $store).RevocationReason)" | Should -Be 'KeyCompromise'
        "$((Get-IssuedCertificate -Identifier $done[1].Identifier -StorePath $store).RevocationReason)" | Should -Be 'Superseded'
        { Revoke-IssuedCertificate -Identifier $done[0].Identifier -Confirm:$false -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateAlreadyRevoked,PkiCmdlets.Commands.RevokeIssuedCertificateCommand'
    }

    It 'goes one step at a time without -Wait: answer, finalize, then download' {
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue

        $answered = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store

        $answered.Identifier | Should -BeNullOrEmpty
        @('Pending', 'Ready') | Should -Contain "$($answered.Status)"
        $deadline = [System.DateTime]::UtcNow.AddSeconds(60)
        $ready = $answered
        while ("$($ready.Status)" -eq 'Pending' -and [System.DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 250
            $ready = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store
        }
        "$($ready.Status)" | Should -Be 'Ready'

        $finalized = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store

        @('Processing', 'Valid') | Should -Contain "$($finalized.Status)"
        $stored = $finalized
        $deadline = [System.DateTime]::UtcNow.AddSeconds(60)
        while (-not $stored.Identifier -and [System.DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 250
            $stored = Complete-CertificateOrder -OrderId $order.OrderId -StorePath $store
        }
        "$($stored.Status)" | Should -Be 'Valid'
        $stored.Identifier | Should -Not -BeNullOrEmpty
    }

    It 'fails with AcmeOrderInvalid and the server''s problem when a challenge is not answered, and keeps the order Invalid' {
        $domain = New-OrderTestDomain
        $order = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder

        $result = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "AcmeOrderInvalid,$CompleteCommand"
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($domain))
        $failures[0].Exception.Message | Should -Match 'urn:ietf:params:acme:error:'
        $failures[0].Exception.Message | Should -Match 'dns-01'
        $failed = $failures[0].TargetObject
        $failed.GetType().FullName | Should -Be $OrderTypeName
        "$($failed.Status)" | Should -Be 'Invalid'
        $failed.Challenges[0].Status | Should -Be 'invalid'
        $failed.Challenges[0].Error | Should -Match 'urn:ietf:params:acme:error:'

        $kept = Get-CertificateOrder -OrderId $order.OrderId -StorePath $store
        "$($kept.Status)" | Should -Be 'Invalid'
        $kept.Error | Should -Be $failed.Error

        { Complete-CertificateOrder -OrderId $order.OrderId -Wait -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "OrderStateError,$CompleteCommand"
    }

    It 'writes one -Verbose line per request and never the account key' {
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue

        $records = @(Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store -Verbose 4>&1)

        $lines = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message } |
                Where-Object { $_ -notlike 'Performing the operation*' })
        $lines.Count | Should -BeGreaterOrEqual 4
        foreach ($line in $lines) {
            $line | Should -Match '^(GET|HEAD|POST) https://127\.0\.0\.1:\d+/\S* \d{3}$'
        }
        $keyFile = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -Filter '*.key.pem')[0]
        $verboseText = $lines -join "`n"
        foreach ($keyLine in @(Get-Content -LiteralPath $keyFile.FullName | Where-Object { $_ -and $_ -notmatch '^-----' })) {
            $verboseText.Contains($keyLine) | Should -BeFalse
        }
    }
}

Describe 'Complete-CertificateOrder -Wait with a DNS hook, against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $log = Join-Path $TestDrive ('hook-' + [guid]::NewGuid().ToString('N') + '.log')
        $pebbleOrder = @{ Server = $Pebble.DirectoryUrl; SkipCertificateCheck = $true; Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store }
    }

    It 'has the hook create each TXT record before the CA checks, and remove it afterwards' {
        Register-RenewalHook -Type Dns -StorePath $store -ScriptBlock ([scriptblock]::Create(@"
param(`$Action, `$RecordName, `$RecordValue)
`$body = @{ host = "`$RecordName."; value = `$RecordValue } | ConvertTo-Json
Invoke-RestMethod -Method Post -Uri ('$($Pebble.ChallengeServer)' + `$(if (`$Action -eq 'Add') { 'set-txt' } else { 'clear-txt' })) -Body `$body -ContentType 'application/json' | Out-Null
Add-Content -LiteralPath '$log' -Value "`$Action `$RecordName `$RecordValue"
"@))
        $domain = New-OrderTestDomain
        $order = New-Csr -CommonName $domain -Sans "www.$domain" -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder -ValidationMethod Dns

        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store

        "$($done.Status)" | Should -Be 'Valid'
        $done.Identifier | Should -Not -BeNullOrEmpty
        $calls = @(Get-Content -LiteralPath $log)
        $calls.Count | Should -Be 4
        $expected = @($order.Challenges | ForEach-Object { "$($_.RecordName) $($_.RecordValue)" } | Sort-Object)
        (@($calls[0..1] | ForEach-Object { $_ -replace '^Add ', '' } | Sort-Object) -join '|') | Should -Be ($expected -join '|')
        (@($calls[2..3] | ForEach-Object { $_ -replace '^Remove ', '' } | Sort-Object) -join '|') | Should -Be ($expected -join '|')
    }

    It 'fails with HookFailed when the hook cannot add a record, removes what it asked for, and leaves the order to answer' {
        Register-RenewalHook -Type Dns -StorePath $store -ScriptBlock ([scriptblock]::Create(@"
param(`$Action, `$RecordName, `$RecordValue)
Add-Content -LiteralPath '$log' -Value "`$Action `$RecordName"
if (`$Action -eq 'Add') { throw 'the DNS provider refused the record' }
"@))
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder -ValidationMethod Dns

        { Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'HookFailed,PkiCmdlets.Commands.CompleteCertificateOrderCommand'
        Get-Content -LiteralPath $log | Should -Be @("Add $($order.Challenges[0].RecordName)", "Remove $($order.Challenges[0].RecordName)")
        "$((Get-CertificateOrder -OrderId $order.OrderId -StorePath $store).Status)" | Should -Be 'Pending'
    }
}

Describe 'Complete-CertificateOrder with a preferred chain, against Pebble offering two' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble') -AlternateRoots 1
        $Roots = @(0, 1 | ForEach-Object {
                [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Invoke-RestMethod -Uri ($Pebble.ManagementUrl + "roots/$_") -SkipCertificateCheck))
            })
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    It 'keeps the chain to the root that <Name> names' -ForEach @(
        @{ Name = 'the default'; Root = 0; Preferred = $null }
        @{ Name = '-PreferredChain'; Root = 1; Preferred = 'alternate' }
    ) {
        $store = New-PkiTestStorePath -Root $TestDrive
        $submit = @{ Server = $Pebble.DirectoryUrl; SkipCertificateCheck = $true; Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store }
        if ($Preferred) { $submit['PreferredChain'] = $Roots[1].GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $false) }
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @submit
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue

        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store

        $order.PreferredChain | Should -Be $submit['PreferredChain']
        $chain = @([regex]::Matches((Get-IssuedCertificate -Identifier $done.Identifier -StorePath $store).CertificateChain, '-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----') |
            ForEach-Object { [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($_.Value) })
        $chain[-1].Issuer | Should -Be $Roots[$Root].Subject
    }
}

Describe 'Complete-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Complete-CertificateOrder -DescriptionPattern 'TimeoutSec'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Complete-CertificateOrder
    }
}
