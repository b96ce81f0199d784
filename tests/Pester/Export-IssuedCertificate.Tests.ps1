# Pester 5 tests for Export-IssuedCertificate (whose old name, Export-ServerCertificate, is an alias). They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath, with a root (Root), an intermediate (Sub) and a
# certificate issued for a CSR of the store; exported files go to a work folder under TestDrive:.

BeforeDiscovery {
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $CanReadUnixMode = (-not $OnWindows) -and ($null -ne [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])))
}

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $PfxPasswordText = 'Pfx-Pa55'

    function Open-Pfx {
        # The certificates of a PFX file, as .NET reads them.
        param([Parameter(Mandatory = $true)][string] $Path, [Parameter(Mandatory = $true)][string] $Password)
        # macOS does not support ephemeral keys; elsewhere they keep the test's keys out of the user's key store.
        $flags = if ($IsMacOS) { 'DefaultKeySet' } else { 'EphemeralKeySet' }
        $collection = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2Collection
        $collection.Import($Path, $Password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]$flags)
        $collection
    }
}

Describe 'Export-IssuedCertificate' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $ca = New-PkiTestHierarchy -StorePath $store
        $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
        $certificate = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store
        $pfxPassword = ConvertTo-PkiTestSecureString -Text $PfxPasswordText
    }

    Context 'Examples' {
        It 'writes the certificate as PEM by default and returns the file' {
            $path = Join-Path $work 'www.pem'

            $file = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -StorePath $store

            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath($path))
            [System.IO.File]::ReadAllText($path) | Should -BeExactly $certificate.X509Certificate
        }

        It 'adds the intermediate with -IncludeChain, and the root only with -IncludeRoot' {
            $path = Join-Path $work 'chain.pem'
            $withRoot = Join-Path $work 'chain-root.pem'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -IncludeChain -StorePath $store
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $withRoot -IncludeChain -IncludeRoot -StorePath $store

            [System.IO.File]::ReadAllText($path) | Should -BeExactly ($certificate.X509Certificate + $ca.Sub.Pem)
            [System.IO.File]::ReadAllText($withRoot) | Should -BeExactly ($certificate.X509Certificate + $ca.Sub.Pem + $ca.Root.Pem)
        }

        It 'writes the certificate, the chain, the full chain and the key to files of their own, as web servers take them' {
            $files = Export-IssuedCertificate -Identifier $certificate.Identifier -Path (Join-Path $work 'cert.pem') -ChainPath (Join-Path $work 'chain.pem') `
                -FullChainPath (Join-Path $work 'fullchain.pem') -KeyPath (Join-Path $work 'privkey.pem') -StorePath $store

            @($files | ForEach-Object Name) -join ',' | Should -Be 'cert.pem,chain.pem,fullchain.pem,privkey.pem'
            [System.IO.File]::ReadAllText((Join-Path $work 'cert.pem')) | Should -BeExactly $certificate.X509Certificate
            [System.IO.File]::ReadAllText((Join-Path $work 'chain.pem')) | Should -BeExactly $ca.Sub.Pem
            [System.IO.File]::ReadAllText((Join-Path $work 'fullchain.pem')) | Should -BeExactly ($certificate.X509Certificate + $ca.Sub.Pem)
            [System.IO.File]::ReadAllText((Join-Path $work 'privkey.pem')) | Should -BeExactly (Get-Content -LiteralPath $csr.KeyPath -Raw)
            $root = Join-Path $work 'root.pem'
            Write-PkiTestFile -Path $root -Text $ca.Root.Pem
            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-CAfile', $root, '-untrusted', (Join-Path $work 'chain.pem'), (Join-Path $work 'cert.pem'))
            $verify.ExitCode | Should -Be 0 -Because $verify.Output
            $key = Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', (Join-Path $work 'privkey.pem'), '-pubout')
            $key.Output | Should -Be (Invoke-PkiOpenSsl -ArgumentList @('x509', '-in', (Join-Path $work 'fullchain.pem'), '-noout', '-pubkey')).Output
        }

        It 'takes -Path and -KeyPath as script blocks run for each certificate piped in' {
            $client = New-ClientCertificate -GenerateKey -Issuer 'Sub' -Email 'alice@example.com' -StorePath $store

            $files = @($certificate, $client) | Export-IssuedCertificate -Path { Join-Path $work "$($_.CommonName).pem" } -KeyPath { Join-Path $work "$($_.CommonName).key" } -StorePath $store

            @($files | ForEach-Object Name) -join ',' | Should -Be 'www.example.com.pem,www.example.com.key,alice@example.com.pem,alice@example.com.key'
            [System.IO.File]::ReadAllText((Join-Path $work 'alice@example.com.pem')) | Should -BeExactly $client.X509Certificate
            [System.IO.File]::ReadAllText((Join-Path $work 'www.example.com.pem')) | Should -BeExactly $certificate.X509Certificate
        }

        It 'keeps its old name, Export-ServerCertificate, as an alias' {
            $alias = Get-Command -Name Export-ServerCertificate
            $alias.CommandType | Should -Be 'Alias'
            $alias.ResolvedCommand.Name | Should -Be 'Export-IssuedCertificate'
            $path = Join-Path $work 'old-name.pem'
            $null = Export-ServerCertificate -Identifier $certificate.Identifier -Path $path -StorePath $store
            [System.IO.File]::ReadAllText($path) | Should -BeExactly $certificate.X509Certificate
        }

        It 'adds the private key to a PEM file, encrypted when -Password is given' {
            $plain = Join-Path $work 'plain.pem'
            $encrypted = Join-Path $work 'encrypted.pem'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $plain -IncludeChain -IncludeRoot -IncludePrivateKey -StorePath $store
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $encrypted -IncludePrivateKey -Password $pfxPassword -StorePath $store

            $plainText = [System.IO.File]::ReadAllText($plain)
            ([regex]::Matches($plainText, '-----BEGIN CERTIFICATE-----')).Count | Should -Be 3
            $plainText | Should -Match '-----BEGIN PRIVATE KEY-----\n[^-]+-----END PRIVATE KEY-----\n$'
            $plainText.EndsWith((Get-Content -LiteralPath $csr.KeyPath -Raw)) | Should -BeTrue
            $encryptedText = [System.IO.File]::ReadAllText($encrypted)
            $encryptedText | Should -Match '-----BEGIN ENCRYPTED PRIVATE KEY-----'
            $encryptedText | Should -Not -Match 'BEGIN PRIVATE KEY'
        }

        It 'writes the certificate alone as DER with -Format Der' {
            $path = Join-Path $work 'www.cer'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Der -StorePath $store

            $bytes = [System.IO.File]::ReadAllBytes($path)
            [System.Convert]::ToBase64String($bytes) | Should -Be ([System.Convert]::ToBase64String($certificate.Certificate.RawData))
        }

        It 'writes a PFX file with the chain and the private key that .NET opens with its key' {
            $path = Join-Path $work 'www.pfx'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -IncludeChain -IncludeRoot -IncludePrivateKey -Password $pfxPassword -StorePath $store

            $pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $PfxPasswordText)
            $pfx.HasPrivateKey | Should -BeTrue
            $pfx.Thumbprint | Should -Be $certificate.Thumbprint
            $collection = Open-Pfx -Path $path -Password $PfxPasswordText
            $collection.Count | Should -Be 3
            @($collection | ForEach-Object { $_.Thumbprint }) | Should -Contain $ca.Root.Thumbprint
            @($collection | ForEach-Object { $_.Thumbprint }) | Should -Contain $ca.Sub.Thumbprint
        }

        It 'writes a PFX file without the private key when -IncludePrivateKey is not given' {
            $path = Join-Path $work 'nokey.pfx'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -Password $pfxPassword -StorePath $store

            $pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $PfxPasswordText)
            $pfx.HasPrivateKey | Should -BeFalse
            (Open-Pfx -Path $path -Password $PfxPasswordText).Count | Should -Be 1
        }

        It 'writes a PFX file with 3DES and an SHA-1 MAC with -LegacyEncryption that .NET still opens' {
            $path = Join-Path $work 'legacy.pfx'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -IncludePrivateKey -LegacyEncryption -Password $pfxPassword -StorePath $store

            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $PfxPasswordText).HasPrivateKey | Should -BeTrue
            if (Test-PkiOpenSsl) {
                $info = Invoke-PkiOpenSsl -ArgumentList @('pkcs12', '-in', $path, '-passin', "pass:$PfxPasswordText", '-info', '-noout')
                $info.Output | Should -Match 'MAC: ?sha1'
                $info.Output | Should -Match '3-KeyTripleDES'
                $info.Output | Should -Not -Match 'AES-256'
            }
        }

        It 'protects a PFX file with AES-256 and an HMAC-SHA256 MAC by default' {
            $path = Join-Path $work 'modern.pfx'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -IncludePrivateKey -Password $pfxPassword -StorePath $store

            $info = Invoke-PkiOpenSsl -ArgumentList @('pkcs12', '-in', $path, '-passin', "pass:$PfxPasswordText", '-info', '-noout')
            $info.Output | Should -Match 'MAC: ?sha256'
            $info.Output | Should -Match 'AES-256-CBC'
        }

        It 'writes to -LiteralPath, also given as PSPath' {
            $literal = Join-Path $work 'literal[1].pem'
            $alias = Join-Path $work 'alias.pem'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -LiteralPath $literal -StorePath $store
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -PSPath $alias -StorePath $store

            Test-Path -LiteralPath $literal | Should -BeTrue
            Test-Path -LiteralPath $alias | Should -BeTrue
        }

        It 'takes the path by position and the certificate from Get-IssuedCertificate through the pipeline' {
            $path = Join-Path $work 'piped.pem'

            $file = Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store | Export-IssuedCertificate $path -StorePath $store

            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath($path))
            [System.IO.File]::ReadAllText($path) | Should -BeExactly $certificate.X509Certificate
        }

        It 'resolves a relative path against the PowerShell location' {
            Push-Location -LiteralPath $work
            try {
                $file = Export-IssuedCertificate -Identifier $certificate.Identifier -Path 'relative.pem' -StorePath $store
            }
            finally {
                Pop-Location
            }

            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $work 'relative.pem')))
        }

        It 'overwrites an existing file with -Force' {
            $path = Join-Path $work 'www.pem'
            Write-PkiTestFile -Path $path -Text 'old content'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Force -StorePath $store

            [System.IO.File]::ReadAllText($path) | Should -BeExactly $certificate.X509Certificate
        }

        It 'resolves a -Path wildcard that matches one existing file to that file, which -Force replaces' {
            $existing = Join-Path $work 'www-2026.pem'
            Write-PkiTestFile -Path $existing -Text 'old content'

            $file = Export-IssuedCertificate -Identifier $certificate.Identifier -Path (Join-Path $work 'www-*.pem') -Force -StorePath $store

            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath($existing))
            [System.IO.File]::ReadAllText($existing) | Should -BeExactly $certificate.X509Certificate
            @(Get-ChildItem -LiteralPath $work -File).Count | Should -Be 1
        }

        It 'writes a new file named as typed for a -Path wildcard that matches nothing' {
            $typed = Join-Path $work 'www[1].pem'

            $file = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $typed -StorePath $store

            Test-Path -LiteralPath $typed | Should -BeTrue
            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath($typed))
        }

        It 'opens a private key that has a password in the store with -KeyPassword' {
            $keyPassword = ConvertTo-PkiTestSecureString -Text 'Csr-Pa55'
            $protected = New-Csr -CommonName 'secure.example.com' -Algorithm ECC -KeyPassword $keyPassword -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $path = Join-Path $work 'secure.pfx'

            $null = Export-IssuedCertificate -Identifier $protected.Identifier -Path $path -Format Pfx -IncludePrivateKey -KeyPassword $keyPassword -Password $pfxPassword -StorePath $store

            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $PfxPasswordText).HasPrivateKey | Should -BeTrue
        }

        It 'writes files with a key for their owner only (0600) and the others for everyone to read (0644), and -Force keeps a file''s mode' -Skip:(-not $CanReadUnixMode) {
            $pem = Join-Path $work 'www.pem'
            $pfx = Join-Path $work 'www.pfx'
            $public = Join-Path $work 'public.pem'
            $replaced = Join-Path $work 'replaced.pem'

            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $pem -IncludePrivateKey -StorePath $store
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $pfx -Format Pfx -IncludePrivateKey -Password $pfxPassword -StorePath $store
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $public -IncludeChain -StorePath $store
            Write-PkiTestFile -Path $replaced -Text 'old'
            [System.IO.File]::SetUnixFileMode($replaced, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead')
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $replaced -Force -StorePath $store

            Get-PkiUnixFileMode -Path $pem | Should -Be 384
            Get-PkiUnixFileMode -Path $pfx | Should -Be 384
            Get-PkiUnixFileMode -Path $public | Should -Be 420
            Get-PkiUnixFileMode -Path $replaced | Should -Be 416
            [System.IO.File]::ReadAllText($replaced) | Should -BeExactly $certificate.X509Certificate
        }

        It 'writes nothing with -WhatIf' {
            $path = Join-Path $work 'whatif.pfx'
            $before = Get-PkiStoreSnapshot -StorePath $store

            $result = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -IncludePrivateKey -Password $pfxPassword -StorePath $store -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $path | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'goes from New-RootCA to a PFX file that opens with its private key' {
            $pipelineStore = New-PkiTestStorePath -Root $TestDrive
            $path = Join-Path $work 'pipeline.pfx'

            $null = New-RootCA -CommonName 'Pipeline Root CA' -Name 'Root' -Algorithm ECC -NoPassword -StorePath $pipelineStore
            $null = Get-CA -Name 'Root' -StorePath $pipelineStore | New-SubCA -CommonName 'Pipeline Issuing CA' -Name 'Issuing' -Algorithm ECC -NoPassword -StorePath $pipelineStore
            $file = New-Csr -CommonName 'www.pipeline.example' -SubjectAlternativeName 'pipeline.example' -Algorithm ECC -StorePath $pipelineStore |
                New-ServerCertificate -Issuer 'Issuing' -IncludeChain -StorePath $pipelineStore |
                Export-IssuedCertificate -Path $path -Format Pfx -IncludeChain -IncludePrivateKey -Password $pfxPassword -StorePath $pipelineStore

            $file.FullName | Should -Be ([System.IO.Path]::GetFullPath($path))
            $pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $PfxPasswordText)
            $pfx.HasPrivateKey | Should -BeTrue
            $pfx.Subject | Should -Match 'CN=www\.pipeline\.example'
            # The certificate and the intermediate: the root only with -IncludeRoot.
            (Open-Pfx -Path $path -Password $PfxPasswordText).Count | Should -Be 2
        }

        It 'writes a PEM chain that openssl verifies and a key that matches the certificate' {
            $path = Join-Path $work 'bundle.pem'
            $rootFile = Join-Path $work 'root.pem'
            Write-PkiTestFile -Path $rootFile -Text $ca.Root.Pem
            $null = Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -IncludeChain -IncludePrivateKey -Password $pfxPassword -StorePath $store

            $verify = Invoke-PkiOpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $path, $path)
            $certificateKey = Invoke-PkiOpenSsl -ArgumentList @('x509', '-in', $path, '-noout', '-pubkey')
            $privateKey = Invoke-PkiOpenSsl -ArgumentList @('pkey', '-in', $path, '-passin', "pass:$PfxPasswordText", '-pubout')

            $verify.Output | Should -Match 'OK'
            $verify.ExitCode | Should -Be 0
            $privateKey.ExitCode | Should -Be 0
            $privateKey.Output | Should -Be $certificateKey.Output
        }
    }

    Context 'Errors' {
        BeforeEach {
            $before = Get-PkiStoreSnapshot -StorePath $store
        }

        It 'writes ExportFileExists for an existing file without -Force and leaves the file as it was' {
            $path = Join-Path $work 'www.pem'
            Write-PkiTestFile -Path $path -Text 'old content'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportFileExists,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            [System.IO.File]::ReadAllText($path) | Should -BeExactly 'old content'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes ExportFileExists for a -Path wildcard that matches one existing file, without -Force' {
            $existing = Join-Path $work 'www-2026.pem'
            Write-PkiTestFile -Path $existing -Text 'old content'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path (Join-Path $work 'www-*.pem') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExportFileExists,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            [System.IO.File]::ReadAllText($existing) | Should -BeExactly 'old content'
        }

        It 'writes PathAmbiguous for a -Path wildcard that matches several files and changes none' {
            Write-PkiTestFile -Path (Join-Path $work 'a1.pem') -Text 'one'
            Write-PkiTestFile -Path (Join-Path $work 'a2.pem') -Text 'two'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path (Join-Path $work 'a*.pem') -Force -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathAmbiguous,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            [System.IO.File]::ReadAllText((Join-Path $work 'a1.pem')) | Should -BeExactly 'one'
            [System.IO.File]::ReadAllText((Join-Path $work 'a2.pem')) | Should -BeExactly 'two'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes <ErrorId> for <Case> and writes no file' -ForEach @(
            @{ Case = 'DER with -IncludeChain'; Splat = @{ Format = 'Der'; IncludeChain = $true }; ErrorId = 'ExportFormatConflict' }
            @{ Case = 'DER with -IncludePrivateKey'; Splat = @{ Format = 'Der'; IncludePrivateKey = $true }; ErrorId = 'ExportFormatConflict' }
            @{ Case = 'PFX without -Password'; Splat = @{ Format = 'Pfx'; IncludePrivateKey = $true }; ErrorId = 'PfxPasswordRequired' }
        ) {
            $path = Join-Path $work 'failed.out'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path @Splat -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.ExportIssuedCertificateCommand"
            Test-Path -LiteralPath $path | Should -BeFalse
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'writes KeyPasswordEmpty for an empty -Password' {
            $path = Join-Path $work 'empty.pfx'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -Format Pfx -Password (New-Object System.Security.SecureString) -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordEmpty,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'writes CertificateNotFound for an identifier that is not in the store' {
            $path = Join-Path $work 'missing.pem'

            Export-IssuedCertificate -Identifier '00000000000000000000000000000000' -Path $path -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CertificateNotFound,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            $failures[0].TargetObject | Should -Be '00000000000000000000000000000000'
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'writes PrivateKeyNotAvailable for a certificate whose request was made elsewhere' {
            $rsaStore = New-PkiTestStorePath -Root $TestDrive
            $null = New-PkiTestHierarchy -StorePath $rsaStore -Algorithm RSA
            $foreign = New-ServerCertificate -Csr (New-PkiRsaCsrPem -CommonName 'foreign.example.com') -Issuer 'Sub' -StorePath $rsaStore
            $path = Join-Path $work 'foreign.pfx'

            { Export-IssuedCertificate -Identifier $foreign.Identifier -Path $path -Format Pfx -IncludePrivateKey -Password $pfxPassword -StorePath $rsaStore -ErrorAction Stop } |
                Should -Throw -ErrorId 'PrivateKeyNotAvailable,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            Test-Path -LiteralPath $path | Should -BeFalse
            # Without the key, the certificate exports.
            $null = Export-IssuedCertificate -Identifier $foreign.Identifier -Path $path -Format Pfx -Password $pfxPassword -StorePath $rsaStore
            Test-Path -LiteralPath $path | Should -BeTrue
        }

        It 'writes CsrKeyPasswordRequired and KeyPasswordIncorrect for a key with a password in the store' {
            $protected = New-Csr -CommonName 'secure.example.com' -Algorithm ECC -KeyPassword (ConvertTo-PkiTestSecureString -Text 'Csr-Pa55') -StorePath $store |
                New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $path = Join-Path $work 'secure.pem'

            { Export-IssuedCertificate -Identifier $protected.Identifier -Path $path -IncludePrivateKey -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'CsrKeyPasswordRequired,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            { Export-IssuedCertificate -Identifier $protected.Identifier -Path $path -IncludePrivateKey -KeyPassword (ConvertTo-PkiTestSecureString -Text 'wrong') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'KeyPasswordIncorrect,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'writes OutputFileNotWritable for a folder that does not exist' {
            $path = Join-Path (Join-Path $work 'missing-folder') 'www.pem'

            { Export-IssuedCertificate -Identifier $certificate.Identifier -Path $path -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'OutputFileNotWritable,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'writes one file and ExportFileExists for the second of two certificates piped to one path' {
            $null = $csr | New-ServerCertificate -Issuer 'Sub' -StorePath $store
            $path = Join-Path $work 'both.pem'

            $files = @(Get-IssuedCertificate -StorePath $store | Export-IssuedCertificate -Path $path -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures)

            $files.Count | Should -Be 1
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ExportFileExists,PkiCmdlets.Commands.ExportIssuedCertificateCommand'
        }
    }
}
