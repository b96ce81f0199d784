# Pester 5 tests for Invoke-CertificateRenewal. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath. Store-issued certificates come from a hierarchy whose keys
# have no password, so that their CA can renew them unattended; a certificate is made due by giving it a lifetime of a
# few seconds. The 'against Pebble' block starts Pebble, pebble-challtestsrv and a web root server on 127.0.0.1 in
# BeforeAll and stops them in AfterAll; its DNS hook creates the TXT records through pebble-challtestsrv's management
# API. When renewals are due on a clock the tests move, see tests/PkiCmdlets.Core.Tests/Renewals.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.InvokeCertificateRenewalCommand'
    $ResultTypeName = 'PkiCmdlets.Core.Renewals.RenewalResult'

    function New-ShortLivedCertificate {
        # A certificate of the hierarchy's Sub that lives $Seconds from now, with a key made in the store.
        param([string] $StorePath, [string] $CommonName, [int] $Seconds)
        New-Csr -CommonName $CommonName -Sans "www.$CommonName" -Algorithm ECC -StorePath $StorePath |
            New-ServerCertificate -Issuer Sub -NotAfter ([System.DateTime]::UtcNow.AddSeconds($Seconds)) -StorePath $StorePath
    }

    function Wait-Due {
        # Waits until the certificate is due, as Get-CertificateRenewal computes it.
        param([string] $StorePath, [string] $Identifier)
        $deadline = [System.DateTime]::UtcNow.AddSeconds(60)
        while (-not (Get-CertificateRenewal -Identifier $Identifier -StorePath $StorePath).Due) {
            if ([System.DateTime]::UtcNow -gt $deadline) { throw "$Identifier did not come due within 60 seconds." }
            Start-Sleep -Milliseconds 200
        }
    }

    function Test-Chain {
        # Whether .NET builds the certificate's chain to $Root, with $Extra as intermediates.
        param($Certificate, $Root, [object[]] $Extra = @())
        $chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        try {
            $chain.ChainPolicy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
            $null = $chain.ChainPolicy.CustomTrustStore.Add($Root)
            foreach ($certificate in $Extra) { $null = $chain.ChainPolicy.ExtraStore.Add($certificate) }
            $chain.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
            $chain.Build($Certificate)
        }
        finally {
            $chain.Dispose()
        }
    }

    function Start-RenewalProcess {
        # A PowerShell process that waits for $GoFile, then runs Invoke-CertificateRenewal -Force on the store and
        # writes each result as a JSON line to $OutputFile.
        param([string] $StorePath, [string] $GoFile, [string] $OutputFile)
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$((Get-PkiModuleManifestPath) -replace "'", "''")'
while (-not (Test-Path -LiteralPath '$($GoFile -replace "'", "''")')) { Start-Sleep -Milliseconds 20 }
Invoke-CertificateRenewal -Force -StorePath '$($StorePath -replace "'", "''")' -ErrorAction Continue |
    ForEach-Object { [pscustomobject]@{ Status = `$_.Status; Identifier = `$_.Identifier; ReplacedBy = `$_.ReplacedBy; Reason = `$_.Reason } | ConvertTo-Json -Compress } |
    Set-Content -LiteralPath '$($OutputFile -replace "'", "''")'
"@
        $scriptFile = "$OutputFile.ps1"
        Write-PkiTestFile -Path $scriptFile -Text $script
        $start = [System.Diagnostics.ProcessStartInfo]::new((Get-PkiPowerShellPath), "-NoProfile -NonInteractive -File `"$scriptFile`"")
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Error = $process.StandardError.ReadToEndAsync(); File = $OutputFile }
    }

    function Wait-RenewalProcess {
        # Waits for a process of Start-RenewalProcess (killing it after 240 seconds); returns its results.
        param($Run)
        try {
            if (-not $Run.Process.WaitForExit(240000)) { throw 'A renewal process did not end within 240 seconds.' }
            $Run.Process.WaitForExit()
            if ($Run.Process.ExitCode -ne 0) { throw "A renewal process failed: $($Run.Output.Result) $($Run.Error.Result)" }
            @(Get-Content -LiteralPath $Run.File | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
        }
        finally {
            if (-not $Run.Process.HasExited) {
                $Run.Process.Kill()
                $null = $Run.Process.WaitForExit(10000)
            }
            $Run.Process.Dispose()
        }
    }

    function Assert-RenewedOnce {
        # The results of several runs at once renewed each certificate once: no certificate is renewed twice, every
        # renewal is in the journal with its link both ways, and each lineage ends in one current certificate.
        param([string] $StorePath, [object[]] $Results, [string[]] $Originals)
        $renewed = @($Results | Where-Object Status -EQ 'Renewed')
        @($Results | Where-Object Status -EQ 'Failed').Count | Should -Be 0 -Because (($Results | Where-Object Status -EQ 'Failed').Reason -join '; ')
        @($renewed.Identifier | Sort-Object -Unique).Count | Should -Be $renewed.Count -Because 'no certificate is renewed twice'
        $all = @(Get-IssuedCertificate -StorePath $StorePath)
        foreach ($result in $renewed) {
            ($all | Where-Object Identifier -EQ $result.Identifier).ReplacedBy | Should -Be $result.ReplacedBy
            ($all | Where-Object Identifier -EQ $result.ReplacedBy).Replaces | Should -Be $result.Identifier
        }
        @($all | Where-Object ReplacedBy).Count | Should -Be $renewed.Count
        foreach ($original in $Originals) {
            @($Results | Where-Object { $_.Identifier -eq $original -and $_.Status -eq 'Renewed' }).Count | Should -Be 1 -Because "$original was current when both runs began"
            $current = $original
            while (($next = ($all | Where-Object Identifier -EQ $current).ReplacedBy)) { $current = $next }
            (Get-IssuedCertificate -Identifier $current -StorePath $StorePath).ReplacedBy | Should -BeNullOrEmpty
        }
        @(Get-IssuedCertificate -Current -StorePath $StorePath).Count | Should -Be $Originals.Count
    }
}

Describe 'Invoke-CertificateRenewal' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $pki = New-PkiTestHierarchy -StorePath $store
    }

    Context 'Certificates of the store''s own CAs' {
        It 'renews a certificate set up for renewal once two thirds of its life have passed, and renews nothing right after' {
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 12
            $old | Set-CertificateRenewal -StorePath $store
            $early = Invoke-CertificateRenewal -StorePath $store

            Wait-Due -StorePath $store -Identifier $old.Identifier
            $renewed = Invoke-CertificateRenewal -StorePath $store
            $again = Invoke-CertificateRenewal -StorePath $store

            $early.GetType().FullName | Should -Be $ResultTypeName
            "$($early.Status)" | Should -Be 'NotDue'
            # Two thirds of the lifetime, to the whole second as renewal times are kept.
            $lifetime = ($old.NotAfter - $old.NotBefore).Ticks
            $twoThirds = ($old.NotBefore + [System.TimeSpan]::FromTicks([long](($lifetime - $lifetime % 3) / 3) * 2)).UtcTicks
            $early.RenewAt | Should -Be ([System.DateTimeOffset]::new($twoThirds - $twoThirds % [System.TimeSpan]::TicksPerSecond, [System.TimeSpan]::Zero))
            $early.Reason | Should -Match 'two thirds'
            "$($renewed.Status)" | Should -Be 'Renewed'
            $renewed.Identifier | Should -Be $old.Identifier
            $new = $renewed.NewCertificate
            $renewed.ReplacedBy | Should -Be $new.Identifier
            $new.Replaces | Should -Be $old.Identifier
            (@($new.Names) -join ',') | Should -Be (@($old.Names) -join ',')
            $new.Subject | Should -Be $old.Subject
            $new.Profile | Should -Be 'Server'
            $new.IssuerId | Should -Be $pki.Sub.Id
            ($new.NotAfter - $new.NotBefore) | Should -Be ($old.NotAfter - $old.NotBefore)
            $new.Certificate.GetPublicKeyString() | Should -Be $old.Certificate.GetPublicKeyString()
            Test-Chain -Certificate $new.Certificate -Root $pki.Root.Certificate -Extra @($pki.Sub.Certificate) | Should -BeTrue
            (Get-IssuedCertificate -Identifier $old.Identifier -StorePath $store).ReplacedBy | Should -Be $new.Identifier
            (Get-IssuedCertificate -Current -StorePath $store).Identifier | Should -Be $new.Identifier
            "$($again.Status)" | Should -Be 'NotDue'
            $again.Identifier | Should -Be $new.Identifier
            @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 2
        }

        It 'renews the certificates piped to it with -Force, set up or not, and names each as it goes' {
            $first = New-ShortLivedCertificate -StorePath $store -CommonName 'one.example.com' -Seconds 3600
            $second = New-ShortLivedCertificate -StorePath $store -CommonName 'two.example.com' -Seconds 3600

            $results = @(Get-IssuedCertificate -StorePath $store | Invoke-CertificateRenewal -Force -StorePath $store)

            ($results.Status -join ',') | Should -Be 'Renewed,Renewed'
            ($results.Identifier -join ',') | Should -Be "$($first.Identifier),$($second.Identifier)"
            @(Get-IssuedCertificate -Current -StorePath $store).Identifier | Should -Be $results.ReplacedBy
            # Without -Force and without being named, a certificate that was never set up is left alone.
            @(Invoke-CertificateRenewal -StorePath $store).Count | Should -Be 0
        }

        It 'renews nothing with -WhatIf and changes nothing' {
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600
            $old | Set-CertificateRenewal -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            $output = @(Invoke-CertificateRenewal -Force -WhatIf -StorePath $store -ErrorVariable failures)

            $output.Count | Should -Be 0
            $failures.Count | Should -Be 0
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'reports a failed renewal as Failed and as an error, and leaves the certificate current' {
            Remove-Item -LiteralPath $store -Recurse -Force
            $pki = New-PkiTestHierarchy -StorePath $store -SubParameters @{ KeyPassword = (ConvertTo-PkiTestSecureString -Text 'Sub-Pa55word') }
            Unlock-CA -Name Sub -Password (ConvertTo-PkiTestSecureString -Text 'Sub-Pa55word') -StorePath $store
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600
            $old | Set-CertificateRenewal -StorePath $store
            Lock-CA -Name Sub -StorePath $store
            $journal = Get-FileHash -LiteralPath (Join-Path $store "issued/$($pki.Sub.Id)/certificates.journal")

            $result = Invoke-CertificateRenewal -Force -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            "$($result.Status)" | Should -Be 'Failed'
            $result.ErrorId | Should -Be 'CaLocked'
            $result.Reason | Should -Match 'Sub'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "CaLocked,$Command"
            (Get-FileHash -LiteralPath (Join-Path $store "issued/$($pki.Sub.Id)/certificates.journal")).Hash | Should -Be $journal.Hash
            (Get-IssuedCertificate -Current -StorePath $store).Identifier | Should -Be $old.Identifier
            $renewal = Get-CertificateRenewal -StorePath $store
            $renewal.LastStatus | Should -Be 'Failed'
            $renewal.LastMessage | Should -Be $result.Reason
        }

        It 'gives the deploy hook the new certificate, and keeps it when the hook fails, with a warning' {
            $log = Join-Path $TestDrive ('deploy-' + [guid]::NewGuid().ToString('N') + '.log')
            Register-RenewalHook -Type Deploy -ScriptBlock ([scriptblock]::Create(
                    "param(`$Certificate) Add-Content -LiteralPath '$log' -Value `$Certificate.Identifier; throw 'the web server is down'")) -StorePath $store
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600

            $result = Invoke-CertificateRenewal -Identifier $old.Identifier -Force -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue

            "$($result.Status)" | Should -Be 'Renewed'
            Get-Content -LiteralPath $log | Should -Be $result.ReplacedBy
            $result.HookError | Should -Match 'Deploy hook failed'
            $result.HookError | Should -Match 'the web server is down'
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Be $result.HookError
            (Get-IssuedCertificate -Current -StorePath $store).Identifier | Should -Be $result.ReplacedBy
        }

        It 'skips a revoked certificate unless forced' {
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600
            $old | Revoke-IssuedCertificate -Reason Superseded -Confirm:$false -StorePath $store

            $result = Invoke-CertificateRenewal -Identifier $old.Identifier -StorePath $store

            "$($result.Status)" | Should -Be 'Skipped'
            $result.Reason | Should -Match 'revoked'
        }

        It 'reports an identifier that is not in the store as CertificateNotFound and renews the others' {
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600

            $results = @(Invoke-CertificateRenewal -Identifier '00000000000000000000000000000000', $old.Identifier -Force -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($results.Status -join ',') | Should -Be 'Renewed'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "CertificateNotFound,$Command"
            $failures[0].TargetObject | Should -Be '00000000000000000000000000000000'
        }

        It 'logs each run with what it renewed' {
            $old = New-ShortLivedCertificate -StorePath $store -CommonName 'web.example.com' -Seconds 3600
            $result = Invoke-CertificateRenewal -Identifier $old.Identifier -Force -StorePath $store

            $runs = @(Get-Content -Raw -LiteralPath (Join-Path $store 'renewal/runs.json') | ConvertFrom-Json)

            $runs.Count | Should -Be 1
            $runs[0].renewed | Should -Be "$($old.Identifier) -> $($result.ReplacedBy)"
        }

        It 'refuses a -TimeoutSec of <TimeoutSec> before the cmdlet runs' -ForEach @(
            @{ TimeoutSec = 0 }
            @{ TimeoutSec = 86401 }
        ) {
            { Invoke-CertificateRenewal -TimeoutSec $TimeoutSec -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$Command"
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            { Invoke-CertificateRenewal -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
                Should -Throw -ErrorId "StorePathInvalid,$Command"
        }
    }
}

Describe 'Invoke-CertificateRenewal against Pebble' {
    BeforeAll {
        $WebRoot = Start-OrderTestWebRoot -Folder (Join-Path $TestDrive 'webroot')
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble') -WebRootPort $WebRoot.Port
        $PebbleRoot = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem(
            (Invoke-RestMethod -Uri ($Pebble.ManagementUrl + 'roots/0') -SkipCertificateCheck))
        $HookLog = Join-Path $TestDrive 'dns-hook.log'
        # The DNS hook as a user would write it for a DNS provider's API; here the API is pebble-challtestsrv's.
        $DnsHook = [scriptblock]::Create(@"
param(`$Action, `$RecordName, `$RecordValue)
`$body = @{ host = "`$RecordName."; value = `$RecordValue } | ConvertTo-Json
Invoke-RestMethod -Method Post -Uri ('$($Pebble.ChallengeServer)' + `$(if (`$Action -eq 'Add') { 'set-txt' } else { 'clear-txt' })) -Body `$body -ContentType 'application/json' | Out-Null
Add-Content -LiteralPath '$HookLog' -Value "`$Action `$RecordName"
"@)
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
        Stop-OrderTestWebRoot -WebRoot $WebRoot
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $order = @{ Server = $Pebble.DirectoryUrl; SkipCertificateCheck = $true; Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store }
        Remove-Item -LiteralPath $HookLog -ErrorAction SilentlyContinue
    }

    It 'renews an http-01 and a dns-01 order unattended with -Force, and a second run right after renews nothing' {
        Register-RenewalHook -Type Dns -ScriptBlock $DnsHook -StorePath $store
        $dnsDomain = New-OrderTestDomain
        $httpDomain = New-OrderTestDomain
        $dns = New-Csr -CommonName $dnsDomain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order -ValidationMethod Dns |
            Complete-CertificateOrder -Wait -TimeoutSec 120 -StorePath $store
        $http = New-Csr -CommonName $httpDomain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order -WebRoot $WebRoot.Folder |
            Complete-CertificateOrder -Wait -TimeoutSec 120 -StorePath $store
        Remove-Item -LiteralPath $HookLog

        $renewed = @(Invoke-CertificateRenewal -Force -TimeoutSec 120 -StorePath $store)
        $again = @(Invoke-CertificateRenewal -StorePath $store)

        ($renewed.Status -join ',') | Should -Be 'Renewed,Renewed'
        ($renewed.Identifier -join ',') | Should -Be "$($dns.Identifier),$($http.Identifier)"
        foreach ($result in $renewed) {
            $old = Get-IssuedCertificate -Identifier $result.Identifier -StorePath $store
            $new = $result.NewCertificate
            $new.Replaces | Should -Be $old.Identifier
            $old.ReplacedBy | Should -Be $new.Identifier
            (@($new.Names) -join ',') | Should -Be (@($old.Names) -join ',')
            $new.CsrId | Should -Be $old.CsrId
            $new.IssuerId | Should -Be 'acme'
            $chain = @([regex]::Matches($new.CertificateChain, '-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----') |
                ForEach-Object { [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($_.Value) })
            Test-Chain -Certificate $new.Certificate -Root $PebbleRoot -Extra $chain | Should -BeTrue
            $renewal = Get-CertificateOrder -OrderId $result.NewOrderId -StorePath $store
            $renewal.ReplacesOrderId | Should -Be $result.OrderId
            "$($renewal.ValidationMethod)" | Should -Be "$((Get-CertificateOrder -OrderId $result.OrderId -StorePath $store).ValidationMethod)"
            (Get-CertificateOrder -OrderId $result.OrderId -StorePath $store).ReplacedByOrderId | Should -Be $result.NewOrderId
        }
        (Get-CertificateOrder -OrderId $renewed[1].NewOrderId -StorePath $store).WebRoot | Should -Be $WebRoot.Folder
        # The DNS hook added the record before the CA looked, and removed it afterwards.
        Get-Content -LiteralPath $HookLog | Should -Be @("Add _acme-challenge.$dnsDomain", "Remove _acme-challenge.$dnsDomain")
        ($again.Status -join ',') | Should -Be 'NotDue,NotDue'
        ($again.Identifier -join ',') | Should -Be ($renewed.ReplacedBy -join ',')
        @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 4
        @(Get-CertificateOrder -StorePath $store).Count | Should -Be 4
    }

    It 'fails a dns-01 renewal without a DNS hook with RenewalNeedsAnswer, and takes up the same order once one is registered' {
        $domain = New-OrderTestDomain
        $first = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order -ValidationMethod Dns
        Set-OrderTestTxtRecord -Pebble $Pebble -RecordName $first.Challenges[0].RecordName -Value $first.Challenges[0].RecordValue
        $first = Complete-CertificateOrder -OrderId $first.OrderId -Wait -TimeoutSec 120 -StorePath $store
        Invoke-RestMethod -Method Post -Uri ($Pebble.ChallengeServer + 'clear-txt') -Body (@{ host = "_acme-challenge.$domain." } | ConvertTo-Json) -ContentType 'application/json' | Out-Null

        $failed = Invoke-CertificateRenewal -Force -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures
        Register-RenewalHook -Type Dns -ScriptBlock $DnsHook -StorePath $store
        $renewed = Invoke-CertificateRenewal -Force -TimeoutSec 120 -StorePath $store

        "$($failed.Status)" | Should -Be 'Failed'
        $failed.ErrorId | Should -Be 'RenewalNeedsAnswer'
        $failures[0].FullyQualifiedErrorId | Should -Be "RenewalNeedsAnswer,$Command"
        $failures[0].Exception.Message | Should -Match 'Register-RenewalHook'
        "$($renewed.Status)" | Should -Be 'Renewed'
        $renewed.NewOrderId | Should -Be ($first.OrderId + 1) -Because 'the pending renewal order is taken up, not placed again'
        @(Get-CertificateOrder -StorePath $store).Count | Should -Be 2
    }

    It 'renews each certificate once when two processes renew at once' {
        Register-RenewalHook -Type Dns -ScriptBlock $DnsHook -StorePath $store
        $null = New-PkiTestHierarchy -StorePath $store
        $originals = @()
        foreach ($name in @('one.example.com', 'two.example.com')) {
            $certificate = New-ShortLivedCertificate -StorePath $store -CommonName $name -Seconds 3600
            $certificate | Set-CertificateRenewal -StorePath $store
            $originals += $certificate.Identifier
        }
        foreach ($i in 1..2) {
            $originals += (New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @order -ValidationMethod Dns |
                Complete-CertificateOrder -Wait -TimeoutSec 120 -StorePath $store).Identifier
        }
        $go = Join-Path $TestDrive ('go-' + [guid]::NewGuid().ToString('N'))

        $runs = @(1, 2 | ForEach-Object { Start-RenewalProcess -StorePath $store -GoFile $go -OutputFile (Join-Path $TestDrive ("run-$_-" + [guid]::NewGuid().ToString('N') + '.json')) })
        Set-Content -LiteralPath $go -Value 'go'
        $results = @($runs | ForEach-Object { Wait-RenewalProcess -Run $_ })

        Assert-RenewedOnce -StorePath $store -Results $results -Originals $originals
    }
}

Describe 'Invoke-CertificateRenewal with two processes on store-issued certificates' {
    It 'renews each certificate once when two processes renew at once' {
        $store = New-PkiTestStorePath -Root $TestDrive
        $null = New-PkiTestHierarchy -StorePath $store
        $originals = @(1..6 | ForEach-Object {
                $certificate = New-ShortLivedCertificate -StorePath $store -CommonName "host$_.example.com" -Seconds 3600
                $certificate | Set-CertificateRenewal -StorePath $store
                $certificate.Identifier
            })
        $go = Join-Path $TestDrive ('go-' + [guid]::NewGuid().ToString('N'))

        $runs = @(1, 2 | ForEach-Object { Start-RenewalProcess -StorePath $store -GoFile $go -OutputFile (Join-Path $TestDrive ("run-$_-" + [guid]::NewGuid().ToString('N') + '.json')) })
        Set-Content -LiteralPath $go -Value 'go'
        $results = @($runs | ForEach-Object { Wait-RenewalProcess -Run $_ })

        Assert-RenewedOnce -StorePath $store -Results $results -Originals $originals
    }
}

Describe 'Invoke-CertificateRenewal help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Invoke-CertificateRenewal -DescriptionPattern 'two thirds'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Invoke-CertificateRenewal
    }
}
