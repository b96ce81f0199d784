# Shared helpers for the Pester tests of the certificate order cmdlets (Pester 5, Windows PowerShell 5.1 and
# PowerShell 7). Pebble, the ACME test server (Debian's pebble package), is started as
# tests/PkiCmdlets.Core.Tests/Acme/PebbleFixture.cs starts it: pebble-challtestsrv answers DNS (dns-01, and the A
# records that http-01 follows) and http-01 on 127.0.0.1; Pebble uses it as its DNS server, with a self-made TLS
# certificate and PEBBLE_VA_NOSLEEP=1.

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
    # challtestsrv's management API, and the processes (stop them with Stop-OrderTestPebble). With -WebRootPort,
    # Pebble's http-01 validation goes to that port (Start-OrderTestWebRoot) instead of challtestsrv's; with
    # -CertificateValiditySeconds, its certificates live that long instead of Pebble's default; with -AlternateRoots,
    # it offers each certificate with that many other chains, each to a root of its own.
    param(
        [Parameter(Mandatory = $true)][string] $Folder,
        [int] $WebRootPort = 0,
        [int] $CertificateValiditySeconds = 0,
        [int] $AlternateRoots = 0
    )
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
    $validationPort = if ($WebRootPort -gt 0) { $WebRootPort } else { $httpPort }
    $pebbleManagementPort = Get-OrderTestFreePort
    $config = @{
        pebble = [ordered]@{
            listenAddress                  = "127.0.0.1:$listenPort"
            managementListenAddress        = "127.0.0.1:$pebbleManagementPort"
            certificate                    = Join-Path $Folder 'tls-cert.pem'
            privateKey                     = Join-Path $Folder 'tls-key.pem'
            httpPort                       = $validationPort
            tlsPort                        = $tlsPort
            ocspResponderURL               = ''
            externalAccountBindingRequired = $false
        }
    }
    if ($CertificateValiditySeconds -gt 0) {
        $config.pebble['certificateValidityPeriod'] = $CertificateValiditySeconds
    }
    $configPath = Join-Path $Folder 'pebble.json'
    [System.IO.File]::WriteAllText($configPath, ($config | ConvertTo-Json -Depth 4), [System.Text.UTF8Encoding]::new($false))

    $processes = [System.Collections.Generic.List[object]]::new()
    $saved = @{ NoSleep = $env:PEBBLE_VA_NOSLEEP; NonceReject = $env:PEBBLE_WFE_NONCEREJECT; AuthzReuse = $env:PEBBLE_AUTHZREUSE; Alternates = $env:PEBBLE_ALTERNATE_ROOTS }
    try {
        # Only DNS and http-01; no AAAA answers, so Pebble's validation never tries ::1.
        $arguments = "-dns01 127.0.0.1:$dnsPort -http01 127.0.0.1:$httpPort -https01 `"`" -tlsalpn01 `"`" " +
            "-management 127.0.0.1:$managementPort -defaultIPv4 127.0.0.1 -defaultIPv6 `"`""
        $process = Start-Process -FilePath $challtestsrv[0].Source -ArgumentList $arguments -WorkingDirectory $Folder -NoNewWindow -PassThru `
            -RedirectStandardOutput (Join-Path $Folder 'pebble-challtestsrv.out') -RedirectStandardError (Join-Path $Folder 'pebble-challtestsrv.err')
        $processes.Add([pscustomobject]@{ Name = 'pebble-challtestsrv'; Process = $process })

        # No random 0-15 s sleep before each validation; Pebble's default share of rejected nonces stays on. No valid
        # authorization is reused, so that a renewal's order for the same names is validated again.
        $env:PEBBLE_VA_NOSLEEP = '1'
        $env:PEBBLE_AUTHZREUSE = '0'
        $env:PEBBLE_ALTERNATE_ROOTS = "$AlternateRoots"
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
        if ($null -eq $saved.AuthzReuse) { Remove-Item -Path Env:PEBBLE_AUTHZREUSE -ErrorAction SilentlyContinue } else { $env:PEBBLE_AUTHZREUSE = $saved.AuthzReuse }
        if ($null -eq $saved.Alternates) { Remove-Item -Path Env:PEBBLE_ALTERNATE_ROOTS -ErrorAction SilentlyContinue } else { $env:PEBBLE_ALTERNATE_ROOTS = $saved.Alternates }
    }
    [pscustomobject]@{
        DirectoryUrl    = "https://127.0.0.1:$listenPort/dir"
        ManagementUrl   = "https://127.0.0.1:$pebbleManagementPort/"
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
    # Not @($Pebble.Processes): in PowerShell 7.6.10, @() over a List[object] made by New-Object stops the
    # pipeline with "Argument types do not match", which left both servers running.
    foreach ($entry in $Pebble.Processes) {
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

function Start-OrderTestWebRoot {
    # Serves the files under $Folder on 127.0.0.1, whatever the Host header, as a web server serves its document root:
    # what Pebble's http-01 validation reads the files that -WebRoot writes from. A PowerShell process with a
    # TcpListener; stop it with Stop-OrderTestWebRoot. Returns the port and the process.
    param([Parameter(Mandatory = $true)][string] $Folder)
    $null = New-Item -ItemType Directory -Path $Folder -Force
    $port = Get-OrderTestFreePort
    $script = @'
param([string] $Root, [int] $Port)
# A TcpListener on 127.0.0.1 (HttpListener would match the Host header, which names the domain validated).
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
$listener.Start()
$root = [System.IO.Path]::GetFullPath($Root).TrimEnd('/', '\')
while ($true) {
    $client = $listener.AcceptTcpClient()
    try {
        $stream = $client.GetStream()
        $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 1024, $true)
        $requestLine = $reader.ReadLine()
        while ($reader.ReadLine()) { }
        $target = if ($requestLine) { ($requestLine -split ' ')[1] } else { '/' }
        $path = [System.IO.Path]::GetFullPath((Join-Path $root ([uri]::UnescapeDataString(($target -split '\?')[0]).TrimStart('/'))))
        if ($path.StartsWith($root + [System.IO.Path]::DirectorySeparatorChar) -and [System.IO.File]::Exists($path)) {
            $status = '200 OK'
            $body = [System.IO.File]::ReadAllBytes($path)
        }
        else {
            $status = '404 Not Found'
            $body = [System.Text.Encoding]::ASCII.GetBytes('not found')
        }
        $head = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status`r`nContent-Type: text/plain`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n")
        $stream.Write($head, 0, $head.Length)
        $stream.Write($body, 0, $body.Length)
    }
    catch {
        # The client went away.
    }
    finally {
        $client.Dispose()
    }
}
'@
    $parent = Split-Path -Parent $Folder
    $scriptPath = Join-Path $parent "webroot-server-$port.ps1"
    [System.IO.File]::WriteAllText($scriptPath, $script, [System.Text.UTF8Encoding]::new($false))
    # This PowerShell's own program: pwsh in $PSHOME even when the process is 'dotnet' (PowerShell as a dotnet tool).
    $powershell = @('pwsh.exe', 'pwsh', 'powershell.exe') | ForEach-Object { Join-Path $PSHOME $_ } |
        Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    if (-not $powershell) { $powershell = (Get-Process -Id $PID).Path }
    $process = Start-Process -FilePath $powershell -ArgumentList @('-NoProfile', '-NonInteractive', '-File', "`"$scriptPath`"", '-Root', "`"$Folder`"", '-Port', $port) `
        -NoNewWindow -PassThru -RedirectStandardOutput (Join-Path $parent "webroot-$port.out") -RedirectStandardError (Join-Path $parent "webroot-$port.err")
    $processes = @([pscustomobject]@{ Name = 'webroot-server'; Process = $process })
    $deadline = [System.DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        if ($process.HasExited) {
            throw "The web root server exited with $($process.ExitCode)."
        }
        try {
            $null = Invoke-WebRequest -Uri "http://127.0.0.1:$port/" -UseBasicParsing -TimeoutSec 2 -ErrorAction Stop
            break
        }
        catch {
            # A 404 is an answer: the server is up.
            if ($_.Exception.Response) { break }
        }
        if ([System.DateTime]::UtcNow -gt $deadline) {
            throw "The web root server did not answer on 127.0.0.1:$port within 30 seconds."
        }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Port = $port; Folder = $Folder; Processes = $processes }
}

function Stop-OrderTestWebRoot {
    # Stops the process Start-OrderTestWebRoot started.
    param($WebRoot)
    if ($null -ne $WebRoot) {
        Stop-OrderTestPebble -Pebble $WebRoot
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

function New-OrderTestRsaCsrPem {
    # A PKCS #10 request made by .NET, not by PkiCmdlets, with a new RSA key of the given size (1024 makes the
    # weak request that public CAs refuse); its key never enters a store.
    param([Parameter(Mandatory = $true)][string] $CommonName, [int] $KeySize = 2048)
    $rsa = [System.Security.Cryptography.RSA]::Create($KeySize)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            "CN=$CommonName", $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $base64 = [System.Convert]::ToBase64String($request.CreateSigningRequest())
        $lines = for ($i = 0; $i -lt $base64.Length; $i += 64) { $base64.Substring($i, [System.Math]::Min(64, $base64.Length - $i)) }
        "-----BEGIN CERTIFICATE REQUEST-----`n" + ($lines -join "`n") + "`n-----END CERTIFICATE REQUEST-----`n"
    }
    finally {
        $rsa.Dispose()
    }
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
        [System.Nullable[System.DateTimeOffset]] $CertificateNotAfter,
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
    if ($CertificateNotAfter) {
        $record['certificateNotAfter'] = ([System.DateTimeOffset]$CertificateNotAfter).ToString('o')
    }
    if ($Problem) {
        $record['error'] = "${Domain}: $Problem"
    }
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    [System.IO.File]::WriteAllText((Join-Path $folder "$Id.json"), ($record | ConvertTo-Json -Depth 6), $utf8)
    [System.IO.File]::WriteAllText((Join-Path $folder "$Id.csr.pem"), "-----BEGIN CERTIFICATE REQUEST-----`nAAAA`n-----END CERTIFICATE REQUEST-----`n", $utf8)
}
