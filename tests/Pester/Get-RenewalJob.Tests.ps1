# Pester 5 tests for Get-RenewalJob. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath. Jobs are registered with -Scheduler Cron, and the user's crontab is
# put back as it was, pass or fail (see Register-RenewalJob.Tests.ps1).

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.GetRenewalJobCommand'
    $SavedCrontab = @(Get-PkiTestCrontab)
}

AfterAll {
    Set-PkiTestCrontab -Lines $SavedCrontab
}

Describe 'Get-RenewalJob' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        Set-PkiTestCrontab -Lines @()
    }

    It 'fails with RenewalJobNotFound when no job is registered, and changes nothing' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Get-RenewalJob -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "RenewalJobNotFound,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'shows the job as registered, with the last runs of the store' {
        $registered = Register-RenewalJob -Scheduler Cron -StorePath $store
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
        $issued | Set-CertificateRenewal -StorePath $store
        $null = Invoke-CertificateRenewal -StorePath $store
        $renewed = Invoke-CertificateRenewal -Force -StorePath $store

        $job = Get-RenewalJob -StorePath $store

        $job.Name | Should -Be $registered.Name
        $job.Registered | Should -BeTrue
        $job.Schedule | Should -Be $registered.Schedule
        $job.CommandLine | Should -Be $registered.CommandLine
        $job.LastRuns.Count | Should -Be 2
        $job.LastRuns[0].NotDue | Should -Be 1
        $job.LastRuns[1].Renewed | Should -Be "$($issued.Identifier) -> $($renewed.ReplacedBy)"
        $job.LastRuns[1].StartedAt | Should -BeGreaterOrEqual $job.LastRuns[0].StartedAt
    }

    It 'says the job is no longer registered when its crontab line was taken away' {
        $null = Register-RenewalJob -Scheduler Cron -StorePath $store
        Set-PkiTestCrontab -Lines @()

        (Get-RenewalJob -StorePath $store).Registered | Should -BeFalse
    }

    It 'shows the job as a list, its command in full, at 80 columns' {
        $job = Register-RenewalJob -Scheduler Cron -StorePath $store

        $text = Get-RenewalJob -StorePath $store | Out-String -Width 80

        $text | Should -Match "Name\s+: $($job.Name)"
        $text | Should -Match 'Registered\s+: True'
        ($text -replace '\s+', '') | Should -Match ([regex]::Escape(($job.CommandLine -replace '\s+', '')))
    }

    It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
        { Get-RenewalJob -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
            Should -Throw -ErrorId "StorePathInvalid,$Command"
    }
}

Describe 'Get-RenewalJob help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Get-RenewalJob -DescriptionPattern 'RenewalJobNotFound'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Get-RenewalJob
    }
}
