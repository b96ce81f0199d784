# Pester 5 tests for Import-CA. They drive the built module (see TestHelpers.psm1); every test works in its own new
# store under TestDrive:, passed with -StorePath. The CAs to import come from a second store (its files are PEM
# certificates and PKCS #8 keys) or, where openssl is on PATH, from openssl itself.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $CaTypeName = 'PkiCmdlets.Core.Authority.CertificateAuthority'

    function Get-CaFile {
        # The certificate and key files of a CA in a store.
        param([Parameter(Mandatory = $true)] $Authority)
        [pscustomobject]@{
            Certificate = Join-Path $Authority.StorePath "cas/$($Authority.Id).crt.pem"
            Key         = Join-Path $Authority.StorePath "keys/ca-$($Authority.Id).key.pem"
        }
    }

    # A minimal openssl configuration for CA certificates, the same for OpenSSL 1.1.1 and 3.
    $OpenSslCaConfig = @"
[req]
distinguished_name = dn
prompt = no
[dn]
CN = OpenSSL Lab Root
O = Example Lab
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_no_cert_sign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
[v3_sub]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"@
}

Describe 'Import-CA' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $source = New-PkiTestHierarchy -StorePath (New-PkiTestStorePath -Root $TestDrive) -SubParameters @{ CrlUrl = 'http://pki.example.com/sub.crl' }
        $rootFiles = Get-CaFile -Authority $source.Root
        $subFiles = Get-CaFile -Authority $source.Sub
    }

    Context 'Examples' {
        It 'imports a root from a PEM certificate and key and returns it' {
            $root = Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -Name 'Imported' -NoPassword -StorePath $store

            $root.GetType().FullName | Should -Be $CaTypeName
            $root.Name | Should -Be 'Imported'
            $root.Id | Should -Match '^[0-9a-f]{32}$'
            $root.Id | Should -Not -Be $source.Root.Id
            $root.Imported | Should -BeTrue
            $root.IsRoot | Should -BeTrue
            $root.IssuerId | Should -BeNullOrEmpty
            $root.IssuerName | Should -Be 'Imported'
            $root.IssuerSubject | Should -Be $root.Subject
            $root.Thumbprint | Should -Be $source.Root.Thumbprint
            $root.Subject | Should -Be $source.Root.Subject
            $root.NotAfter | Should -Be $source.Root.NotAfter
            $root.Algorithm | Should -Be 'ECC_256'
            $root.KeyProtected | Should -BeFalse
            Join-Path $store "cas/$($root.Id).json" | Should -Exist
            Join-Path $store "cas/$($root.Id).crt.pem" | Should -Exist
            Get-Content -LiteralPath (Join-Path $store "keys/ca-$($root.Id).key.pem") -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
            (Get-CA -StorePath $store).Imported | Should -BeTrue
        }

        It 'takes the files by position and names the CA after its common name' {
            $root = Import-CA $rootFiles.Certificate $rootFiles.Key -NoPassword -StorePath $store

            $root.Name | Should -Be 'Test_Root_CA'
        }

        It 'imports an intermediate below its imported root, which then issues certificates' {
            $root = Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -NoPassword -StorePath $store
            $sub = Import-CA -CertificatePath $subFiles.Certificate -KeyPath $subFiles.Key -Name 'ImportedSub' -CrlUrl 'http://pki.example.com/imported.crl' -NoPassword -StorePath $store

            $sub.IsRoot | Should -BeFalse
            $sub.IssuerId | Should -Be $root.Id
            $sub.IssuerName | Should -Be $root.Name
            $sub.PathLength | Should -Be 0
            $sub.CrlUrl | Should -Be 'http://pki.example.com/imported.crl'
            $sub.Chain | Should -Be ($sub.Pem + $root.Pem)
            $certificate = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'ImportedSub' -EnableCrl -StorePath $store
            $certificate.IssuerId | Should -Be $sub.Id
            $distribution = Get-PkiCertificateExtension -Certificate $certificate.Certificate -Oid '2.5.29.31'
            [System.Text.Encoding]::ASCII.GetString($distribution.RawData) | Should -Match ([regex]::Escape('http://pki.example.com/imported.crl'))
        }

        It 'imports a root''s certificate without its key, a trust anchor that signs nothing' {
            $anchor = Import-CA -CertificatePath $rootFiles.Certificate -Name 'Anchor' -StorePath $store

            $anchor.HasKey | Should -BeFalse
            $anchor.IsRoot | Should -BeTrue
            $anchor.Locked | Should -BeFalse
            Join-Path $store "keys/ca-$($anchor.Id).key.pem" | Should -Not -Exist
            $before = Get-PkiStoreSnapshot -StorePath $store
            { New-SubCA -CommonName 'Sub' -Issuer 'Anchor' -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaKeyNotInStore,PkiCmdlets.Commands.NewSubCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'imports an intermediate with its root after it in the same PEM file: the root comes without its key' {
            $bundle = Join-Path $work 'sub-chain.pem'
            Write-PkiTestFile -Path $bundle -Text ((Get-Content -LiteralPath $subFiles.Certificate -Raw) + (Get-Content -LiteralPath $rootFiles.Certificate -Raw))

            $sub = Import-CA -CertificatePath $bundle -KeyPath $subFiles.Key -Name 'ImportedSub' -NoPassword -StorePath $store

            $root = Get-CA -Root -StorePath $store
            $root.HasKey | Should -BeFalse
            $root.Thumbprint | Should -Be $source.Root.Thumbprint
            $sub.HasKey | Should -BeTrue
            $sub.IssuerId | Should -Be $root.Id
            (New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer 'ImportedSub' -StorePath $store).IssuerId | Should -Be $sub.Id
        }

        It 'reads a DER certificate' {
            $der = Join-Path $work 'root.cer'
            [System.IO.File]::WriteAllBytes($der, (Get-PkiPemBytes -Path $rootFiles.Certificate))

            $root = Import-CA -CertificatePath $der -KeyPath $rootFiles.Key -NoPassword -StorePath $store

            $root.Thumbprint | Should -Be $source.Root.Thumbprint
            Get-Content -LiteralPath (Join-Path $store "cas/$($root.Id).crt.pem") -TotalCount 1 | Should -Be '-----BEGIN CERTIFICATE-----'
        }

        It 'encrypts the key in the store with -KeyPassword' {
            $keyPassword = ConvertTo-PkiTestSecureString -Text 'Store-Pa55'

            $root = Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -KeyPassword $keyPassword -StorePath $store

            $root.KeyProtected | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $store "keys/ca-$($root.Id).key.pem") -TotalCount 1 | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
            { New-SubCA -CommonName 'Sub' -Issuer $root -Algorithm ECC -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaLocked,PkiCmdlets.Commands.NewSubCACommand'
            (New-SubCA -CommonName 'Sub' -Issuer $root -IssuerKeyPassword $keyPassword -Algorithm ECC -NoPassword -StorePath $store).IssuerId | Should -Be $root.Id
        }

        It 'resolves the paths through PowerShell: relative to the location, with wildcards that match one file' {
            Copy-Item -LiteralPath $rootFiles.Certificate -Destination (Join-Path $work 'root.crt.pem')
            Copy-Item -LiteralPath $rootFiles.Key -Destination (Join-Path $work 'root.key.pem')
            Push-Location -LiteralPath $work
            try {
                $root = Import-CA -CertificatePath './root.crt*' -KeyPath 'root.key.pem' -NoPassword -StorePath $store
            }
            finally {
                Pop-Location
            }

            $root.Thumbprint | Should -Be $source.Root.Thumbprint
        }

        It 'changes nothing with -WhatIf' {
            $null = Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -NoPassword -StorePath $store -WhatIf

            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'imports a root and an intermediate made with openssl' {
            $config = Join-Path $work 'ca.cnf'
            Write-PkiTestFile -Path $config -Text $OpenSslCaConfig
            $rootCert = Join-Path $work 'root.crt.pem'
            $rootKey = Join-Path $work 'root.key.pem'
            $subCsr = Join-Path $work 'sub.csr'
            $subCert = Join-Path $work 'sub.crt.pem'
            $subKey = Join-Path $work 'sub.key.pem'
            $made = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                '-keyout', $rootKey, '-out', $rootCert, '-days', '365', '-config', $config, '-extensions', 'v3_ca')
            $made.ExitCode | Should -Be 0 -Because $made.Output
            $made = Invoke-PkiOpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                '-keyout', $subKey, '-out', $subCsr, '-config', $config, '-subj', '/CN=OpenSSL Lab Issuing/O=Example Lab')
            $made.ExitCode | Should -Be 0 -Because $made.Output
            $made = Invoke-PkiOpenSsl -ArgumentList @('x509', '-req', '-in', $subCsr, '-CA', $rootCert, '-CAkey', $rootKey, '-set_serial', '4660',
                '-days', '180', '-out', $subCert, '-extfile', $config, '-extensions', 'v3_sub')
            $made.ExitCode | Should -Be 0 -Because $made.Output

            # The intermediate first: its issuer is not in the store yet.
            { Import-CA -CertificatePath $subCert -KeyPath $subKey -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaImportIssuerMissing,PkiCmdlets.Commands.ImportCACommand'
            $root = Import-CA -CertificatePath $rootCert -KeyPath $rootKey -NoPassword -StorePath $store
            $sub = Import-CA -CertificatePath $subCert -KeyPath $subKey -NoPassword -StorePath $store

            $root.Name | Should -Be 'OpenSSL_Lab_Root'
            $root.IsRoot | Should -BeTrue
            $sub.IssuerId | Should -Be $root.Id
            $sub.PathLength | Should -Be 0

            # The imported intermediate (valid for 180 days) issues a certificate that openssl verifies with the
            # openssl-made chain.
            $certificate = New-Csr -CommonName 'lab.example.com' -Algorithm ECC -StorePath $store | New-ServerCertificate -Issuer $sub -Days 30 -StorePath $store
            $leaf = Join-Path $work 'lab.pem'
            Write-PkiTestFile -Path $leaf -Text $certificate.X509Certificate
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-CAfile', $rootCert, '-untrusted', $subCert, $leaf)
            $verify.Output | Should -Match 'lab\.pem: OK'
            $verify.ExitCode | Should -Be 0
        }

        It 'imports a root from a PFX file made with openssl' {
            $pfx = Join-Path $work 'root.pfx'
            $made = Invoke-PkiOpenSsl -ArgumentList @('pkcs12', '-export', '-in', $rootFiles.Certificate, '-inkey', $rootFiles.Key, '-out', $pfx, '-passout', 'pass:Pfx-Pa55')
            $made.ExitCode | Should -Be 0 -Because $made.Output

            $root = Import-CA -PfxPath $pfx -Password (ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55') -NoPassword -StorePath $store

            $root.Thumbprint | Should -Be $source.Root.Thumbprint
            $root.Imported | Should -BeTrue
        }
    }

    Context 'Errors' {
        BeforeEach {
            $null = Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -Name 'Existing' -NoPassword -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes CaImportUnusable for an openssl-made CA whose keyUsage lacks keyCertSign' {
            $config = Join-Path $work 'ca.cnf'
            Write-PkiTestFile -Path $config -Text $OpenSslCaConfig
            $certificate = Join-Path $work 'nosign.crt.pem'
            $key = Join-Path $work 'nosign.key.pem'
            $made = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                '-keyout', $key, '-out', $certificate, '-days', '365', '-config', $config, '-extensions', 'v3_no_cert_sign')
            $made.ExitCode | Should -Be 0 -Because $made.Output

            Import-CA -CertificatePath $certificate -KeyPath $key -Name 'NoSign' -NoPassword -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CaImportUnusable,PkiCmdlets.Commands.ImportCACommand'
            "$($failures[0].TargetObject)" | Should -BeLike '*nosign.crt.pem'
            $failures[0].Exception.Message | Should -Match 'keyCertSign'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaKeyPasswordRequired without -KeyPassword or -NoPassword' {
            { Import-CA -CertificatePath $subFiles.Certificate -KeyPath $subFiles.Key -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaKeyPasswordRequired,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordConflict with both -KeyPassword and -NoPassword' {
            { Import-CA -CertificatePath $subFiles.Certificate -KeyPath $subFiles.Key -KeyPassword (ConvertTo-PkiTestSecureString -Text 'x') -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordConflict,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaAlreadyInStore for a CA that is in the store already' {
            { Import-CA -CertificatePath $rootFiles.Certificate -KeyPath $rootFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaAlreadyInStore,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaImportIssuerMissing for an intermediate whose issuer is not in the store' {
            $empty = New-PkiTestStorePath -Root $TestDrive

            { Import-CA -CertificatePath $subFiles.Certificate -KeyPath $subFiles.Key -NoPassword -StorePath $empty -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaImportIssuerMissing,PkiCmdlets.Commands.ImportCACommand'
            @(Get-CA -StorePath $empty).Count | Should -Be 0
        }

        It 'writes CaChainBroken for a PEM file whose chain does not link, and changes nothing' {
            $stranger = New-PkiTestHierarchy -StorePath (New-PkiTestStorePath -Root $TestDrive)
            $broken = Join-Path $work 'broken.pem'
            Write-PkiTestFile -Path $broken -Text ((Get-Content -LiteralPath $subFiles.Certificate -Raw) + $stranger.Sub.Pem)
            $empty = New-PkiTestStorePath -Root $TestDrive

            { Import-CA -CertificatePath $broken -KeyPath $subFiles.Key -NoPassword -StorePath $empty -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaChainBroken,PkiCmdlets.Commands.ImportCACommand'
            @(Get-CA -StorePath $empty).Count | Should -Be 0
        }

        It 'writes CaImportKeyMismatch for a key that is not the certificate''s' {
            { Import-CA -CertificatePath $subFiles.Certificate -KeyPath $rootFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaImportKeyMismatch,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaImportNotCa for a server certificate' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $source.Sub.StorePath
            $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $source.Sub.StorePath
            $leaf = Join-Path $work 'www.pem'
            Write-PkiTestFile -Path $leaf -Text $certificate.X509Certificate

            { Import-CA -CertificatePath $leaf -KeyPath $csr.KeyPath -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaImportNotCa,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes CaKeyUnsupported for a CA with an RSA-1024 key, which no CA of the store may have' {
            $config = Join-Path $work 'weak.cnf'
            Write-PkiTestFile -Path $config -Text $OpenSslCaConfig
            $weakCert = Join-Path $work 'weak.crt.pem'
            $weakKey = Join-Path $work 'weak.key.pem'
            $made = Invoke-PkiOpenSsl -ArgumentList @('req', '-x509', '-new', '-newkey', 'rsa:1024', '-nodes',
                '-keyout', $weakKey, '-out', $weakCert, '-days', '30', '-config', $config, '-extensions', 'v3_ca')
            $made.ExitCode | Should -Be 0 -Because $made.Output

            Import-CA -CertificatePath $weakCert -KeyPath $weakKey -NoPassword -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CaKeyUnsupported,PkiCmdlets.Commands.ImportCACommand'
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
            # The certificate is read first and names the key: the error points at the file that shows it.
            "$($failures[0].TargetObject)" | Should -BeLike '*weak.crt.pem'
            $failures[0].Exception.Message | Should -Match 'RSA_1024'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes InvalidPem for a certificate file that is neither PEM nor DER' {
            $text = Join-Path $work 'root.txt'
            Write-PkiTestFile -Path $text -Text 'not a certificate'

            { Import-CA -CertificatePath $text -KeyPath $rootFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPem,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes PathNotFound for a file that does not exist' {
            { Import-CA -CertificatePath (Join-Path $work 'missing.pem') -KeyPath $rootFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathNotFound,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes PathAmbiguous for a wildcard that matches several files' {
            { Import-CA -CertificatePath (Join-Path (Split-Path -Parent $rootFiles.Certificate) '*.crt.pem') -KeyPath $rootFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathAmbiguous,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordIncorrect for a wrong PFX password' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $source.Sub.StorePath
            $pfx = Join-Path $work 'www.pfx'
            $null = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $source.Sub.StorePath |
                Export-IssuedCertificate -Path $pfx -Format Pfx -IncludePrivateKey -Password (ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55') -StorePath $source.Sub.StorePath

            { Import-CA -PfxPath $pfx -Password (ConvertTo-PkiTestSecureString -Text 'wrong') -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.ImportCACommand'
            { Import-CA -PfxPath $pfx -Password (ConvertTo-PkiTestSecureString -Text 'Pfx-Pa55') -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CaImportNotCa,PkiCmdlets.Commands.ImportCACommand'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }
    }

    Context 'Key file with a password' {
        BeforeEach {
            $filePassword = ConvertTo-PkiTestSecureString -Text 'File-Pa55'
            $protected = New-RootCA -CommonName 'Protected Root' -Name 'Protected' -KeyPassword $filePassword -Algorithm ECC -StorePath (New-PkiTestStorePath -Root $TestDrive)
            $protectedFiles = Get-CaFile -Authority $protected
        }

        It 'reads the key with -Password and keeps it encrypted with -KeyPassword' {
            $root = Import-CA -CertificatePath $protectedFiles.Certificate -KeyPath $protectedFiles.Key -Password $filePassword -KeyPassword $filePassword -StorePath $store

            $root.Thumbprint | Should -Be $protected.Thumbprint
            $root.KeyProtected | Should -BeTrue
            (Unlock-CA -Name $root.Name -Password $filePassword -PassThru -StorePath $store).Unlocked | Should -BeTrue
            Lock-CA -Name $root.Name -StorePath $store
        }

        It 'writes KeyFilePasswordRequired without -Password and leaves the store as it was' {
            { Import-CA -CertificatePath $protectedFiles.Certificate -KeyPath $protectedFiles.Key -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyFilePasswordRequired,PkiCmdlets.Commands.ImportCACommand'
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'writes KeyPasswordIncorrect for a wrong -Password and leaves the store as it was' {
            { Import-CA -CertificatePath $protectedFiles.Certificate -KeyPath $protectedFiles.Key -Password (ConvertTo-PkiTestSecureString -Text 'wrong') -NoPassword -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.ImportCACommand'
            Test-Path -LiteralPath $store | Should -BeFalse
        }
    }
}
