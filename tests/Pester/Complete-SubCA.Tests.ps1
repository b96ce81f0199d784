# Pester 5 tests for Complete-SubCA. They drive the built module (see TestHelpers.psm1); every test works in its own
# new store under TestDrive:, passed with -StorePath. openssl is the offline root: its key never enters the store.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.CompleteSubCACommand'

    function New-OpenSslRoot {
        # A root whose key stays with openssl: the offline root.
        param([string] $Folder, [string] $Name = 'offline-root', [string] $CommonName = 'Offline Root CA')
        $key = Join-Path $Folder "$Name.key"
        $certificate = Join-Path $Folder "$Name.pem"
        $result = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $key, '-out', $certificate,
            '-days', '3650', '-subj', "/CN=$CommonName", '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
        if ($result.ExitCode -ne 0) { throw $result.Output }
        [pscustomobject]@{ Certificate = $certificate; Key = $key }
    }

    function Invoke-OpenSslSign {
        # openssl's root signs a request as a CA, keeping the extensions it asks for.
        param($Root, [string] $Csr, [string] $Out)
        $ext = "$Out.ext"
        Write-PkiTestFile -Path $ext -Text "subjectKeyIdentifier=hash`nauthorityKeyIdentifier=keyid`n"
        $result = Invoke-PkiOpenSsl -ArgumentList @('x509', '-req', '-in', $Csr, '-CA', $Root.Certificate, '-CAkey', $Root.Key, '-CAcreateserial', '-days', '1825',
            '-copy_extensions', 'copyall', '-extfile', $ext, '-out', $Out)
        if ($result.ExitCode -ne 0) { throw $result.Output }
        $Out
    }
}

Describe 'Complete-SubCA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $root = New-OpenSslRoot -Folder $work
        $csr = Join-Path $work 'ops.csr'
        $pending = Request-SubCA -Name 'Ops' -CommonName 'Ops CA' -Algorithm ECC -NoPassword -Path $csr -StorePath $store
    }

    Context 'Examples' {
        It 'brings the signed certificate in with the root after it in the file, and the intermediate issues what openssl verifies' {
            $signed = Invoke-OpenSslSign -Root $root -Csr $csr -Out (Join-Path $work 'ops.crt')
            $bundle = Join-Path $work 'ops-chain.pem'
            Write-PkiTestFile -Path $bundle -Text ((Get-Content -LiteralPath $signed -Raw) + (Get-Content -LiteralPath $root.Certificate -Raw))

            $ops = Complete-SubCA -Name 'Ops' -CertificatePath $bundle -StorePath $store

            $ops.Id | Should -Be $pending.Id
            $ops.HasKey | Should -BeTrue
            $anchor = Get-CA -Root -StorePath $store
            $anchor.HasKey | Should -BeFalse
            $ops.IssuerId | Should -Be $anchor.Id
            @(Get-CA -Pending -StorePath $store).Count | Should -Be 0
            $leaf = Join-Path $work 'leaf.pem'
            $null = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Ops' -StorePath $store |
                Export-IssuedCertificate -Path $leaf -StorePath $store
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', $root.Certificate, '-untrusted', $signed, $leaf)
            $verify.ExitCode | Should -Be 0 -Because $verify.Output
        }

        It 'links to the offline root already in the store when the certificate comes alone, and takes the pending CA from the pipeline' {
            $null = Import-CA -CertificatePath $root.Certificate -Name 'Offline' -StorePath $store
            $signed = Invoke-OpenSslSign -Root $root -Csr $csr -Out (Join-Path $work 'ops.crt')

            $ops = Get-CA -Pending -StorePath $store | Complete-SubCA -CertificatePath $signed -StorePath $store

            $ops.IssuerName | Should -Be 'Offline'
        }
    }

    Context 'Errors' {
        It 'writes CaPendingKeyMismatch for a certificate signed for another request, and changes nothing' {
            $otherCsr = Join-Path $work 'other.csr'
            $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', (Join-Path $work 'other.key'),
                '-out', $otherCsr, '-subj', '/CN=Ops CA', '-addext', 'basicConstraints=critical,CA:true')
            $other = Invoke-OpenSslSign -Root $root -Csr $otherCsr -Out (Join-Path $work 'other.crt')
            $null = Import-CA -CertificatePath $root.Certificate -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Complete-SubCA -Name 'Ops' -CertificatePath $other -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaPendingKeyMismatch,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            @(Get-CA -Pending -StorePath $store).Count | Should -Be 1
        }

        It 'writes CaChainBroken for a file whose chain does not link, and CaImportIssuerMissing for a certificate without its issuer, and changes nothing' {
            $signed = Invoke-OpenSslSign -Root $root -Csr $csr -Out (Join-Path $work 'ops.crt')
            $stranger = New-OpenSslRoot -Folder $work -Name 'stranger' -CommonName 'Stranger Root CA'
            $broken = Join-Path $work 'broken.pem'
            Write-PkiTestFile -Path $broken -Text ((Get-Content -LiteralPath $signed -Raw) + (Get-Content -LiteralPath $stranger.Certificate -Raw))
            $before = Get-PkiStoreSnapshot -StorePath $store

            { Complete-SubCA -Name 'Ops' -CertificatePath $broken -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaChainBroken,$Command"
            { Complete-SubCA -Name 'Ops' -CertificatePath $signed -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "CaImportIssuerMissing,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes PendingCaNotFound for a name that is not waiting' {
            { Complete-SubCA -Name 'Nobody' -CertificatePath $root.Certificate -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId "PendingCaNotFound,$Command"
        }

        It 'changes nothing with -WhatIf' {
            $signed = Invoke-OpenSslSign -Root $root -Csr $csr -Out (Join-Path $work 'ops.crt')
            $before = Get-PkiStoreSnapshot -StorePath $store

            Complete-SubCA -Name 'Ops' -CertificatePath $signed -StorePath $store -WhatIf

            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
