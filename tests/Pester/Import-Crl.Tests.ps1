# Pester 5 tests for Import-Crl. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath. openssl is the offline root that signs its CRL where its key is.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.ImportCrlCommand'

    function New-OpenSslCrl {
        # The CRL of an openssl CA, with the CRL number given.
        param([string] $Folder, [string] $Certificate, [string] $Key, [int] $Number, [string] $Out)
        $db = Join-Path $Folder ('db-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $db
        Write-PkiTestFile -Path (Join-Path $db 'index.txt') -Text ''
        Write-PkiTestFile -Path (Join-Path $db 'crlnumber') -Text ('{0:X2}' -f $Number)
        $config = Join-Path $db 'ca.cnf'
        Write-PkiTestFile -Path $config -Text "[ca]`ndefault_ca=d`n[d]`ndatabase=$(Join-Path $db 'index.txt')`ncrlnumber=$(Join-Path $db 'crlnumber')`ndefault_md=sha256`ndefault_crl_days=30`n"
        $result = Invoke-PkiOpenSsl -ArgumentList @('ca', '-config', $config, '-gencrl', '-keyfile', $Key, '-cert', $Certificate, '-out', $Out)
        if ($result.ExitCode -ne 0) { throw $result.Output }
        $Out
    }
}

Describe 'Import-Crl' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $rootKey = Join-Path $work 'root.key'
        $rootPem = Join-Path $work 'root.pem'
        $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $rootKey, '-out', $rootPem,
            '-days', '3650', '-subj', '/CN=Offline Root CA', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
        $null = Import-CA -CertificatePath $rootPem -Name 'Offline' -StorePath $store
    }

    Context 'Examples' {
        It 'keeps the offline root''s CRL as its latest, which Export-CA -CrlPath then writes' {
            $crl = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 5 -Out (Join-Path $work 'root.crl')

            $kept = Import-Crl -Path $crl -StorePath $store

            $kept.IssuerName | Should -Be 'Offline'
            $kept.CrlNumber | Should -Be 5
            $kept.RevokedCount | Should -Be 0
            Test-Path -LiteralPath $kept.StoreFile | Should -BeTrue
            $exported = Join-Path $work 'crls.pem'
            $null = Export-CA -Name 'Offline' -Path (Join-Path $work 'offline.pem') -CrlPath $exported -StorePath $store
            (Invoke-PkiOpenSsl -ArgumentList @('crl', '-in', $exported, '-noout', '-crlnumber')).Output | Should -Match 'crlNumber=0x05'
        }

        It 'takes a newer CRL over an older one, from files piped in' {
            $null = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 5 -Out (Join-Path $work 'a-root.crl')
            $null = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 6 -Out (Join-Path $work 'b-root.crl')

            $kept = @(Get-ChildItem -Path (Join-Path $work '*.crl') | Sort-Object Name | Import-Crl -StorePath $store)

            ($kept | ForEach-Object CrlNumber) -join ',' | Should -Be '5,6'
        }
    }

    Context 'Errors' {
        It 'writes CrlNotNewer for a CRL whose number is not higher than the one kept, and changes nothing' {
            $crl = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 5 -Out (Join-Path $work 'root.crl')
            $null = Import-Crl -Path $crl -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Import-Crl -Path $crl -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CrlNotNewer,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CrlIssuerNotFound for a CRL no CA of the store signed, or not the CA named, and changes nothing' {
            $strangerKey = Join-Path $work 'stranger.key'
            $strangerPem = Join-Path $work 'stranger.pem'
            $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $strangerKey, '-out', $strangerPem,
                '-days', '30', '-subj', '/CN=Offline Root CA', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
            $foreign = New-OpenSslCrl -Folder $work -Certificate $strangerPem -Key $strangerKey -Number 9 -Out (Join-Path $work 'foreign.crl')
            $own = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 9 -Out (Join-Path $work 'own.crl')
            $null = New-RootCA -Name 'Other' -CommonName 'Other Root' -Algorithm ECC -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Import-Crl -Path $foreign -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CrlIssuerNotFound,$Command"
            { Import-Crl -Path $own -Issuer 'Other' -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CrlIssuerNotFound,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CrlUnreadable for a file that is not a CRL' {
            $garbage = Join-Path $work 'garbage.crl'
            Write-PkiTestFile -Path $garbage -Text 'not a CRL'
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Import-Crl -Path $garbage -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CrlUnreadable,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'changes nothing with -WhatIf' {
            $crl = New-OpenSslCrl -Folder $work -Certificate $rootPem -Key $rootKey -Number 5 -Out (Join-Path $work 'root.crl')
            $before = Get-PkiStoreSnapshot -StorePath $store

            Import-Crl -Path $crl -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
