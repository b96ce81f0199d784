# Pester 5 tests for Get-RenewalHook. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $Command = 'PkiCmdlets.Commands.GetRenewalHookCommand'
}

Describe 'Get-RenewalHook' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    It 'returns nothing, and no error, when no hook is registered' {
        $hooks = @(Get-RenewalHook -StorePath $store -ErrorVariable failures)

        $hooks.Count | Should -Be 0
        $failures.Count | Should -Be 0
    }

    It 'returns the hooks, Dns first, and the one of -Type' {
        $script = Join-Path $TestDrive 'dns.ps1'
        Write-PkiTestFile -Path $script -Text "param(`$Action, `$RecordName, `$RecordValue)`n"
        Register-RenewalHook -Type Deploy -ScriptBlock { param($Certificate) 'deploy' } -StorePath $store
        Register-RenewalHook -Type Dns -LiteralPath $script -StorePath $store

        $all = @(Get-RenewalHook -StorePath $store)
        $deploy = Get-RenewalHook Deploy -StorePath $store

        ($all.Type -join ',') | Should -Be 'Dns,Deploy'
        $all[0].Path | Should -Be $script
        $all[0].RegisteredAt | Should -BeGreaterThan ([System.DateTimeOffset]::UtcNow.AddMinutes(-5))
        $deploy.Type | Should -Be 'Deploy'
        $deploy.ScriptBlock | Should -Match "'deploy'"
    }

    It 'shows a hook in full at 80 columns' {
        Register-RenewalHook -Type Deploy -ScriptBlock { param($Certificate) Export-IssuedCertificate -Identifier $Certificate.Identifier -Path /etc/ssl/www.pem -Force } -StorePath $store

        $text = Get-RenewalHook -StorePath $store | Out-String -Width 80

        $text | Should -Match 'Type\s+: Deploy'
        ($text -replace '\s', '') | Should -Match ([regex]::Escape('/etc/ssl/www.pem'))
    }

    It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
        { Get-RenewalHook -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
            Should -Throw -ErrorId "StorePathInvalid,$Command"
    }
}

Describe 'Get-RenewalHook help' {
    It 'has a synopsis, a description and at least two examples that use the cmdlet' {
        $help = Get-Help -Name Get-RenewalHook -Full
        "$($help.Synopsis)".Trim() | Should -Match 'DNS hook'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in @($help.Examples.Example)) { "$($example.Code)" | Should -Match 'Get-RenewalHook' }
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Get-RenewalHook
    }
}
