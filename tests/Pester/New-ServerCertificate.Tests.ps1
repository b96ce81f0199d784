# Pester 5 tests for New-ServerCertificate. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath, with a root (Root) and an intermediate (Sub) that have
# ECC P-256 keys without a password.

BeforeDiscovery {
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CertificateTypeName = 'PkiCmdlets.Core.Authority.IssuedCertificate'
    $BasicConstraintsOid = '2.5.29.19'
    $KeyUsageOid = '2.5.29.15'
    $ExtendedKeyUsageOid = '2.5.29.37'
    $SubjectAlternativeNameOid = '2.5.29.17'
    $SubjectKeyIdentifierOid = '2.5.29.14'
    $AuthorityKeyIdentifierOid = '2.5.29.35'
    $CrlDistributionPointsOid = '2.5.29.31'
    $ServerAuthOid = '1.3.6.1.5.5.7.3.1'
}

Describe 'New-ServerCertificate' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store
    }

    Context 'Examples' {
        It 'issues a certificate for a CSR piped from New-Csr and returns it' {
            $csr = New-Csr -CommonName 'www.example.com' -SubjectAlternativeName 'example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $certificate.GetType().FullName | Should -Be $CertificateTypeName
            $certificate.Identifier | Should -Match '^[0-9a-f]{32}$'
            $certificate.SerialNumber | Should -Match '^[0-9A-F]{32}$'
            $certificate.SerialNumber | Should -Be $certificate.Certificate.SerialNumber
            $certificate.Identifier | Should -Not -Be $certificate.SerialNumber.ToLowerInvariant()
            $certificate.CommonName | Should -Be 'www.example.com'
            ($certificate.DnsNames -join ',') | Should -Be 'www.example.com,example.com'
            @($certificate.IpAddresses).Count | Should -Be 0
            $certificate.Algorithm | Should -Be 'ECC_256'
            $certificate.IssuerName | Should -Be 'Sub'
            $certificate.IssuerId | Should -Be $ca.Sub.Id
            "$($certificate.Status)" | Should -Be 'Valid'
            $certificate.RevokedAt | Should -BeNullOrEmpty
            $certificate.RevocationReason | Should -BeNullOrEmpty
            $certificate.CsrId | Should -Be $csr.Id
            $certificate.Thumbprint | Should -Be $certificate.Certificate.Thumbprint
            $certificate.Certificate.Issuer | Should -Be $ca.Sub.Certificate.Subject
            $certificate.X509Certificate | Should -Match '^-----BEGIN CERTIFICATE-----\n'
            $certificate.CertificateChain | Should -BeNullOrEmpty
            $certificate.NotAfter | Should -Be $certificate.NotBefore.AddDays(365)
            ($certificate.NotBefore - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            ($certificate.IssuedAt - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
            $certificate.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
            $journal = Join-Path $store "issued/$($ca.Sub.Id)/certificates.journal"
            $journal | Should -Exist
            # The header, then one line for the certificate: its record, a tab, and its base64 DER.
            $lines = @(Get-Content -LiteralPath $journal)
            $lines.Count | Should -Be 2
            $lines[1] | Should -Match ([regex]::Escape($certificate.Identifier))
            $lines[1].Split("`t")[1] | Should -Be ([System.Convert]::ToBase64String($certificate.Certificate.RawData))
            (Get-IssuedCertificate -StorePath $store).Identifier | Should -Be $certificate.Identifier
            # The CSR is left as it was and can be issued again.
            (Get-Csr -Id $csr.Id -StorePath $store).Csr | Should -Be $csr.Csr
        }

        It 'fills the subject from the intermediate where the request has nothing' {
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $certificate.Subject | Should -Be 'CN=www.example.com, OU=Ops, O=Example Org, L=Hangzhou, S=Zhejiang, C=US'
            # The form of X509Certificate2.Subject, as for a CA's Subject.
            $certificate.Subject | Should -Be $certificate.Certificate.Subject
            (Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store).Subject | Should -Be $certificate.Subject
        }

        It 'takes each subject attribute from the parameter, else the request, else the intermediate' {
            $csr = New-Csr -CommonName 'app.example.com' -Organization 'Request Org' -Country 'DE' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -Locality 'Berlin' -OrganizationalUnit '' -StorePath $store

            $certificate.Subject | Should -Be 'CN=app.example.com, O=Request Org, L=Berlin, S=Zhejiang, C=DE'
        }

        It 'keeps the request''s common name when -CommonName is <Case>' -ForEach @(
            @{ Case = 'empty'; Value = '' }
            @{ Case = 'blank'; Value = '   ' }
        ) {
            $csr = New-Csr -CommonName 'kept.example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -CommonName $Value -StorePath $store

            $certificate.CommonName | Should -Be 'kept.example.com'
            ($certificate.DnsNames -join ',') | Should -Be 'kept.example.com'
        }

        It 'replaces the common name with -CommonName and puts it first in the SANs' {
            $csr = New-Csr -CommonName 'old.example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -CommonName 'new.example.com' -StorePath $store

            $certificate.CommonName | Should -Be 'new.example.com'
            ($certificate.DnsNames -join ',') | Should -Be 'new.example.com,old.example.com'
        }

        It 'adds the names of -Domain after the request''s, without repeating any' {
            $csr = New-Csr -CommonName 'www.example.com' -SubjectAlternativeName 'example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -Domain 'api.example.com, 192.0.2.10', 'WWW.Example.com', '2001:DB8::10' -StorePath $store

            ($certificate.DnsNames -join ',') | Should -Be 'www.example.com,example.com,api.example.com'
            ($certificate.IpAddresses -join ',') | Should -Be '192.0.2.10,2001:db8::10'
        }

        It 'issues for a free-text common name when the request has DNS names' {
            $csr = New-Csr -CommonName 'Example Intranet' -SubjectAlternativeName 'intranet.example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $certificate.CommonName | Should -Be 'Example Intranet'
            ($certificate.DnsNames -join ',') | Should -Be 'intranet.example.com'
        }

        It 'writes the server profile: not a CA, digitalSignature, serverAuth, SANs and key identifiers, no CRL point' {
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $x509 = $certificate.Certificate

            $basic = Get-PkiCertificateExtension -Certificate $x509 -Oid $BasicConstraintsOid
            $basic.Critical | Should -BeTrue
            $basic.CertificateAuthority | Should -BeFalse
            $usage = Get-PkiCertificateExtension -Certificate $x509 -Oid $KeyUsageOid
            $usage.Critical | Should -BeTrue
            "$($usage.KeyUsages)" | Should -Be 'DigitalSignature'
            $extended = Get-PkiCertificateExtension -Certificate $x509 -Oid $ExtendedKeyUsageOid
            @($extended.EnhancedKeyUsages | ForEach-Object { $_.Value }) | Should -Contain $ServerAuthOid
            Get-PkiCertificateExtension -Certificate $x509 -Oid $SubjectAlternativeNameOid | Should -Not -BeNullOrEmpty
            Get-PkiCertificateExtension -Certificate $x509 -Oid $SubjectKeyIdentifierOid | Should -Not -BeNullOrEmpty
            Get-PkiCertificateExtension -Certificate $x509 -Oid $AuthorityKeyIdentifierOid | Should -Not -BeNullOrEmpty
            Get-PkiCertificateExtension -Certificate $x509 -Oid $CrlDistributionPointsOid | Should -BeNullOrEmpty
            $x509.Version | Should -Be 3
            $x509.SignatureAlgorithm.Value | Should -Be '1.2.840.10045.4.3.2' # ecdsa-with-SHA256, the intermediate's key
            $certificate.Profile | Should -Be 'Server'
            (Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store).Profile | Should -Be 'Server'
        }

        It 'adds keyEncipherment for an RSA key issued by an RSA intermediate' {
            $rsaStore = New-PkiTestStorePath -Root $TestDrive
            $null = New-PkiTestHierarchy -StorePath $rsaStore -Algorithm RSA
            $pem = New-PkiRsaCsrPem -CommonName 'rsa.example.com' -KeySize 2048

            $certificate = New-ServerCertificate -Csr $pem -Issuer 'Sub' -StorePath $rsaStore

            $certificate.Algorithm | Should -Be 'RSA_2048'
            $usage = Get-PkiCertificateExtension -Certificate $certificate.Certificate -Oid $KeyUsageOid
            "$($usage.KeyUsages)" | Should -Be 'KeyEncipherment, DigitalSignature'
            $certificate.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.840.113549.1.1.11' # sha256WithRSAEncryption
        }

        It 'takes the request from a PEM file or a DER file with -CsrPath' {
            $csr = New-Csr -CommonName 'file.example.com' -Algorithm ECC -StorePath $store
            $pemFile = Join-Path $work 'file.csr'
            $derFile = Join-Path $work 'file.der'
            Write-PkiTestFile -Path $pemFile -Text $csr.Csr
            [System.IO.File]::WriteAllBytes($derFile, (Get-PkiPemBytes -Path $pemFile))

            $fromPem = New-ServerCertificate -CsrPath $pemFile -Issuer 'Sub' -StorePath $store
            $fromDer = New-ServerCertificate -CsrPath $derFile -Issuer 'Sub' -StorePath $store

            $fromPem.CommonName | Should -Be 'file.example.com'
            $fromDer.CommonName | Should -Be 'file.example.com'
            $fromDer.CsrId | Should -Be $csr.Id
        }

        It 'takes a request file that Out-File wrote in UTF-16 or UTF-32 with a byte order mark' {
            $csr = New-Csr -CommonName 'wide.example.com' -Algorithm ECC -StorePath $store
            foreach ($encoding in 'unicode', 'bigendianunicode', 'utf32') {
                $file = Join-Path $work "wide-$encoding.csr"
                $csr.Csr | Out-File -FilePath $file -Encoding $encoding

                $certificate = New-ServerCertificate -CsrPath $file -Issuer 'Sub' -StorePath $store

                $certificate.CommonName | Should -Be 'wide.example.com'
                $certificate.CsrId | Should -Be $csr.Id
            }
        }

        It 'takes PEM text from the pipeline, the parameters'' aliases, and -BeforeTime with -AfterTime' {
            $csr = New-Csr -CommonName 'seed.example.com' -Algorithm ECC -StorePath $store
            $notBefore = [System.DateTime]::UtcNow.Date.AddDays(1)
            $notAfter = $notBefore.AddDays(30)

            $certificate = $csr.Csr | New-ServerCertificate -ParentIdentifier $ca.Sub.Id -BeforeTime $notBefore -AfterTime $notAfter -Algorithm 'ECC_256' -StorePath $store

            $certificate.IssuerId | Should -Be $ca.Sub.Id
            $certificate.NotBefore.UtcDateTime | Should -Be $notBefore
            $certificate.NotAfter.UtcDateTime | Should -Be $notAfter
        }

        It 'takes the intermediate as a CA object' {
            $certificate = New-Csr -CommonName 'object.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer $ca.Sub -StorePath $store

            $certificate.IssuerId | Should -Be $ca.Sub.Id
        }

        It 'uses -Days over -NotBefore and -NotAfter, which then need not come in pairs' {
            $csr = New-Csr -CommonName 'days.example.com' -Algorithm ECC -StorePath $store

            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -Days 10 -NotBefore ([System.DateTime]::UtcNow.AddDays(5)) -StorePath $store

            $certificate.NotAfter | Should -Be $certificate.NotBefore.AddDays(10)
            ($certificate.NotBefore - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
        }

        It 'cuts the default validity of 365 days to the end of an intermediate that ends sooner' {
            $short = New-SubCA -CommonName 'Short Sub' -Name 'ShortSub' -Issuer 'Root' -Days 30 -Algorithm ECC -NoPassword -StorePath $store

            $certificate = New-Csr -CommonName 'short.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'ShortSub' -StorePath $store

            $certificate.NotAfter | Should -Be $short.NotAfter
            ($certificate.NotBefore - [System.DateTimeOffset]::UtcNow).Duration().TotalMinutes | Should -BeLessThan 5
        }

        It 'issues a wildcard name below a subdomain-only name constraint' {
            $null = New-SubCA -CommonName 'Dotted Sub' -Name 'Dotted' -Issuer 'Root' -PermittedDnsDomain '.example.com' -Algorithm ECC -NoPassword -StorePath $store

            $certificate = New-Csr -CommonName '*.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Dotted' -StorePath $store

            ($certificate.DnsNames -join ',') | Should -Be '*.example.com'
            # The domain itself is outside a subdomain-only constraint.
            { New-Csr -CommonName 'example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Dotted' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'NameNotPermitted,PkiCmdlets.Commands.NewServerCertificateCommand'
        }

        It 'adds -Years and -Months together' {
            $certificate = New-Csr -CommonName 'months.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -Years 1 -Months 2 -StorePath $store

            $certificate.NotAfter | Should -Be ($certificate.NotBefore.AddYears(1).AddMonths(2))
        }

        It 'issues a certificate for a service that is a TLS server and client with -Profile ServerAndClient, which openssl verifies for both' {
            $leaf = Join-Path $work 'svc.pem'
            $rootFile = Join-Path $work 'root.pem'
            $subFile = Join-Path $work 'sub.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            Write-PkiTestFile -Path $subFile -Text $ca.Sub.Pem

            $certificate = New-Csr -CommonName 'svc.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -Profile ServerAndClient -Uri 'spiffe://example.org/svc' -StorePath $store
            Write-PkiTestFile -Path $leaf -Text $certificate.X509Certificate

            $certificate.Profile | Should -Be 'ServerAndClient'
            $certificate.Uris | Should -Be @('spiffe://example.org/svc')
            foreach ($purpose in 'sslserver', 'sslclient') {
                $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-x509_strict', '-purpose', $purpose, '-CAfile', $rootFile, '-untrusted', $subFile, $leaf)
                $verify.ExitCode | Should -Be 0 -Because "$purpose`: $($verify.Output)"
            }
            (Get-IssuedCertificate -Profile ServerAndClient -StorePath $store).Identifier | Should -Be $certificate.Identifier
        }

        It 'returns the chain up to the root with -IncludeChain' {
            $certificate = New-Csr -CommonName 'chain.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -IncludeChain -StorePath $store

            $certificate.CertificateChain | Should -Be ($ca.Sub.Pem + $ca.Root.Pem)
        }

        It 'puts the intermediate''s CRL URL into the certificate with -EnableCrl' {
            $null = New-SubCA -CommonName 'Crl Sub' -Name 'CrlSub' -Issuer 'Root' -CrlUrl 'http://pki.example.com/crlsub.crl' -Algorithm ECC -NoPassword -StorePath $store

            $certificate = New-Csr -CommonName 'crl.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'CrlSub' -EnableCrl -StorePath $store

            $distribution = Get-PkiCertificateExtension -Certificate $certificate.Certificate -Oid $CrlDistributionPointsOid
            $distribution | Should -Not -BeNullOrEmpty
            [System.Text.Encoding]::ASCII.GetString($distribution.RawData) | Should -Match ([regex]::Escape('http://pki.example.com/crlsub.crl'))
        }

        It 'issues for a request made elsewhere, which no CSR of the store holds the key of' {
            $pem = New-PkiRsaCsrPem -CommonName 'elsewhere.example.com'
            $rsaStore = New-PkiTestStorePath -Root $TestDrive
            $null = New-PkiTestHierarchy -StorePath $rsaStore -Algorithm RSA

            $certificate = New-ServerCertificate -Csr $pem -Issuer 'Sub' -StorePath $rsaStore

            $certificate.CsrId | Should -BeNullOrEmpty
            ($certificate.DnsNames -join ',') | Should -Be 'elsewhere.example.com'
        }

        It 'issues unique serial numbers and identifiers for the same request' {
            $csr = New-Csr -CommonName 'twice.example.com' -Algorithm ECC -StorePath $store

            $first = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $second = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store

            $second.SerialNumber | Should -Not -Be $first.SerialNumber
            $second.Identifier | Should -Not -Be $first.Identifier
            @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 2
        }

        It 'issues a certificate for each of many requests piped to it, in order, and records them with one append' {
            $csrs = 1..5 | ForEach-Object { New-Csr -CommonName "host$_.example.com" -Algorithm ECC -StorePath $store }

            $issued = @($csrs | New-ServerCertificate -Issuer 'Sub' -StorePath $store)

            ($issued | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'host1.example.com,host2.example.com,host3.example.com,host4.example.com,host5.example.com'
            @($issued | ForEach-Object { $_.SerialNumber } | Sort-Object -Unique).Count | Should -Be 5
            ($issued | ForEach-Object { $_.CsrId }) -join ',' | Should -Be (($csrs | ForEach-Object { $_.Id }) -join ',')
            @(Get-Content -LiteralPath (Join-Path $store "issued/$($ca.Sub.Id)/certificates.journal")).Count | Should -Be 6
            @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 5
        }

        It 'changes nothing with -WhatIf' {
            $csr = New-Csr -CommonName 'whatif.example.com' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'issues the others when one request of the pipeline fails' {
            $good1 = New-Csr -CommonName 'one.example.com' -Algorithm ECC -StorePath $store
            $good2 = New-Csr -CommonName 'two.example.com' -Algorithm ECC -StorePath $store

            $issued = @($good1.Csr, 'not a request', $good2.Csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($issued | ForEach-Object { $_.CommonName }) -join ',' | Should -Be 'one.example.com,two.example.com'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            # Never the text itself, which may be a key given by mistake; a request that reads is named by its common name.
            $failures[0].TargetObject | Should -Be '-Csr'
        }

        It 'checks and signs many piped requests in parallel yet returns them in order and refuses each bad one in its turn' {
            $csrs = 1..12 | ForEach-Object { (New-Csr -CommonName "host$_.example.com" -Algorithm ECC -StorePath $store).Csr }
            $tampered = Get-PkiTamperedPem -Pem $csrs[3] -Text 'host4.example.com'
            $piped = @($csrs[0..2]) + @($tampered) + @($csrs[4..7]) + @('not a request') + @($csrs[8..11])

            $issued = @($piped | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            ($issued | ForEach-Object { $_.CommonName }) -join ',' |
                Should -Be ((1..12 | Where-Object { $_ -ne 4 } | ForEach-Object { "host$_.example.com" }) -join ',')
            ($failures | ForEach-Object { $_.FullyQualifiedErrorId }) -join ';' |
                Should -Be 'CsrSignatureInvalid,PkiCmdlets.Commands.NewServerCertificateCommand;InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            # Named by its common name as it reads (the tampering flipped its first letter), never by the text.
            $failures[0].TargetObject | Should -Be 'iost4.example.com'
            @($issued | ForEach-Object { $_.SerialNumber } | Sort-Object -Unique).Count | Should -Be 11
            @(Get-IssuedCertificate -StorePath $store).Count | Should -Be 11
        }

        It 'stops at the first bad request of a pipeline with -ErrorAction Stop and records none of its batch' {
            $csrs = 1..6 | ForEach-Object { (New-Csr -CommonName "stop$_.example.com" -Algorithm ECC -StorePath $store).Csr }
            $before = Get-PkiStoreSnapshot -StorePath $store

            { @($csrs[0..2]) + @('not a request') + @($csrs[3..5]) | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'makes a certificate that openssl verifies through the intermediate to the root' {
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $rootFile = Join-Path $work 'root.pem'
            $subFile = Join-Path $work 'sub.pem'
            $leafFile = Join-Path $work 'www.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            Write-PkiTestFile -Path $subFile -Text $ca.Sub.Pem
            Write-PkiTestFile -Path $leafFile -Text $certificate.X509Certificate

            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-purpose', 'sslserver', '-CAfile', $rootFile, '-untrusted', $subFile, $leafFile)

            $verify.Output | Should -Match 'www\.pem: OK'
            $verify.ExitCode | Should -Be 0
        }

        It 'makes an SM2 certificate that OpenSSL 3 verifies one signature at a time' {
            $version = (Invoke-PkiOpenSsl -ArgumentList @('version')).Output
            $version | Should -Match '^OpenSSL 3' -Because 'SM2 signatures need OpenSSL 3 to be verified'
            $smStore = New-PkiTestStorePath -Root $TestDrive
            $sm = New-PkiTestHierarchy -StorePath $smStore -Algorithm SM2
            $certificate = New-Csr -CommonName 'sm2.example.cn' -Algorithm SM2 -StorePath $smStore | New-ServerCertificate -Issuer 'Sub' -StorePath $smStore
            $subFile = Join-Path $work 'sm2-sub.pem'
            $leafFile = Join-Path $work 'sm2-server.pem'
            Write-PkiTestFile -Path $subFile -Text $sm.Sub.Pem
            Write-PkiTestFile -Path $leafFile -Text $certificate.X509Certificate

            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-vfyopt', 'distid:1234567812345678', '-partial_chain', '-CAfile', $subFile, $leafFile)

            $certificate.Certificate.SignatureAlgorithm.Value | Should -Be '1.2.156.10197.1.501'
            $verify.Output | Should -Match 'sm2-server\.pem: OK'
            $verify.ExitCode | Should -Be 0
        }
    }

    Context 'Errors' {
        BeforeEach {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $null = New-SubCA -CommonName 'Constrained Sub' -Name 'Constrained' -Issuer 'Root' -PermittedDnsDomain 'example.com' -Algorithm ECC -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes UriNotTaken for a URI in a server certificate alone, and leaves the store as it was' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            { $csr | New-ServerCertificate -Issuer 'Sub' -Uri 'spiffe://example.org/www' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'UriNotTaken,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes InvalidPem for a truncated request and leaves the store as it was' {
            $truncated = $csr.Csr.Substring(0, [int]($csr.Csr.Length / 2))

            { New-ServerCertificate -Csr $truncated -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes InvalidPem for text that is not a request, with -Csr as target' {
            { New-ServerCertificate -Csr 'not a request' -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            New-ServerCertificate -Csr 'not a request' -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].TargetObject | Should -Be '-Csr'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CsrUnreadable for a PEM block that is not a PKCS #10 request' {
            $bytes = Get-PkiPemBytes -Path (Join-Path $store "csrs/$($csr.Id).csr.pem")
            $cut = ConvertTo-PkiPem -Label 'CERTIFICATE REQUEST' -Bytes $bytes[0..([int]($bytes.Length / 2))]

            { New-ServerCertificate -Csr $cut -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrUnreadable,PkiCmdlets.Commands.NewServerCertificateCommand'
            New-ServerCertificate -Csr $cut -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].TargetObject | Should -Be '-Csr'
            $failures[0].Exception.Message | Should -Match '-Csr'
            { New-ServerCertificate -Csr $ca.Root.Pem.Replace('CERTIFICATE', 'CERTIFICATE REQUEST') -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrUnreadable,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CsrSignatureInvalid for a tampered request' {
            $tampered = Get-PkiTamperedPem -Pem $csr.Csr -Text 'www.example.com'

            { New-ServerCertificate -Csr $tampered -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrSignatureInvalid,PkiCmdlets.Commands.NewServerCertificateCommand'
            New-ServerCertificate -Csr $tampered -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures
            # The common name as the request gives it: the one bit changed is in it.
            $failures[0].TargetObject | Should -Be 'vww.example.com'
            $failures[0].Exception.Message | Should -Match '-Csr'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'names the file in the message and as the target for a bad -CsrPath request' {
            $file = Join-Path $work 'tampered.csr'
            $tampered = Get-PkiTamperedPem -Pem $csr.Csr -Text 'www.example.com'
            Write-PkiTestFile -Path $file -Text $tampered

            New-ServerCertificate -CsrPath $file -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CsrSignatureInvalid,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].TargetObject | Should -Be $file
            $failures[0].Exception.Message | Should -Match ([regex]::Escape('tampered.csr'))
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'puts no private key given by mistake as -CsrPath or -Csr into the error record' {
            $ecdsa = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
            $keyPem = $ecdsa.ExportPkcs8PrivateKeyPem()
            $ecdsa.Dispose()
            $keyFile = Join-Path $work 'server.key'
            Write-PkiTestFile -Path $keyFile -Text $keyPem

            New-ServerCertificate -CsrPath $keyFile -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures
            New-ServerCertificate -Csr $keyPem -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable +failures

            $failures.Count | Should -Be 2
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].TargetObject | Should -Be $keyFile
            $failures[1].FullyQualifiedErrorId | Should -Be 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[1].TargetObject | Should -Be '-Csr'
            $keyBody = ($keyPem -split "`n")[1]
            foreach ($failure in $failures) {
                ($failure | Out-String -Width 4096) + ($failure | Format-List * -Force | Out-String -Width 4096) | Should -Not -Match ([regex]::Escape($keyBody))
            }
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes InputNestingTooDeep in milliseconds for a request file nested 40,000 levels deep' {
            $file = Join-Path $work 'deep.der'
            $depth = 40000
            $bytes = [byte[]]::new(4 * $depth)
            for ($i = 0; $i -lt $depth; $i++) {
                $bytes[2 * $i] = 0x30
                $bytes[2 * $i + 1] = 0x80 # BER indefinite length: the end is two zero bytes per level
            }
            [System.IO.File]::WriteAllBytes($file, $bytes)
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            New-ServerCertificate -CsrPath $file -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InputNestingTooDeep,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].TargetObject | Should -Be $file
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CsrSignatureAlgorithmNotAllowed for a request openssl signed with SHA-1' {
            $keyFile = Join-Path $work 'sha1.key'
            $csrFile = Join-Path $work 'sha1.csr'
            # The request goes to a file: openssl's stderr ("-----" after "writing new private key") may interleave with stdout.
            $made = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                '-keyout', $keyFile, '-out', $csrFile, '-subj', '/CN=sha1.example.com', '-sha1')
            $made.ExitCode | Should -Be 0 -Because $made.Output
            $sha1 = Get-Content -Raw -LiteralPath $csrFile

            New-ServerCertificate -Csr $sha1 -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CsrSignatureAlgorithmNotAllowed,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].Exception.Message | Should -Match 'SHA-1'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CsrKeyTooWeak for an RSA-1024 request made with .NET' {
            $weak = New-PkiRsaCsrPem -CommonName 'weak.example.com' -KeySize 1024

            New-ServerCertificate -Csr $weak -Issuer 'Sub' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CsrKeyTooWeak,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].TargetObject | Should -Be 'RSA_1024'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes IssuerNotIntermediate for a root as issuer' {
            { $csr | New-ServerCertificate -Issuer 'Root' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'IssuerNotIntermediate,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyAlgorithmMismatch for an RSA request to an ECC intermediate' {
            $rsa = New-PkiRsaCsrPem -CommonName 'rsa.example.com' -KeySize 2048

            { New-ServerCertificate -Csr $rsa -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyAlgorithmMismatch,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyAlgorithmMismatch when the request''s key is not the -Algorithm given' {
            { $csr | New-ServerCertificate -Issuer 'Sub' -Algorithm 'ECC_384' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyAlgorithmMismatch,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ValidityExceedsIssuer for <Case>' -ForEach @(
            @{ Case = '-Days beyond the intermediate'; Days = 4000 }
            @{ Case = '-Years beyond the intermediate'; Years = 6 }
            @{ Case = 'a -NotBefore before the intermediate'; StartDays = -1; EndDays = 10 }
            @{ Case = 'a -NotAfter after the intermediate'; StartDays = 1; EndDays = 2500 }
        ) {
            $parameters = @{ Issuer = 'Sub'; StorePath = $store; ErrorAction = 'Stop' }
            if ($Days) { $parameters['Days'] = $Days }
            if ($Years) { $parameters['Years'] = $Years }
            if ($EndDays) {
                $parameters['NotBefore'] = [System.DateTime]::UtcNow.AddDays($StartDays)
                $parameters['NotAfter'] = [System.DateTime]::UtcNow.AddDays($EndDays)
            }

            { $csr | New-ServerCertificate @parameters } | Should -Throw -ErrorId 'ValidityExceedsIssuer,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ValidityExceedsIssuer for an explicit period beyond an intermediate that ends sooner than the default' {
            $null = New-SubCA -CommonName 'Short Sub' -Name 'ShortSub' -Issuer 'Root' -Days 30 -Algorithm ECC -NoPassword -StorePath $store
            $snapshot = Get-PkiStoreSnapshot -StorePath $store

            { $csr | New-ServerCertificate -Issuer 'ShortSub' -Days 31 -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ValidityExceedsIssuer,PkiCmdlets.Commands.NewServerCertificateCommand'
            { $csr | New-ServerCertificate -Issuer 'ShortSub' -Days 365 -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ValidityExceedsIssuer,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $snapshot
        }

        It 'writes InvalidValidity for a -NotAfter that has passed' {
            $csr | New-ServerCertificate -Issuer 'Sub' -NotBefore ([System.DateTime]::UtcNow.AddMinutes(-10)) -NotAfter ([System.DateTime]::UtcNow.AddMinutes(-5)) -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidValidity,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].Exception.Message | Should -Match 'has passed'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ValidityBoundsIncomplete for <Case>' -ForEach @(
            @{ Case = '-NotBefore without -NotAfter'; Bound = 'NotBefore' }
            @{ Case = '-BeforeTime without -AfterTime'; Bound = 'BeforeTime' }
        ) {
            $parameters = @{ Issuer = 'Sub'; StorePath = $store; ErrorAction = 'Stop' }
            $parameters[$Bound] = [System.DateTime]::UtcNow.AddDays(1)

            { $csr | New-ServerCertificate @parameters } | Should -Throw -ErrorId 'ValidityBoundsIncomplete,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes <ErrorId> for the -Domain value <Domain>' -ForEach @(
            @{ Domain = 'bad_name.example.com'; ErrorId = 'InvalidDnsName' }
            @{ Domain = 'www..example.com'; ErrorId = 'InvalidDnsName' }
            @{ Domain = 'a.*.example.com'; ErrorId = 'MisplacedWildcard' }
            @{ Domain = '192.0.2.300'; ErrorId = 'InvalidIpAddress' }
            @{ Domain = '10.1.2'; ErrorId = 'InvalidIpAddress' }
            @{ Domain = 'admin@example.com'; ErrorId = 'InvalidDomain' }
        ) {
            { $csr | New-ServerCertificate -Issuer 'Sub' -Domain $Domain -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.NewServerCertificateCommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CrlUrlMissing for -EnableCrl with an intermediate without a CRL URL' {
            { $csr | New-ServerCertificate -Issuer 'Sub' -EnableCrl -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CrlUrlMissing,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaNotFound for an issuer that is not in the store' {
            { $csr | New-ServerCertificate -Issuer 'Nope' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaNotFound,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes NameNotPermitted for a name outside the intermediate''s name constraints' {
            $csr | New-ServerCertificate -Issuer 'Constrained' -Domain 'www.example.org' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'NameNotPermitted,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].TargetObject | Should -Be 'www.example.org'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'issues names inside the name constraints' {
            $certificate = $csr | New-ServerCertificate -Issuer 'Constrained' -Domain 'example.com', 'api.example.com' -StorePath $store

            ($certificate.DnsNames -join ',') | Should -Be 'www.example.com,example.com,api.example.com'
        }

        It 'writes NoServerName for a free-text common name without DNS names' {
            $freeText = New-Csr -CommonName 'Example Intranet' -Algorithm ECC -StorePath $store
            $snapshot = Get-PkiStoreSnapshot -StorePath $store

            { $freeText | New-ServerCertificate -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'NoServerName,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $snapshot
        }

        It 'writes PathNotFound for a -CsrPath that does not exist' {
            { New-ServerCertificate -CsrPath (Join-Path $work 'missing.csr') -Issuer 'Sub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathNotFound,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Intermediate with an encrypted key' {
        BeforeEach {
            $subPassword = ConvertTo-PkiTestSecureString -Text 'Sub-Pa55'
            $null = New-SubCA -CommonName 'Locked Sub' -Name 'LockedSub' -Issuer 'Root' -KeyPassword $subPassword -Algorithm ECC -StorePath $store
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CaLocked without -IssuerKeyPassword and leaves the store as it was' {
            { $csr | New-ServerCertificate -Issuer 'LockedSub' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordIncorrect for a wrong -IssuerKeyPassword and leaves the store as it was' {
            { $csr | New-ServerCertificate -Issuer 'LockedSub' -IssuerKeyPassword (ConvertTo-PkiTestSecureString -Text 'wrong') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.NewServerCertificateCommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'issues with the right -IssuerKeyPassword' {
            $certificate = $csr | New-ServerCertificate -Issuer 'LockedSub' -IssuerKeyPassword $subPassword -StorePath $store

            $certificate.IssuerName | Should -Be 'LockedSub'
        }
    }
}
