# Pester 5 tests for New-ClientCertificate. They drive the built module (see TestHelpers.psm1); every test works in its
# own new store under TestDrive:, passed with -StorePath, with a root (Root) and an intermediate (Sub), ECC P-256.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $Command = 'PkiCmdlets.Commands.NewClientCertificateCommand'
}

Describe 'New-ClientCertificate' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store
        $rootFile = Join-Path $work 'root.pem'
        $subFile = Join-Path $work 'sub.pem'
        Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
        Write-PkiTestFile -Path $subFile -Text $ca.Sub.Pem
    }

    Context 'Examples' {
        It 'issues a client certificate for a key it makes, which openssl verifies for client use and not for server use' {
            $certificate = New-ClientCertificate -GenerateKey -Issuer 'Sub' -Email 'alice@example.com' -UserPrincipalName 'alice@corp.example.com' -KeyName 'alice' -StorePath $store
            $leaf = Join-Path $work 'alice.pem'
            Write-PkiTestFile -Path $leaf -Text $certificate.X509Certificate

            $client = Invoke-PkiOpenSsl -ArgumentList @('verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', $rootFile, '-untrusted', $subFile, $leaf)
            $server = Invoke-PkiOpenSsl -ArgumentList @('verify', '-purpose', 'sslserver', '-CAfile', $rootFile, '-untrusted', $subFile, $leaf)
            $text = (Invoke-PkiOpenSsl -ArgumentList @('x509', '-in', $leaf, '-noout', '-ext', 'extendedKeyUsage,subjectAltName')).Output

            $client.ExitCode | Should -Be 0 -Because $client.Output
            $server.ExitCode | Should -Not -Be 0
            $server.Output | Should -Match 'unsuitable certificate purpose'
            $text | Should -Match 'TLS Web Client Authentication'
            $text | Should -Not -Match 'TLS Web Server Authentication'
            $text | Should -Match 'email:alice@example.com'
            $text | Should -Match 'UPN::alice@corp.example.com'
            $certificate.Profile | Should -Be 'Client'
            $certificate.CommonName | Should -Be 'alice@example.com'
            (Get-Csr -Name 'alice' -StorePath $store).Id | Should -Be $certificate.CsrId
        }

        It 'exports the key it made in a PFX that .NET opens with the key' {
            $pfx = Join-Path $work 'bob.pfx'
            $password = ConvertTo-PkiTestSecureString -Text 'Bob-Pfx-Pa55'

            $null = New-ClientCertificate -GenerateKey -Issuer 'Sub' -CommonName 'Bob Smith' -Email 'bob@example.com' -StorePath $store |
                Export-IssuedCertificate -Format Pfx -Path $pfx -IncludeChain -IncludePrivateKey -Password $password -StorePath $store

            $opened = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 'Bob-Pfx-Pa55')
            $opened.HasPrivateKey | Should -BeTrue
            $opened.Subject | Should -Match 'CN=Bob Smith'
            @($opened.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension] }).EnhancedKeyUsages.Value | Should -Be @('1.3.6.1.5.5.7.3.2')
        }

        It 'issues from CSRs piped from New-Csr, naming their e-mail addresses and the URIs given' {
            $certificate = New-Csr -CommonName 'carol' -SubjectAlternativeName 'carol@example.com' -Algorithm ECC -StorePath $store |
                New-ClientCertificate -Issuer 'Sub' -Uri 'spiffe://example.org/ns/prod/sa/carol' -StorePath $store

            $certificate.EmailAddresses | Should -Be @('carol@example.com')
            $certificate.Uris | Should -Be @('spiffe://example.org/ns/prod/sa/carol')
            $certificate.Names | Should -Contain 'carol@example.com'
            (Get-IssuedCertificate -Profile Client -StorePath $store).Identifier | Should -Be $certificate.Identifier
            @(Get-IssuedCertificate -Profile Server -StorePath $store).Count | Should -Be 0
        }

        It 'issues a certificate that a server asking for client certificates takes, until it is revoked and the CRL is given' {
            $server = New-Csr -CommonName 'localhost' -SubjectAlternativeName '127.0.0.1' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $null = $server | Export-IssuedCertificate -Path (Join-Path $work 'server.pem') -KeyPath (Join-Path $work 'server.key') -StorePath $store
            $client = New-ClientCertificate -GenerateKey -Issuer 'Sub' -CommonName 'dave' -StorePath $store
            $null = $client | Export-IssuedCertificate -Path (Join-Path $work 'client.pem') -KeyPath (Join-Path $work 'client.key') -StorePath $store
            $emptyCrl = Join-Path $work 'empty.crl'
            $null = Publish-Crl -Issuer 'Sub' -Path $emptyCrl -Format Pem -StorePath $store
            function Connect-WithClientCertificate([string] $Crl) {
                $server = Start-PkiOpenSslServer -Certificate (Join-Path $work 'server.pem') -Key (Join-Path $work 'server.key') -Chain $subFile `
                    -ArgumentList @('-CAfile', $rootFile, '-Verify', '2', '-verify_return_error', '-crl_check', '-CRL', $Crl)
                try {
                    Invoke-PkiOpenSsl -ArgumentList @('s_client', '-connect', "127.0.0.1:$($server.Port)", '-CAfile', $rootFile, '-cert', (Join-Path $work 'client.pem'),
                        '-key', (Join-Path $work 'client.key'), '-cert_chain', $subFile, '-verify_return_error', '-ign_eof') -InputText "GET / HTTP/1.0`r`n`r`n"
                }
                finally {
                    Stop-PkiOpenSslServer -Server $server
                }
            }

            $accepted = Connect-WithClientCertificate -Crl $emptyCrl
            $null = Revoke-IssuedCertificate -Identifier $client.Identifier -Reason KeyCompromise -Confirm:$false -StorePath $store
            $revokedCrl = Join-Path $work 'revoked.crl'
            $null = Publish-Crl -Issuer 'Sub' -Path $revokedCrl -Format Pem -StorePath $store
            $refused = Connect-WithClientCertificate -Crl $revokedCrl

            $accepted.ExitCode | Should -Be 0 -Because $accepted.Output
            $accepted.Output | Should -Match 'HTTP/1.0 200 ok'
            $refused.ExitCode | Should -Not -Be 0
            $refused.Output | Should -Match 'certificate revoked'
        }

        It 'issues nothing and makes no key with -WhatIf' {
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = New-ClientCertificate -GenerateKey -Issuer 'Sub' -Email 'erin@example.com' -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Errors' {
        It 'writes <ErrorId> for <Case> and keeps neither key nor CSR' -ForEach @(
            @{ Case = 'a URI that is not absolute'; Splat = @{ Uri = 'not a uri' }; ErrorId = 'InvalidUri' }
            @{ Case = 'a SPIFFE ID with an upper-case trust domain'; Splat = @{ Uri = 'spiffe://Example.org/x' }; ErrorId = 'InvalidUri' }
            @{ Case = 'a user principal name without a domain'; Splat = @{ UserPrincipalName = 'alice' }; ErrorId = 'InvalidUserPrincipalName' }
            @{ Case = 'an e-mail address without a domain'; Splat = @{ Email = 'alice@' }; ErrorId = 'InvalidEmailAddress' }
            @{ Case = 'an IP address as a DNS name'; Splat = @{ DnsName = '192.0.2.1'; CommonName = 'x' }; ErrorId = 'InvalidDnsName' }
            @{ Case = 'a key of another family than the intermediate''s'; Splat = @{ Algorithm = 'RSA'; CommonName = 'x' }; ErrorId = 'KeyAlgorithmMismatch' }
            @{ Case = 'no name at all'; Splat = @{}; ErrorId = 'CommonNameMissing' }
            @{ Case = 'a root as issuer'; Splat = @{ Issuer = 'Root'; CommonName = 'x' }; ErrorId = 'IssuerNotIntermediate' }
        ) {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $parameters = @{ GenerateKey = $true; Issuer = 'Sub'; StorePath = $store; ErrorAction = 'Stop' }
            foreach ($key in $Splat.Keys) { $parameters[$key] = $Splat[$key] }

            { New-ClientCertificate @parameters } | Should -Throw -ErrorId "$ErrorId,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaKeyNotInStore for an intermediate the store keeps without its key' {
            $partnerKey = Join-Path $work 'partner.key'
            $partnerCsr = Join-Path $work 'partner.csr'
            $null = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $partnerKey, '-out', $partnerCsr, '-subj', '/CN=Partner CA')
            $null = New-SubCA -Issuer 'Root' -CsrPath $partnerCsr -Name 'Partner' -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { New-ClientCertificate -GenerateKey -Issuer 'Partner' -CommonName 'x' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "CaKeyNotInStore,$Command"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }
}
