# Pester 5 tests for Submit-CertificateOrder. They drive the built module (see TestHelpers.psm1); every test works
# in its own new store under TestDrive:, passed with -StorePath. The checks made before any request need no server.
# The tests of the 'against Pebble' block start Pebble and pebble-challtestsrv (Debian's pebble package) on
# 127.0.0.1 in BeforeAll, stop them in AfterAll, and are skipped where Pebble isn't installed.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $Module = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'
    $OrderTypeName = 'PkiCmdlets.Core.Orders.CertificateOrder'
    $SubmitCommand = 'PkiCmdlets.Commands.SubmitCertificateOrderCommand'
}

Describe 'Submit-CertificateOrder' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
    }

    Context 'Checks made before any request to a server' {
        # Every value is checked before the first request, so these tests need no ACME server: the default
        # server (Let's Encrypt) is never contacted.

        It 'refuses an RSA 1024 request made by .NET with KeyAlgorithmNotAllowed and creates nothing' {
            $pem = New-OrderTestRsaCsrPem -CommonName 'weak.example.com' -KeySize 1024

            $result = Submit-CertificateOrder -Csr $pem -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "KeyAlgorithmNotAllowed,$SubmitCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
            $failures[0].TargetObject | Should -Be 'RSA_1024'
            $failures[0].Exception.Message | Should -Match 'RSA_1024'
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'refuses an SM2 request made by New-Csr with KeyAlgorithmNotAllowed and leaves the store as it was' {
            $csr = New-Csr -CommonName 'sm2.example.com' -Algorithm SM2 -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            $csr | Submit-CertificateOrder -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "KeyAlgorithmNotAllowed,$SubmitCommand"
            $failures[0].TargetObject | Should -Be 'SM2_256'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'accepts RSA 2048 and ECC requests as objects, PEM text, PEM files and DER files, and with -WhatIf keeps nothing' {
            $rsa = New-Csr -CommonName 'rsa.example.com' -StorePath $store
            $ecc = New-Csr -CommonName 'ecc.example.com' -Algorithm 'P-384' -StorePath $store
            $pemFile = Join-Path $work 'ecc.csr'
            [System.IO.File]::WriteAllText($pemFile, $ecc.Csr, [System.Text.UTF8Encoding]::new($false))
            $derFile = Join-Path $work 'rsa.der'
            $body = @($rsa.Csr -split "`n" | Where-Object { $_ -and $_ -notmatch '^-----' }) -join ''
            [System.IO.File]::WriteAllBytes($derFile, [System.Convert]::FromBase64String($body))
            $before = Get-PkiStoreSnapshot -StorePath $store
            $common = @{ Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store; WhatIf = $true }

            $results = @(
                $rsa, $ecc | Submit-CertificateOrder @common -ErrorVariable failures
                Submit-CertificateOrder -Csr $ecc.Csr @common -ErrorVariable +failures
                Submit-CertificateOrder -CsrPath $pemFile @common -ErrorVariable +failures
                Submit-CertificateOrder -CsrPath (Join-Path $work 'rsa.d?r') @common -ErrorVariable +failures
            )

            $results.Count | Should -Be 0
            $failures.Count | Should -Be 0
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            Test-Path -LiteralPath (Join-Path $store 'acme') | Should -BeFalse
        }

        It 'takes the parameter names of seed 003 (ValidateType FILE, ProductCode, DirectoryUrl) and with -WhatIf writes nothing' {
            $csr = New-Csr -CommonName 'seed.example.com' -Algorithm ECC -StorePath $store
            $webRoot = Join-Path $work 'www'
            $null = New-Item -ItemType Directory -Path $webRoot

            $result = Submit-CertificateOrder -Csr $csr.Csr -ValidateType FILE -ProductCode 'tlsserver' -DirectoryUrl 'LetsEncryptStaging' `
                -Username 'keller' -Phone '1381111****' -Email 'mailto:Ops@Example.COM' -AcceptTermsOfService -WebRoot $webRoot `
                -StorePath $store -WhatIf -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures.Count | Should -Be 0
            @(Get-ChildItem -LiteralPath $webRoot -Force).Count | Should -Be 0
        }

        It 'refuses a server that is not a short name or an https URL with AcmeServerInvalid' -ForEach @(
            @{ Server = 'ftp://x' }
            @{ Server = 'http://acme.example.com/directory' }
            @{ Server = 'not a url' }
        ) {
            $csr = New-Csr -CommonName 'server.example.com' -Algorithm ECC -StorePath $store

            $csr | Submit-CertificateOrder -Server $Server -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "AcmeServerInvalid,$SubmitCommand"
            "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be $Server
            $failures[0].Exception.Message | Should -Match 'LetsEncrypt, LetsEncryptStaging'
        }

        It 'refuses -WebRoot with -ValidationMethod Dns with WebRootRequiresHttp' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $webRoot = Join-Path $work 'www'
            $null = New-Item -ItemType Directory -Path $webRoot

            $csr | Submit-CertificateOrder -ValidationMethod Dns -WebRoot $webRoot -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "WebRootRequiresHttp,$SubmitCommand"
            $failures[0].TargetObject | Should -Be ([System.IO.Path]::GetFullPath($webRoot))
        }

        It 'refuses a -WebRoot folder that does not exist with PathNotFound' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store

            $csr | Submit-CertificateOrder -WebRoot (Join-Path $work 'missing') -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "PathNotFound,$SubmitCommand"
        }

        It 'refuses <Case> with ValidationMethodNotAllowed' -ForEach @(
            @{ Case = 'a wildcard name with Http'; CommonName = '*.example.com'; San = @(); Method = 'Http'; Target = '*.example.com' }
            @{ Case = 'an IP address with the default Dns'; CommonName = 'www.example.com'; San = @('192.0.2.10'); Method = $null; Target = '192.0.2.10' }
        ) {
            $csr = New-Csr -CommonName $CommonName -SubjectAlternativeName $San -Algorithm ECC -StorePath $store
            $parameters = @{ Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store }
            if ($Method) {
                $parameters['ValidationMethod'] = $Method
            }

            $csr | Submit-CertificateOrder @parameters -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "ValidationMethodNotAllowed,$SubmitCommand"
            $failures[0].TargetObject | Should -Be $Target
        }

        It 'refuses a request that names no DNS name or IP address with NoServerName' {
            $csr = New-Csr -CommonName 'My Server' -Algorithm ECC -StorePath $store

            $csr | Submit-CertificateOrder -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "NoServerName,$SubmitCommand"
        }

        It 'refuses a -ValidationMethod outside Dns, Http and File before the cmdlet runs' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store

            { Submit-CertificateOrder -Csr $csr.Csr -ValidationMethod 'Email' -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$SubmitCommand"
        }

        It 'asks for -Email when the store has no account at the server, with ContactEmailRequired' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $before = Get-PkiStoreSnapshot -StorePath $store

            $csr | Submit-CertificateOrder -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "ContactEmailRequired,$SubmitCommand"
            $failures[0].Exception.Message | Should -Match ([regex]::Escape('https://acme-v02.api.letsencrypt.org/directory'))
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'refuses an e-mail address that is not valid with InvalidEmailAddress' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store

            $csr | Submit-CertificateOrder -Email 'ops@localhost' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidEmailAddress,$SubmitCommand"
        }

        It 'refuses an incomplete or malformed external account binding' {
            $csr = New-Csr -CommonName 'www.example.com' -Algorithm ECC -StorePath $store
            $common = @{ Email = 'ops@example.com'; AcceptTermsOfService = $true; StorePath = $store; ErrorAction = 'SilentlyContinue' }

            $csr | Submit-CertificateOrder -EabKeyId 'kid-1' @common -ErrorVariable incomplete
            $csr | Submit-CertificateOrder -ExternalAccountHmacKey (ConvertTo-PkiTestSecureString -Text 'c2VjcmV0') @common -ErrorVariable incomplete2
            $csr | Submit-CertificateOrder -ExternalAccountKeyId 'kid-1' -EabHmacKey (ConvertTo-PkiTestSecureString -Text 'not base64url!') @common -ErrorVariable malformed

            $incomplete[0].FullyQualifiedErrorId | Should -Be "ExternalAccountBindingIncomplete,$SubmitCommand"
            $incomplete[0].Exception.Message | Should -Match '-EabKeyId'
            $incomplete2[0].FullyQualifiedErrorId | Should -Be "ExternalAccountBindingIncomplete,$SubmitCommand"
            $malformed[0].FullyQualifiedErrorId | Should -Be "AcmeExternalAccountKeyInvalid,$SubmitCommand"
            $malformed[0].Exception.Message | Should -Not -Match 'not base64url!'
        }

        It 'reports a -CsrPath that matches no file with PathNotFound' {
            Submit-CertificateOrder -CsrPath (Join-Path $work 'missing.csr') -Email 'ops@example.com' -AcceptTermsOfService -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "PathNotFound,$SubmitCommand"
        }

        It 'stops with StorePathInvalid for a -StorePath on a drive that is not the file system' {
            $pem = New-OrderTestRsaCsrPem -CommonName 'www.example.com'

            { Submit-CertificateOrder -Csr $pem -Email 'ops@example.com' -AcceptTermsOfService -StorePath 'Env:\PkiCmdletsTestStore' -ErrorAction Stop } |
                Should -Throw -ErrorId "StorePathInvalid,$SubmitCommand"
        }

        It 'completes -Server with the short names of the well-known servers' {
            $line = 'Submit-CertificateOrder -Server Lets'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $texts = @($completion.CompletionMatches | ForEach-Object { $_.CompletionText })

            ($texts -join ',') | Should -Be 'LetsEncrypt,LetsEncryptStaging'
        }
    }
}

Describe 'Submit-CertificateOrder against Pebble' {
    BeforeAll {
        $Pebble = Start-OrderTestPebble -Folder (Join-Path $TestDrive 'pebble')
    }

    AfterAll {
        Stop-OrderTestPebble -Pebble $Pebble
    }

    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $work = Join-Path $TestDrive ('work-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $pebbleOrder = @{
            Server               = $Pebble.DirectoryUrl
            SkipCertificateCheck = $true
            Email                = 'ops@example.com'
            AcceptTermsOfService = $true
            StorePath            = $store
        }
    }

    It 'orders a certificate for a CSR piped from New-Csr and returns the TXT record each domain needs' {
        $domain = New-OrderTestDomain
        $csr = New-Csr -CommonName $domain -Sans "www.$domain" -Algorithm ECC -StorePath $store

        $order = $csr | Submit-CertificateOrder @pebbleOrder -ValidationMethod Dns -Username 'keller' -Phone '1381111****'

        $order.GetType().FullName | Should -Be $OrderTypeName
        $order.OrderId | Should -Be 1
        "$($order.Status)" | Should -Be 'Pending'
        ($order.Domains -join ',') | Should -Be "$domain,www.$domain"
        "$($order.ValidationMethod)" | Should -Be 'Dns'
        $order.Server | Should -Be $Pebble.DirectoryUrl
        $order.CsrId | Should -Be $csr.Id
        $order.CommonName | Should -Be $domain
        $order.Email | Should -Be 'ops@example.com'
        $order.Username | Should -Be 'keller'
        $order.Phone | Should -Be '1381111****'
        $order.SkipCertificateCheck | Should -BeTrue
        $order.Expires | Should -Not -BeNullOrEmpty
        $order.CertificateIdentifier | Should -BeNullOrEmpty
        $order.Identifier | Should -BeNullOrEmpty
        $order.Error | Should -BeNullOrEmpty
        $order.AccountUrl | Should -Match '^https://127\.0\.0\.1:\d+/'
        $order.OrderUrl | Should -Match '^https://127\.0\.0\.1:\d+/'
        $order.StorePath | Should -Be ([System.IO.Path]::GetFullPath($store))
        @($order.Challenges).Count | Should -Be 2
        foreach ($challenge in $order.Challenges) {
            $challenge.Type | Should -Be 'dns-01'
            $challenge.Status | Should -Be 'pending'
            $challenge.RecordName | Should -Be ('_acme-challenge.' + $challenge.Domain)
            $challenge.RecordType | Should -Be 'TXT'
            $challenge.RecordValue | Should -Match '^[A-Za-z0-9_-]{43}$'
            $challenge.Url | Should -BeNullOrEmpty
        }
        # The order and its CSR copy are kept; the account has the contact, never the name or phone.
        Join-Path $store 'acme/orders/1.json' | Should -Exist
        Join-Path $store 'acme/orders/1.csr.pem' | Should -Exist
        $accountFiles = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -File | ForEach-Object { $_.Name } | Sort-Object)
        $accountFiles.Count | Should -Be 2
        $accountFiles[0] | Should -Match '^[0-9a-f]{32}\.json$'
        $accountFiles[1] | Should -Match '^[0-9a-f]{32}\.key\.pem$'
        $account = Get-Content -LiteralPath (Join-Path $store "acme/accounts/$($accountFiles[0])") -Raw
        $account | Should -Match 'mailto:ops@example.com'
        $account | Should -Not -Match 'keller'
        $account | Should -Not -Match '1381111'
        Get-Content -LiteralPath (Join-Path $store "acme/accounts/$($accountFiles[1])") -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
        @(Get-CertificateOrder -StorePath $store).Count | Should -Be 1
    }

    It 'writes the http-01 file under -WebRoot with the content the server expects, and Complete-CertificateOrder removes it once the certificate is stored' {
        $domain = New-OrderTestDomain
        $webRoot = Join-Path $work 'www'
        $null = New-Item -ItemType Directory -Path $webRoot
        $csr = New-Csr -CommonName $domain -StorePath $store

        $order = $csr | Submit-CertificateOrder @pebbleOrder -WebRoot $webRoot

        "$($order.ValidationMethod)" | Should -Be 'Http'
        $order.WebRoot | Should -Be ([System.IO.Path]::GetFullPath($webRoot))
        $challenge = @($order.Challenges)[0]
        $challenge.Type | Should -Be 'http-01'
        $challenge.Url | Should -Be "http://$domain/.well-known/acme-challenge/$($challenge.FileName)"
        $challenge.FileContent | Should -BeLike "$($challenge.FileName).*"
        $challenge.RecordName | Should -BeNullOrEmpty
        $challenge.FilePath | Should -Be (Join-Path (Join-Path (Join-Path ([System.IO.Path]::GetFullPath($webRoot)) '.well-known') 'acme-challenge') $challenge.FileName)
        [System.IO.File]::ReadAllText($challenge.FilePath) | Should -BeExactly $challenge.FileContent

        # Pebble fetches the file from pebble-challtestsrv, which stands in for the web server that serves the web root.
        Add-OrderTestHttp01 -Pebble $Pebble -Token $challenge.FileName -Content ([System.IO.File]::ReadAllText($challenge.FilePath))
        $done = Complete-CertificateOrder -OrderId $order.OrderId -Wait -TimeoutSec 120 -StorePath $store

        "$($done.Status)" | Should -Be 'Valid'
        $done.Identifier | Should -Not -BeNullOrEmpty
        $challenge.FilePath | Should -Not -Exist
        (Get-IssuedCertificate -Identifier $done.Identifier -StorePath $store).Algorithm | Should -Be 'RSA_2048'
    }

    It 'takes the seed''s FILE value without -WebRoot, writes nothing, and gives the URL and content to serve' {
        $domain = New-OrderTestDomain
        $csr = New-Csr -CommonName $domain -Algorithm ECC -StorePath $store

        $order = $csr | Submit-CertificateOrder @pebbleOrder -ValidateType FILE

        "$($order.ValidationMethod)" | Should -Be 'Http'
        $order.WebRoot | Should -BeNullOrEmpty
        $challenge = @($order.Challenges)[0]
        $challenge.Type | Should -Be 'http-01'
        $challenge.FileName | Should -Match '^[A-Za-z0-9_-]+$'
        $challenge.FileContent | Should -BeLike "$($challenge.FileName).*"
        $challenge.FilePath | Should -BeNullOrEmpty
    }

    It 'orders each CSR piped in, reporting a bad one and going on with the others' {
        $first = New-OrderTestDomain
        $last = New-OrderTestDomain
        $csrs = @(
            New-Csr -CommonName $first -Algorithm ECC -StorePath $store
            New-Csr -CommonName 'sm2.example.com' -Algorithm SM2 -StorePath $store
            New-Csr -CommonName $last -Algorithm RSA -StorePath $store
        )

        $orders = @($csrs | Submit-CertificateOrder @pebbleOrder -ErrorAction SilentlyContinue -ErrorVariable failures)

        ($orders | ForEach-Object { $_.OrderId }) -join ',' | Should -Be '1,2'
        ($orders | ForEach-Object { $_.CommonName }) -join ',' | Should -Be "$first,$last"
        ($orders | ForEach-Object { $_.CsrId }) -join ',' | Should -Be "$($csrs[0].Id),$($csrs[2].Id)"
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "KeyAlgorithmNotAllowed,$SubmitCommand"
    }

    It 'creates no account without -AcceptTermsOfService and names the server''s terms in TermsOfServiceNotAccepted' {
        $csr = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store
        $parameters = $pebbleOrder.Clone()
        $parameters.Remove('AcceptTermsOfService')

        $csr | Submit-CertificateOrder @parameters -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "TermsOfServiceNotAccepted,$SubmitCommand"
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($Pebble.DirectoryUrl))
        $failures[0].Exception.Message | Should -Match 'data:text/plain'
        $failures[0].Exception.Message | Should -Match '-AcceptTermsOfService'
        Join-Path $store 'acme' | Should -Not -Exist
    }

    It 'uses the account for later orders, which need neither -Email nor -AcceptTermsOfService' {
        $first = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @pebbleOrder
        $parameters = $pebbleOrder.Clone()
        $parameters.Remove('AcceptTermsOfService')
        $parameters.Remove('Email')

        $second = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store | Submit-CertificateOrder @parameters

        $second.OrderId | Should -Be ($first.OrderId + 1)
        $second.AccountUrl | Should -Be $first.AccountUrl
        $second.Email | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -File).Count | Should -Be 2
    }

    It 'refuses Pebble''s untrusted TLS certificate without -SkipCertificateCheck with AcmeServerUnreachable and keeps no order' {
        $csr = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store
        $parameters = $pebbleOrder.Clone()
        $parameters.Remove('SkipCertificateCheck')

        $csr | Submit-CertificateOrder @parameters -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "AcmeServerUnreachable,$SubmitCommand"
        "$($failures[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }

    It 'refuses a -ProductCode the server does not offer with AcmeProfileNotOffered before creating the account' {
        $csr = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store

        $csr | Submit-CertificateOrder @pebbleOrder -ProductCode 'symantec-free-1-free' -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "AcmeProfileNotOffered,$SubmitCommand"
        $failures[0].Exception.Message | Should -Match 'symantec-free-1-free'
        Join-Path $store 'acme' | Should -Not -Exist
    }

    It 'writes one -Verbose line per request, with method, URL and status, and never the account key' {
        $csr = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store

        $records = @($csr | Submit-CertificateOrder @pebbleOrder -Verbose 4>&1)

        $order = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        # Besides the request lines, -Verbose shows ShouldProcess's own 'Performing the operation ...' line.
        $lines = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message } |
                Where-Object { $_ -notlike 'Performing the operation*' })
        $order.Count | Should -Be 1
        $lines.Count | Should -BeGreaterOrEqual 5
        foreach ($line in $lines) {
            $line | Should -Match '^(GET|HEAD|POST) https://127\.0\.0\.1:\d+/\S* \d{3}$'
        }
        ($lines -match '^GET \S+/dir 200$').Count | Should -BeGreaterOrEqual 1
        ($lines -match '^POST \S+ 201$').Count | Should -BeGreaterOrEqual 2
        $keyFile = @(Get-ChildItem -LiteralPath (Join-Path $store 'acme/accounts') -Filter '*.key.pem')[0]
        $keyLines = @(Get-Content -LiteralPath $keyFile.FullName | Where-Object { $_ -and $_ -notmatch '^-----' })
        $verboseText = $lines -join "`n"
        foreach ($keyLine in $keyLines) {
            $verboseText.Contains($keyLine) | Should -BeFalse
        }
        $verboseText | Should -Not -Match 'PRIVATE KEY'
        $verboseText.Contains($order[0].Challenges[0].RecordValue) | Should -BeFalse
    }

    It 'sends nothing with -WhatIf' {
        $csr = New-Csr -CommonName (New-OrderTestDomain) -Algorithm ECC -StorePath $store
        $before = Get-PkiStoreSnapshot -StorePath $store

        $records = @($csr | Submit-CertificateOrder @pebbleOrder -WhatIf -Verbose 4>&1)

        # No order, and no request line (only ShouldProcess could write a verbose line of its own).
        @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -notlike 'Performing the operation*' }).Count |
            Should -Be 0
        Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
    }
}

Describe 'Submit-CertificateOrder help' {
    It 'has a synopsis, a description and at least three examples that use the cmdlet' {
        Assert-PkiCommandHelp -Name Submit-CertificateOrder -SynopsisPattern 'ACME' -DescriptionPattern 'AcceptTermsOfService'
    }

    It 'describes every parameter' {
        Assert-PkiParameterHelp -Name Submit-CertificateOrder
    }
}
