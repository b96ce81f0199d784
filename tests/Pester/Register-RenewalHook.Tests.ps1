# Pester 5 tests for Register-RenewalHook. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath. The hooks are called by Invoke-CertificateRenewal (see its
# tests, which run a DNS hook against pebble-challtestsrv) and by Complete-CertificateOrder -Wait.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.RegisterRenewalHookCommand'
}

Describe 'Register-RenewalHook' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
    }

    It 'registers a script block, kept as its text, and calls it with named arguments' {
        $log = Join-Path $TestDrive ('hook-' + [guid]::NewGuid().ToString('N') + '.log')
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
        $hook = Register-RenewalHook -Type Deploy -ScriptBlock ([scriptblock]::Create("param(`$Certificate) Set-Content -LiteralPath '$log' -Value (`$Certificate.Identifier + ' ' + `$Certificate.Replaces)")) -PassThru -StorePath $store

        $renewed = Invoke-CertificateRenewal -Identifier $issued.Identifier -Force -StorePath $store

        $hook.GetType().FullName | Should -Be 'PkiCmdlets.Core.Orders.Hook'
        $hook.Type | Should -Be 'Deploy'
        $hook.ScriptBlock | Should -Match 'Set-Content'
        $hook.Path | Should -BeNullOrEmpty
        Get-Content -LiteralPath $log | Should -Be "$($renewed.ReplacedBy) $($issued.Identifier)"
    }

    It 'registers a script file by its full path, and runs it from there' {
        $null = New-PkiTestHierarchy -StorePath $store
        $issued = New-Csr -CommonName www.example.com -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer Sub -Days 45 -StorePath $store
        $folder = Join-Path $TestDrive ('hooks-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'deploy.log'
        Write-PkiTestFile -Path (Join-Path $folder 'deploy.ps1') -Text "param(`$Certificate)`nAdd-Content -LiteralPath '$log' -Value 'first'`n"
        Push-Location -LiteralPath $folder
        try {
            $hook = Register-RenewalHook Deploy -Path ./deploy.ps1 -PassThru -StorePath $store
        }
        finally {
            Pop-Location
        }
        # The file is run from its path, so a change to it counts without registering it again.
        Write-PkiTestFile -Path (Join-Path $folder 'deploy.ps1') -Text "param(`$Certificate)`nAdd-Content -LiteralPath '$log' -Value 'changed'`n"

        $null = Invoke-CertificateRenewal -Identifier $issued.Identifier -Force -StorePath $store

        $hook.Path | Should -Be (Join-Path $folder 'deploy.ps1')
        $hook.ScriptBlock | Should -BeNullOrEmpty
        Get-Content -LiteralPath $log | Should -Be 'changed'
    }

    It 'replaces the hook of the same type and leaves the other' {
        Register-RenewalHook -Type Dns -ScriptBlock { param($Action, $RecordName, $RecordValue) 'first' } -StorePath $store
        Register-RenewalHook -Type Deploy -ScriptBlock { param($Certificate) 'deploy' } -StorePath $store

        Register-RenewalHook -Type Dns -ScriptBlock { param($Action, $RecordName, $RecordValue) 'second' } -StorePath $store

        $hooks = @(Get-RenewalHook -StorePath $store)
        ($hooks.Type -join ',') | Should -Be 'Dns,Deploy'
        $hooks[0].ScriptBlock | Should -Match 'second'
        $hooks[1].ScriptBlock | Should -Match 'deploy'
    }

    It 'refuses a script file that is not there with PathNotFound, and changes nothing' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Register-RenewalHook -Type Dns -LiteralPath (Join-Path $TestDrive 'missing.ps1') -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "PathNotFound,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses an empty script block with HookScriptEmpty, and changes nothing' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        { Register-RenewalHook -Type Deploy -ScriptBlock { } -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "HookScriptEmpty,$Command"
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses a type that is not Dns or Deploy before the cmdlet runs' {
        { Register-RenewalHook -Type Http -ScriptBlock { 'x' } -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$Command"
    }

    It 'changes nothing with -WhatIf' {
        $null = New-PkiTestHierarchy -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        Register-RenewalHook -Type Dns -ScriptBlock { param($Action, $RecordName, $RecordValue) } -WhatIf -StorePath $store

        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'keeps the hooks owner-only in the store' -Skip:([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
        Register-RenewalHook -Type Dns -ScriptBlock { param($Action, $RecordName, $RecordValue) } -StorePath $store

        Get-PkiUnixFileMode -Path (Join-Path $store 'renewal/hooks.json') | Should -Be 384
    }
}

Describe 'Register-RenewalHook help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Register-RenewalHook -DescriptionPattern 'RecordValue'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Register-RenewalHook
    }
}
