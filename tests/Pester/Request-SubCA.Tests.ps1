# Pester 5 tests for Request-SubCA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath. openssl plays the offline root that signs the request.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.RequestSubCACommand'
}

Describe 'Request-SubCA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
    }

    Context 'Examples' {
        It 'makes the key and a request that openssl verifies and that asks for a CA''s extensions, written for everyone to read' {
            $path = Join-Path $work 'ops.csr'

            $pending = Request-SubCA -Name 'Ops' -CommonName 'Ops CA' -Organization 'Example' -Algorithm ECC -NoPassword -PathLength 0 -Path $path -StorePath $store

            $pending.Name | Should -Be 'Ops'
            $pending.CsrPath | Should -Be ([System.IO.Path]::GetFullPath($path))
            [System.IO.File]::ReadAllText($path) | Should -BeExactly $pending.Csr
            $text = Invoke-PkiOpenSsl -ArgumentList @('req', '-in', $path, '-noout', '-verify', '-text')
            $text.ExitCode | Should -Be 0
            $text.Output | Should -Match 'verify OK'
            $text.Output | Should -Match 'CA:TRUE, pathlen:0'
            $text.Output | Should -Match 'Certificate Sign, CRL Sign'
            $text.Output | Should -Match 'CN ?= ?Ops CA'
            if ($null -ne (Get-PkiUnixFileMode -Path $path)) { Get-PkiUnixFileMode -Path $path | Should -Be 420 }
        }

        It 'keeps the intermediate apart until its certificate comes back: Get-CA -Pending lists it, Get-CA does not' {
            $null = Request-SubCA -Name 'Ops' -CommonName 'Ops CA' -Algorithm ECC -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Ops-Pa55-word') -StorePath $store

            @(Get-CA -StorePath $store).Count | Should -Be 0
            $waiting = @(Get-CA -Pending -StorePath $store)
            $waiting.Count | Should -Be 1
            $waiting[0].KeyProtected | Should -BeTrue
            $waiting[0].Algorithm | Should -Be 'ECC_256'
        }

        It 'makes nothing with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $path = Join-Path $work 'ops.csr'

            Request-SubCA -Name 'Ops' -CommonName 'Ops CA' -NoPassword -Path $path -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            Test-Path -LiteralPath $path | Should -BeFalse
        }
    }

    Context 'Errors' {
        It 'writes <ErrorId> for <Case> and changes nothing' -ForEach @(
            @{ Case = 'neither -KeyPassword nor -NoPassword'; Splat = @{}; ErrorId = 'CaKeyPasswordRequired' }
            @{ Case = 'a path length out of range'; Splat = @{ NoPassword = $true; PathLength = 99 }; ErrorId = 'InvalidPathLength' }
            @{ Case = 'a CRL URL that is not http, https or ldap'; Splat = @{ NoPassword = $true; CrlUrl = 'ftp://x/y.crl' }; ErrorId = 'InvalidCrlUrl' }
        ) {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Request-SubCA -CommonName 'Ops CA' -StorePath $store -ErrorAction Stop @Splat } | Should -Throw -ErrorId "$ErrorId,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes DuplicateName for the name of a CA or of an intermediate already waiting, and changes nothing' {
            $null = New-RootCA -Name 'Root' -CommonName 'Root' -Algorithm ECC -NoPassword -StorePath $store
            $null = Request-SubCA -Name 'Ops' -CommonName 'Ops CA' -Algorithm ECC -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Request-SubCA -Name 'Root' -CommonName 'X' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "DuplicateName,$Command"
            { Request-SubCA -Name 'ops' -CommonName 'X' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "DuplicateName,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ExportFileExists for a request file that exists, without -Force, and makes no key' {
            $path = Join-Path $work 'exists.csr'
            Write-PkiTestFile -Path $path -Text 'keep'
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Request-SubCA -CommonName 'Ops CA' -NoPassword -Path $path -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "ExportFileExists,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            [System.IO.File]::ReadAllText($path) | Should -Be 'keep'
        }
    }
}
