# Pester 5 tests for Unregister-RenewalJob. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. Jobs are registered with -Scheduler Cron, and the user's
# crontab is put back as it was, pass or fail (see Register-RenewalJob.Tests.ps1).

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.UnregisterRenewalJobCommand'
    $SavedCrontab = @(Get-PkiTestCrontab)
}

AfterAll {
    Set-PkiTestCrontab -Lines $SavedCrontab
}

Describe 'Unregister-RenewalJob' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    It 'removes its crontab line and its record, keeps the user''s other lines, and returns it with -PassThru' {
        Set-PkiTestCrontab -Lines @('0 5 * * * /bin/true # a line of the user''s own')
        $job = Register-RenewalJob -Scheduler Cron -StorePath $store

        $removed = Unregister-RenewalJob -PassThru -StorePath $store

        $removed.Name | Should -Be $job.Name
        $removed.Registered | Should -BeFalse
        @(Get-PkiTestCrontab) | Should -Be @('0 5 * * * /bin/true # a line of the user''s own')
        Test-Path -LiteralPath (Join-Path $store 'renewal/job.json') | Should -BeFalse
        { Get-RenewalJob -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'RenewalJobNotFound,PkiCmdlets.Commands.GetRenewalJobCommand'
    }

    It 'leaves no crontab when the job''s line was its only line' {
        Set-PkiTestCrontab -Lines @()
        $null = Register-RenewalJob -Scheduler Cron -StorePath $store

        Unregister-RenewalJob -StorePath $store

        @(Get-PkiTestCrontab).Count | Should -Be 0
    }

    It 'reports a store without a job as RenewalJobNotFound' {
        { Unregister-RenewalJob -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "RenewalJobNotFound,$Command"
    }

    It 'changes neither the crontab nor the store with -WhatIf' {
        Set-PkiTestCrontab -Lines @()
        $job = Register-RenewalJob -Scheduler Cron -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Unregister-RenewalJob -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        @(Get-PkiTestCrontab | Where-Object { $_ -like "*# $($job.Name)" }).Count | Should -Be 1
    }
}

Describe 'Unregister-RenewalJob help' {
    It 'has a synopsis, a description and at least two examples that use the cmdlet' {
        $help = Get-Help -Name Unregister-RenewalJob -Full
        (@($help.Description | ForEach-Object { $_.Text }) -join "`n") | Should -Match 'crontab'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in @($help.Examples.Example)) { "$($example.Code)" | Should -Match 'Unregister-RenewalJob' }
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Unregister-RenewalJob
    }
}
