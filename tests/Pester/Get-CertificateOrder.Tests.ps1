# Pester 5 tests for Get-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath. Orders that need no server are written into the store
# as Submit-CertificateOrder keeps them. The tests of the 'against Pebble' block start Pebble and
# pebble-challtestsrv (Debian's pebble package) on 127.0.0.1 in BeforeAll, stop them in AfterAll, and are skipped
# where Pebble isn't installed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $OrderTypeName = 'PkiCmdlets.Core.Orders.CertificateOrder'
    $HasHelp = Test-Path -LiteralPath (Join-Path (Join-Path $Module.ModuleBase 'en-US') 'PkiCmdlets-help.xml') -PathType Leaf
    # Common and optional common parameters (ProgressAction is common from PowerShell 7.4).
    $CommonParameters = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
        'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
        'WhatIf', 'Confirm', 'UseTransaction')
    $GetCommand = 'PkiCmdlets.Commands.GetCertificateOrderCommand'

    # --- Pebble, the ACME test server (Debian's pebble package), as tests/PkiCmdlets.Core.Tests/Acme/PebbleFixture.cs
    # starts it: pebble-challtestsrv answers DNS (dns-01, and the A records that http-01 follows) and http-01 on
    # 127.0.0.1; Pebble uses it as its DNS server, with a self-made TLS certificate and PEBBLE_VA_NOSLEEP=1.

    function Get-OrderTestFreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $listener.LocalEndpoint.Port
        }
        finally {
            $listener.Stop()
        }
    }

    function Write-OrderTestPem {
        param([string] $Path, [string] $Label, [byte[]] $Bytes)
        $base64 = [System.Convert]::ToBase64String($Bytes)
        $lines = for ($i = 0; $i -lt $base64.Length; $i += 64) { $base64.Substring($i, [System.Math]::Min(64, $base64.Length - $i)) }
        $text = "-----BEGIN $Label-----`n" + ($lines -join "`n") + "`n-----END $Label-----`n"
        [System.IO.File]::WriteAllText($Path, $text, [System.Text.UTF8Encoding]::new($false))
    }

    function Wait-OrderTestPort {
        # Waits until something accepts TCP connections on 127.0.0.1:$Port, failing early when a process died.
        param([int] $Port, [object[]] $Processes, [string] $Folder)
        $deadline = [System.DateTime]::UtcNow.AddSeconds(30)
        while ($true) {
            foreach ($entry in $Processes) {
                if ($entry.Process.HasExited) {
                    $log = Get-Content -LiteralPath (Join-Path $Folder "$($entry.Name).err") -Raw -ErrorAction SilentlyContinue
                    throw "$($entry.Name) exited with $($entry.Process.ExitCode): $log"
                }
            }
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                $client.Connect([System.Net.IPAddress]::Loopback, $Port)
                return
            }
            catch {
                # Not listening yet.
            }
            finally {
                $client.Dispose()
            }
            if ([System.DateTime]::UtcNow -gt $deadline) {
                throw "Nothing answered on 127.0.0.1:$Port within 30 seconds."
            }
            Start-Sleep -Milliseconds 50
        }
    }

    function Start-OrderTestPebble {
        # Starts pebble-challtestsrv and Pebble on free 127.0.0.1 ports; returns the directory URL, the base URL of
        # challtestsrv's management API, and the processes (stop them with Stop-OrderTestPebble).
        param([Parameter(Mandatory = $true)][string] $Folder)
        $pebble = @(Get-Command -Name pebble -CommandType Application -ErrorAction Stop)[0].Source
        $challtestsrv = @(Get-Command -Name pebble-challtestsrv -CommandType Application -ErrorAction SilentlyContinue)
        if ($challtestsrv.Count -eq 0) {
            throw "pebble-challtestsrv is missing: install Debian's pebble package ('apt-get install -y pebble')."
        }
        $null = New-Item -ItemType Directory -Path $Folder -Force

        # Pebble's TLS certificate, for 127.0.0.1 and localhost; the cmdlets are run with -SkipCertificateCheck.
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve]::CreateFromValue('1.2.840.10045.3.1.7')) # P-256
        try {
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
                'CN=localhost', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
            $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
            $names.AddIpAddress([System.Net.IPAddress]::Loopback)
            $names.AddDnsName('localhost')
            $request.CertificateExtensions.Add($names.Build())
            $certificate = $request.CreateSelfSigned([System.DateTimeOffset]::UtcNow.AddMinutes(-5), [System.DateTimeOffset]::UtcNow.AddDays(2))
            Write-OrderTestPem -Path (Join-Path $Folder 'tls-cert.pem') -Label 'CERTIFICATE' -Bytes $certificate.RawData
            Write-OrderTestPem -Path (Join-Path $Folder 'tls-key.pem') -Label 'PRIVATE KEY' -Bytes $key.ExportPkcs8PrivateKey()
            $certificate.Dispose()
        }
        finally {
            $key.Dispose()
        }

        $dnsPort = Get-OrderTestFreePort
        $httpPort = Get-OrderTestFreePort
        $tlsPort = Get-OrderTestFreePort
        $managementPort = Get-OrderTestFreePort
        $listenPort = Get-OrderTestFreePort
        $pebbleManagementPort = Get-OrderTestFreePort
        $config = @{
            pebble = [ordered]@{
                listenAddress                  = "127.0.0.1:$listenPort"
                managementListenAddress        = "127.0.0.1:$pebbleManagementPort"
                certificate                    = Join-Path $Folder 'tls-cert.pem'
                privateKey                     = Join-Path $Folder 'tls-key.pem'
                httpPort                       = $httpPort
                tlsPort                        = $tlsPort
                ocspResponderURL               = ''
                externalAccountBindingRequired = $false
            }
        }
        $configPath = Join-Path $Folder 'pebble.json'
        [System.IO.File]::WriteAllText($configPath, ($config | ConvertTo-Json -Depth 4), [System.Text.UTF8Encoding]::new($false))

        $processes = New-Object System.Collections.Generic.List[object]
        $saved = @{ NoSleep = $env:PEBBLE_VA_NOSLEEP; NonceReject = $env:PEBBLE_WFE_NONCEREJECT }
        try {
            # Only DNS and http-01; no AAAA answers, so Pebble's validation never tries ::1.
            $arguments = "-dns01 127.0.0.1:$dnsPort -http01 127.0.0.1:$httpPort -https01 `"`" -tlsalpn01 `"`" " +
                "-management 127.0.0.1:$managementPort -defaultIPv4 127.0.0.1 -defaultIPv6 `"`""
            $process = Start-Process -FilePath $challtestsrv[0].Source -ArgumentList $arguments -WorkingDirectory $Folder -NoNewWindow -PassThru `
                -RedirectStandardOutput (Join-Path $Folder 'pebble-challtestsrv.out') -RedirectStandardError (Join-Path $Folder 'pebble-challtestsrv.err')
            $processes.Add([pscustomobject]@{ Name = 'pebble-challtestsrv'; Process = $process })

            # No random 0-15 s sleep before each validation; Pebble's default share of rejected nonces stays on.
            $env:PEBBLE_VA_NOSLEEP = '1'
            Remove-Item -Path Env:PEBBLE_WFE_NONCEREJECT -ErrorAction SilentlyContinue
            $process = Start-Process -FilePath $pebble -ArgumentList "-config `"$configPath`" -dnsserver 127.0.0.1:$dnsPort" -WorkingDirectory $Folder `
                -NoNewWindow -PassThru -RedirectStandardOutput (Join-Path $Folder 'pebble.out') -RedirectStandardError (Join-Path $Folder 'pebble.err')
            $processes.Add([pscustomobject]@{ Name = 'pebble'; Process = $process })

            Wait-OrderTestPort -Port $managementPort -Processes $processes -Folder $Folder
            Wait-OrderTestPort -Port $listenPort -Processes $processes -Folder $Folder
            $challengeServer = "http://127.0.0.1:$managementPort/"
            $null = Invoke-RestMethod -Method Post -Uri ($challengeServer + 'set-default-ipv4') -Body '{"ip":"127.0.0.1"}' -ContentType 'application/json'
        }
        catch {
            Stop-OrderTestPebble -Pebble ([pscustomobject]@{ Processes = $processes })
            throw
        }
        finally {
            if ($null -eq $saved.NoSleep) { Remove-Item -Path Env:PEBBLE_VA_NOSLEEP -ErrorAction SilentlyContinue } else { $env:PEBBLE_VA_NOSLEEP = $saved.NoSleep }
            if ($null -ne $saved.NonceReject) { $env:PEBBLE_WFE_NONCEREJECT = $saved.NonceReject }
        }
        [pscustomobject]@{
            DirectoryUrl    = "https://127.0.0.1:$listenPort/dir"
            ChallengeServer = $challengeServer
            Processes       = $processes
            Folder          = $Folder
        }
    }

    function Stop-OrderTestPebble {
        # Stops the processes that Start-OrderTestPebble started, each by its own process object.
        param($Pebble)
        if ($null -eq $Pebble) {
            return
        }
        foreach ($entry in @($Pebble.Processes)) {
            try {
                if (-not $entry.Process.HasExited) {
                    $entry.Process.Kill()
                }
                $null = $entry.Process.WaitForExit(5000)
            }
            catch {
                # Already gone.
            }
        }
    }

    function Set-OrderTestTxtRecord {
        # Publishes a dns-01 answer through pebble-challtestsrv, as the user would in their DNS zone.
        param($Pebble, [string] $RecordName, [string] $Value)
        $body = @{ host = $RecordName.TrimEnd('.') + '.'; value = $Value } | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri ($Pebble.ChallengeServer + 'set-txt') -Body $body -ContentType 'application/json'
    }

    function Add-OrderTestHttp01 {
        # Serves an http-01 answer through pebble-challtestsrv, as the user's web server would.
        param($Pebble, [string] $Token, [string] $Content)
        $body = @{ token = $Token; content = $Content } | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri ($Pebble.ChallengeServer + 'add-http01') -Body $body -ContentType 'application/json'
    }

    function New-OrderTestDomain {
        # A DNS name no other test uses, so that Pebble has no valid authorization to reuse for it.
        't' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '.example.com'
    }

    function New-OrderTestRecord {
        # Writes an order as Submit-CertificateOrder keeps it (acme/orders/<Id>.json and <Id>.csr.pem), for the
        # tests that need no ACME server. Its server is https://127.0.0.1:9/dir, where nothing answers, and the store
        # has no ACME account for it: any request the cmdlets made for this order would fail.
        param(
            [Parameter(Mandatory = $true)][string] $StorePath,
            [Parameter(Mandatory = $true)][int] $Id,
            [Parameter(Mandatory = $true)][ValidateSet('pending', 'ready', 'processing', 'valid', 'invalid')][string] $Status,
            [string] $Domain,
            [string] $CertificateIdentifier,
            [string] $Problem,
            [string] $WebRoot
        )
        if (-not $Domain) {
            $Domain = "order$Id.example.com"
        }
        $folder = Join-Path (Join-Path $StorePath 'acme') 'orders'
        $null = New-Item -ItemType Directory -Path $folder -Force
        $challengeStatus = 'valid'
        if ($Status -eq 'pending' -or $Status -eq 'invalid') {
            $challengeStatus = $Status
        }
        $token = 'tok' + [guid]::NewGuid().ToString('N')
        $challenge = [ordered]@{
            domain           = $Domain
            identifierType   = 'dns'
            authorizationUrl = "https://127.0.0.1:9/authZ/$Id"
            type             = 'dns-01'
            url              = "https://127.0.0.1:9/chalZ/$Id"
            status           = $challengeStatus
            token            = $token
            txtValue         = 'Ww3xK0y9vBbA7cQ2Zf8LrT1sNd6hJm4pEu5oGi3kYqU'
        }
        if ($WebRoot) {
            # An http-01 order whose challenge file was written under the web root.
            $challenge['type'] = 'http-01'
            $challenge['keyAuthorization'] = "$token.thumbprint"
            $challenge.Remove('txtValue')
            $fileFolder = Join-Path (Join-Path $WebRoot '.well-known') 'acme-challenge'
            $null = New-Item -ItemType Directory -Path $fileFolder -Force
            $challenge['filePath'] = Join-Path $fileFolder $token
            [System.IO.File]::WriteAllText($challenge['filePath'], $challenge['keyAuthorization'], [System.Text.UTF8Encoding]::new($false))
        }
        if ($Problem) {
            $challenge['error'] = $Problem
        }
        $now = [System.DateTimeOffset]::UtcNow
        $record = [ordered]@{
            id                   = $Id
            server               = 'https://127.0.0.1:9/dir'
            accountUrl           = 'https://127.0.0.1:9/my-account/1'
            orderUrl             = "https://127.0.0.1:9/my-order/$Id"
            status               = $Status
            domains              = @($Domain)
            challengeType        = $challenge['type']
            expires              = $now.AddDays(7).ToString('o')
            challenges           = @($challenge)
            commonName           = $Domain
            email                = 'ops@example.com'
            skipCertificateCheck = $true
            createdAt            = $now.AddMinutes(-10).ToString('o')
            checkedAt            = $now.AddMinutes(-5).ToString('o')
        }
        if ($WebRoot) {
            $record['webRoot'] = $WebRoot
        }
        if ($CertificateIdentifier) {
            $record['certificateIdentifier'] = $CertificateIdentifier
        }
        if ($Problem) {
            $record['error'] = "${Domain}: $Problem"
        }
        $utf8 = [System.Text.UTF8Encoding]::new($false)
        [System.IO.File]::WriteAllText((Join-Path $folder "$Id.json"), ($record | ConvertTo-Json -Depth 6), $utf8)
        [System.IO.File]::WriteAllText((Join-Path $folder "$Id.csr.pem"), "-----BEGIN CERTIFICATE REQUEST-----`nAAAA`n-----END CERTIFICATE REQUEST-----`n", $utf8)
    }
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
            $orders[0] | Should -BeOfType $OrderTypeName
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

Describe 'Get-CertificateOrder against Pebble' -Skip:(-not (Get-Command pebble -ErrorAction SilentlyContinue)) {
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

    It 'pipes a completed order into Export-ServerCertificate, which writes a PFX file with the private key' {
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
            Export-ServerCertificate -Format Pfx -Path $pfx -IncludeChain -IncludePrivateKey -Password $password -StorePath $store

        $file.FullName | Should -Be $pfx
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 'Pfx-Pa55')
        try {
            $certificate.HasPrivateKey | Should -BeTrue
            $certificate.Thumbprint | Should -Be (Get-ServerCertificate -Identifier (Get-CertificateOrder $order.OrderId -StorePath $store).Identifier -StorePath $store).Thumbprint
        }
        finally {
            $certificate.Dispose()
        }
    }
}

Describe 'Get-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        if (-not $HasHelp) {
            Set-ItResult -Skipped -Because 'the loaded module has no en-US/PkiCmdlets-help.xml; run ./build.ps1 -Task Docs, Build'
            return
        }
        $help = Get-Help -Name Get-CertificateOrder -Full

        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        (@($help.Description | ForEach-Object { $_.Text }) -join "`n") | Should -Match 'Complete-CertificateOrder'
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            "$($example.Code)" | Should -Match 'Get-CertificateOrder'
        }
    }

    It 'describes every parameter' {
        if (-not $HasHelp) {
            Set-ItResult -Skipped -Because 'the loaded module has no en-US/PkiCmdlets-help.xml; run ./build.ps1 -Task Docs, Build'
            return
        }
        $help = Get-Help -Name Get-CertificateOrder -Full
        $described = @{}
        foreach ($parameter in @($help.Parameters.Parameter)) {
            $described[$parameter.Name] = (@($parameter.Description | ForEach-Object { $_.Text }) -join "`n").Trim()
        }

        foreach ($name in (Get-Command -Name Get-CertificateOrder).Parameters.Keys) {
            if ($CommonParameters -contains $name) {
                continue
            }
            $described[$name] | Should -Not -BeNullOrEmpty -Because "-$name of Get-CertificateOrder should be described"
        }
    }
}
