# Pester 5 tests for Unregister-RenewalHook. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $Command = 'PkiCmdlets.Commands.UnregisterRenewalHookCommand'
}

Describe 'Unregister-RenewalHook' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        Register-RenewalHook -Type Dns -ScriptBlock { param($Action, $RecordName, $RecordValue) 'dns' } -StorePath $store
        Register-RenewalHook -Type Deploy -ScriptBlock { param($Certificate) 'deploy' } -StorePath $store
    }

    It 'removes the hook of -Type and leaves the other, returning it with -PassThru' {
        $removed = Unregister-RenewalHook Dns -PassThru -StorePath $store

        $removed.Type | Should -Be 'Dns'
        $removed.ScriptBlock | Should -Match "'dns'"
        (Get-RenewalHook -StorePath $store).Type | Should -Be 'Deploy'
        Unregister-RenewalHook -Type Deploy -StorePath $store | Should -BeNullOrEmpty
        @(Get-RenewalHook -StorePath $store).Count | Should -Be 0
    }

    It 'takes the hooks from Get-RenewalHook by their Type' {
        Get-RenewalHook -StorePath $store | Unregister-RenewalHook -StorePath $store

        @(Get-RenewalHook -StorePath $store).Count | Should -Be 0
    }

    It 'reports a hook that is not registered as HookNotFound, and changes nothing' {
        Unregister-RenewalHook -Type Dns -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Unregister-RenewalHook -Type Dns -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "HookNotFound,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-PkiStoreSnapshot -StorePath $store

        Unregister-RenewalHook -Type Deploy -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }
}

Describe 'Unregister-RenewalHook help' {
    It 'has a synopsis, a description and at least two examples that use the cmdlet' {
        $help = Get-Help -Name Unregister-RenewalHook -Full
        (@($help.Description | ForEach-Object { $_.Text }) -join "`n") | Should -Match 'RenewalNeedsAnswer'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in @($help.Examples.Example)) { "$($example.Code)" | Should -Match 'Unregister-RenewalHook' }
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Unregister-RenewalHook
    }
}
