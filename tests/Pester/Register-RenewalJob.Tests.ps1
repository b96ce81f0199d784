# Pester 5 tests for Register-RenewalJob. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. The job is registered with -Scheduler Cron, which works in a
# container without a running systemd: crontab (Debian's cron package; .ci/run installs it) is the judge, and the
# user's crontab is put back as it was, pass or fail. The systemd units, the launchd agent and the Scheduled Task are
# checked in tests/PkiCmdlets.Core.Tests/Renewals/RenewalJobFileTests.cs. The command the job runs is run as cron runs
# it, through /bin/sh, against Pebble.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.RegisterRenewalJobCommand'
    $SavedCrontab = @(Get-PkiTestCrontab)
    # A scheduler this machine doesn't have, whatever it is.
    $Absent = if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) { 'Launchd' } else { 'TaskScheduler' }
}

AfterAll {
    Set-PkiTestCrontab -Lines $SavedCrontab
}

Describe 'Register-RenewalJob' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        Set-PkiTestCrontab -Lines @('0 5 * * * /bin/true # a line of the user''s own')
    }

    It 'registers a crontab line twice a day at a random minute, as crontab -l shows it' {
        $job = Register-RenewalJob -Scheduler Cron -StorePath $store

        $job.GetType().FullName | Should -Be 'PkiCmdlets.Core.Renewals.RenewalJob'
        $job.Scheduler | Should -Be 'Cron'
        $job.Registered | Should -BeTrue
        $job.Name | Should -Match '^pkicmdlets-renewal-[0-9a-f]{8}$'
        $job.Schedule -match '^(\d\d):(\d\d), (\d\d):(\d\d)$' | Should -BeTrue -Because $job.Schedule
        $first = [int]$Matches[1]
        $minute = [int]$Matches[2]
        [int]$Matches[3] | Should -Be ($first + 12)
        [int]$Matches[4] | Should -Be $minute
        $first | Should -BeLessThan 12
        $job.Executable | Should -Be (Get-PkiPowerShellPath)
        $job.Arguments[-1] | Should -Be "Import-Module -Name '$((Join-Path $Module.ModuleBase 'PkiCmdlets.psd1'))'; Invoke-CertificateRenewal -StorePath '$store'"
        $lines = @(Get-PkiTestCrontab)
        $lines.Count | Should -Be 2
        $lines[0] | Should -Be '0 5 * * * /bin/true # a line of the user''s own'
        $lines[1] | Should -Be "$minute $first,$($first + 12) * * * $($job.CommandLine) # $($job.Name)"
        Test-Path -LiteralPath (Join-Path $store 'renewal/job.json') | Should -BeTrue
    }

    It 'registers again in place of its line, at the same times' {
        $first = Register-RenewalJob -Scheduler Cron -StorePath $store

        $second = Register-RenewalJob -Scheduler Cron -StorePath $store

        $second.Schedule | Should -Be $first.Schedule
        @(Get-PkiTestCrontab | Where-Object { $_ -like "*# $($first.Name)" }).Count | Should -Be 1
    }

    It 'gives each store a job of its own' {
        $other = New-PkiTestStorePath -Root $TestDrive

        $mine = Register-RenewalJob -Scheduler Cron -StorePath $store
        $theirs = Register-RenewalJob -Scheduler Cron -StorePath $other

        $mine.Name | Should -Not -Be $theirs.Name
        @(Get-PkiTestCrontab).Count | Should -Be 3
    }

    It 'refuses a scheduler this machine does not have with RenewalJobSchedulerUnavailable, and changes nothing' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Register-RenewalJob -Scheduler $Absent -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "RenewalJobSchedulerUnavailable,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        @(Get-PkiTestCrontab).Count | Should -Be 1
    }

    It 'refuses a -PowerShellPath that is not there with PathNotFound, and changes nothing' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Register-RenewalJob -Scheduler Cron -PowerShellPath (Join-Path $TestDrive 'no-pwsh') -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "PathNotFound,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        @(Get-PkiTestCrontab).Count | Should -Be 1
    }

    It 'changes neither the crontab nor the store with -WhatIf' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Register-RenewalJob -Scheduler Cron -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        @(Get-PkiTestCrontab).Count | Should -Be 1
    }
}

Describe 'Register-RenewalJob''s command against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble') -CertificateValiditySeconds 300
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    It 'renews what is due when run as cron runs it, and logs the run' {
        # A store path that the shell and PowerShell quoting must both carry: a space and an apostrophe.
        $store = Join-Path $TestDrive ("o'brien store " + [guid]::NewGuid().ToString('N').Substring(0, 8))
        Register-RenewalHook -Type Dns -StorePath $store -ScriptBlock ([scriptblock]::Create(@"
param(`$Action, `$RecordName, `$RecordValue)
`$body = @{ host = "`$RecordName."; value = `$RecordValue } | ConvertTo-Json
Invoke-RestMethod -Method Post -Uri ('$($Pebble.ChallengeServer)' + `$(if (`$Action -eq 'Add') { 'set-txt' } else { 'clear-txt' })) -Body `$body -ContentType 'application/json' | Out-Null
"@))
        $order = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store |
            Submit-CertificateOrder -Server $Pebble.DirectoryUrl -SkipCertificateCheck -Email ops@example.com -AcceptTermsOfService -ValidationMethod Dns -StorePath $store |
            Complete-CertificateOrder -Wait -TimeoutSec 120 -StorePath $store
        # Pebble's certificates live 300 seconds here: 1 % of that comes in 3.
        Set-CertificateRenewal -Identifier $order.Identifier -RenewAfterPercent 1 -StorePath $store
        $job = Register-RenewalJob -Scheduler Cron -StorePath $store
        $deadline = [System.DateTime]::UtcNow.AddSeconds(30)
        while (-not (Get-CertificateRenewal -StorePath $store).Due -and [System.DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }

        $output = (& /bin/sh -c $job.CommandLine 2>&1) -join "`n"
        $exitCode = $LASTEXITCODE

        $exitCode | Should -Be 0 -Because $output
        $output | Should -Match 'Renewed'
        $current = Get-IssuedCertificate -Current -StorePath $store
        $current.Replaces | Should -Be $order.Identifier
        $run = (Get-RenewalJob -StorePath $store).LastRuns[-1]
        $run.Renewed | Should -Be "$($order.Identifier) -> $($current.Identifier)"
        @($run.Failed).Count | Should -Be 0
        Unregister-RenewalJob -StorePath $store
    }
}

Describe 'Register-RenewalJob help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Register-RenewalJob -DescriptionPattern 'systemd'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Register-RenewalJob
    }
}
