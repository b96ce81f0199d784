# Pester 5 tests for Complete-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath. Orders that need no server are written into the
# store as Submit-CertificateOrder keeps them. The tests of the 'against Pebble' block start Pebble and
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
    $CompleteCommand = 'PkiCmdlets.Commands.CompleteCertificateOrderCommand'

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
            $orders[0] | Should -BeOfType $OrderTypeName
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
            $failures[0].TargetObject | Should -BeOfType $OrderTypeName
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

Describe 'Complete-CertificateOrder against Pebble' -Skip:(-not (Get-Command pebble -ErrorAction SilentlyContinue)) {
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
            Export-ServerCertificate -Format Pfx -Path $pfx -IncludeChain -IncludePrivateKey -Password $pw -StorePath $store

        $done | Should -BeOfType $OrderTypeName
        "$($done.Status)" | Should -Be 'Valid'
        $done.CertificateIdentifier | Should -Match '^[0-9a-f]{32}$'
        $done.Identifier | Should -Be $done.CertificateIdentifier
        foreach ($challenge in $done.Challenges) {
            $challenge.Status | Should -Be 'valid'
        }
        $certificate = Get-ServerCertificate -Identifier $done.Identifier -StorePath $store
        $certificate.IssuerId | Should -Be 'acme'
        $certificate.CsrId | Should -Be $done.CsrId
        (@($certificate.DnsNames) | Sort-Object) -join ',' | Should -Be ((@("www.$domain", $domain) | Sort-Object) -join ',')
        $certificate.CertificateChain | Should -Match '-----BEGIN CERTIFICATE-----'
        @(Get-ServerCertificate -StorePath $store | Where-Object { $_.Identifier -eq $done.Identifier }).Count | Should -Be 1
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
        @(Get-ServerCertificate -DnsName $domain -StorePath $store).Count | Should -Be 1
    }

    It 'keeps the certificate of an order out of reach of Revoke-ServerCertificate, which only the CA can revoke' {
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $order.Challenges[0].RecordName -Value $order.Challenges[0].RecordValue
        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store

        { Revoke-ServerCertificate -Identifier $done.Identifier -Confirm:$false -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNotRevocable,PkiCmdlets.Commands.RevokeServerCertificateCommand'
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
        $failed | Should -BeOfType $OrderTypeName
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

Describe 'Complete-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        if (-not $HasHelp) {
            Set-ItResult -Skipped -Because 'the loaded module has no en-US/PkiCmdlets-help.xml; run ./build.ps1 -Task Docs, Build'
            return
        }
        $help = Get-Help -Name Complete-CertificateOrder -Full

        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        (@($help.Description | ForEach-Object { $_.Text }) -join "`n") | Should -Match 'TimeoutSec'
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            "$($example.Code)" | Should -Match 'Complete-CertificateOrder'
        }
    }

    It 'describes every parameter' {
        if (-not $HasHelp) {
            Set-ItResult -Skipped -Because 'the loaded module has no en-US/PkiCmdlets-help.xml; run ./build.ps1 -Task Docs, Build'
            return
        }
        $help = Get-Help -Name Complete-CertificateOrder -Full
        $described = @{}
        foreach ($parameter in @($help.Parameters.Parameter)) {
            $described[$parameter.Name] = (@($parameter.Description | ForEach-Object { $_.Text }) -join "`n").Trim()
        }

        foreach ($name in (Get-Command -Name Complete-CertificateOrder).Parameters.Keys) {
            if ($CommonParameters -contains $name) {
                continue
            }
            $described[$name] | Should -Not -BeNullOrEmpty -Because "-$name of Complete-CertificateOrder should be described"
        }
    }
}
