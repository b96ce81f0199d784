# Pester 5 tests for how the module fits the habits of the shell: views read at 80 and 120 columns, filterable
# columns, compact JSON, pipeline binding from files and lines, tab completion, validation before anything is written,
# and messages that name what they are about. They drive the built module (see TestHelpers.psm1); every test works in
# its own new store under TestDrive:, passed with -StorePath.

BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module -Name (Join-Path $PSScriptRoot 'AcmeTestHelpers.psm1') -Force
    $null = Import-PkiCmdletsModule
    $ProgressPreference = 'SilentlyContinue'

    function Get-Rendered {
        # What the default view shows at a width, with the lines' trailing blanks removed.
        param([Parameter(ValueFromPipeline = $true)] $InputObject, [int] $Width)
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end { ($items | Out-String -Width $Width) -replace ' +(\r?\n)', '$1' }
    }

    function Get-ShouldProcessMessage {
        # The "Performing the operation ..." lines ShouldProcess writes to the verbose stream when it goes ahead.
        param([Parameter(ValueFromPipeline = $true)] $Record)
        process { if ($Record -is [System.Management.Automation.VerboseRecord] -and $Record.Message -like 'Performing the operation*') { $Record.Message } }
    }

    function Get-Completion {
        param([string] $Line)
        Push-Location -LiteralPath $TestDrive
        try {
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object { $_.CompletionText })
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'Fit for the shell' {
    BeforeEach {
        $store = New-PkiTestStorePath -Root $TestDrive
        $password = ConvertTo-PkiTestSecureString -Text 'Ca-Pa55'
        $null = New-RootCA -Name 'Contoso-Root' -CommonName 'Contoso Root Certification Authority' -Algorithm ECC -NoPassword -StorePath $store
        $sub = New-SubCA -Name 'Operations-Issuing' -CommonName 'Contoso Operations Issuing CA' -Issuer 'Contoso-Root' -Algorithm ECC `
            -KeyPassword $password -IssuerKeyPassword $password -StorePath $store
        $csr = New-Csr -CommonName 'www.contoso.com' -SubjectAlternativeName 'api.contoso.com', 'mail.contoso.com', '192.0.2.10' -Algorithm ECC -StorePath $store
        $certificate = $csr | New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store
    }

    Context 'Views at 80 and 120 columns' {
        It 'shows every CA value in full at <Width> columns: names, dates with the year, lock state, ids' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            # The default is a list: a 32-digit Id beside the rest does not fit 80 columns. Format-Table gives a table
            # without it, which holds these names at 120 columns (at 80 its last column wraps).
            $list = Get-CA -StorePath $store | Get-Rendered -Width $Width
            $table = Get-CA -StorePath $store | Format-Table | Get-Rendered -Width 120

            foreach ($ca in Get-CA -StorePath $store) {
                foreach ($value in $ca.Name, $ca.CommonName, $ca.Id, $ca.Kind, $ca.NotAfter.ToString('yyyy')) {
                    $list | Should -Match ([regex]::Escape($value))
                }
                foreach ($value in $ca.Name, $ca.CommonName, $ca.Kind, $ca.NotAfter.ToString('yyyy-MM-dd')) {
                    $table | Should -Match ([regex]::Escape($value))
                }
            }
            $table | Should -Match 'Locked'
            $table | Should -Match 'Operations-Issuing +Intermediate +\d{4}-\d\d-\d\d +True'
            "$list$table" | Should -Not -Match '…'
        }

        It 'shows a certificate''s serial number, expiry with the year, names and issuer in full at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $text = Get-IssuedCertificate -StorePath $store | Get-Rendered -Width $Width

            $text | Should -Match ([regex]::Escape($certificate.SerialNumber))
            $text | Should -Match ([regex]::Escape($certificate.NotAfter.ToString('yyyy-MM-dd')))
            $text | Should -Match 'IssuerName: Operations-Issuing'
            foreach ($name in 'www.contoso.com', 'api.contoso.com', 'mail.contoso.com', '192.0.2.10') {
                $text | Should -Match "(?m)\s$([regex]::Escape($name))$"
            }
            $text | Should -Not -Match '…'
            $text | Should -Not -Match '(?m)^Ser$'
        }

        It 'shows a CSR''s name, key protection and every subject alternative name in full at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $text = Get-Csr -StorePath $store | Get-Rendered -Width $Width

            $text | Should -Match 'KeyProtected'
            foreach ($name in 'www.contoso.com', 'api.contoso.com', 'mail.contoso.com', '192.0.2.10') {
                $text | Should -Match "(?m)\s$([regex]::Escape($name))$"
            }
            $text | Should -Not -Match '…'
        }

        It 'shows the TXT record name and value a domain needs in full, as a list, at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            New-OrderTestRecord -StorePath $store -Id 1 -Status pending -Domain 'a-rather-long-host-name.subdomain.contoso.com'
            $order = Get-CertificateOrder -OrderId 1 -StorePath $store -ErrorAction SilentlyContinue
            $challenge = $order.Challenges[0]

            $text = $order.Challenges | Get-Rendered -Width $Width

            $text | Should -Match "RecordName\s+: $([regex]::Escape($challenge.RecordName))\r?\n"
            $text | Should -Match "RecordValue\s+: $([regex]::Escape($challenge.RecordValue))\r?\n"
            $text | Should -Not -Match '…'
            ($order.Challenges | Format-Table -AutoSize | Out-String -Width 200) | Should -Match ([regex]::Escape($challenge.RecordValue))
        }

        It 'shows an order''s domains and its certificate''s expiry, not the order''s, at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $notAfter = [System.DateTimeOffset]::new(2031, 3, 14, 0, 0, 0, [TimeSpan]::Zero)
            New-OrderTestRecord -StorePath $store -Id 1 -Status valid -Domain 'shop.contoso.com' -CertificateIdentifier '3f9c2a7d41e08b5c96d1e7a40b2c8f15' -CertificateNotAfter $notAfter

            $order = Get-CertificateOrder -OrderId 1 -StorePath $store
            $text = $order | Get-Rendered -Width $Width

            $order.NotAfter | Should -Be $notAfter
            $order.Expires | Should -Not -Be $notAfter
            $text | Should -Match '2031-03-14'
            $text | Should -Match 'shop\.contoso\.com'
            $text | Should -Match 'ValidationMethod'
        }

        It 'shows a published CRL as a list with its full paths at 80 columns' {
            $path = Join-Path $TestDrive 'operations.crl'
            $crl = Publish-Crl -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -Path $path -StorePath $store

            $text = $crl | Get-Rendered -Width 80

            $text | Should -Match "Path\s+: $([regex]::Escape($path))\r?\n"
            $text | Should -Match "RevokedCount\s+: 0"
            $text | Should -Match ([regex]::Escape($crl.NextUpdate.ToString('yyyy')))
        }

        It 'has a view whose columns are all real properties, named as they are' {
            $views = [xml](Get-Content -Raw -LiteralPath (Join-Path (Get-Module PkiCmdlets).ModuleBase 'PkiCmdlets.format.ps1xml'))
            foreach ($view in $views.Configuration.ViewDefinitions.View) {
                if (-not $view.TableControl) { continue }
                $labels = @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { $_.Label })
                $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
                for ($i = 0; $i -lt $labels.Count; $i++) {
                    if ($items[$i].PropertyName) { $items[$i].PropertyName | Should -Be $labels[$i] }
                    else { $items[$i].ScriptBlock | Should -Match ('^\$_\.' + $labels[$i] + '\b') }
                }
            }
        }
    }

    Context 'Columns are properties' {
        It 'filters and selects CAs by Kind and Locked' {
            (Get-CA -StorePath $store | Where-Object Kind -EQ Root).Name | Should -Be 'Contoso-Root'
            (Get-CA -StorePath $store | Where-Object Kind -EQ Intermediate).Name | Should -Be 'Operations-Issuing'
            (Get-CA -StorePath $store | Where-Object Locked).Name | Should -Be 'Operations-Issuing'
            @(Get-CA -StorePath $store | Select-Object -ExpandProperty Locked) -join ',' | Should -Be 'False,True'
        }

        It 'filters certificates by Names and Status, and CSRs by KeyProtected' {
            (Get-IssuedCertificate -StorePath $store | Where-Object Names -Contains '192.0.2.10').Identifier | Should -Be $certificate.Identifier
            @($certificate.Names) -join ',' | Should -Be 'www.contoso.com,api.contoso.com,mail.contoso.com,192.0.2.10'
            @(Get-IssuedCertificate -StorePath $store | Where-Object Status -EQ 'Valid').Count | Should -Be 1
            @(Get-Csr -StorePath $store | Where-Object KeyProtected -EQ $false).Count | Should -Be 1
        }
    }

    Context 'ConvertTo-Json' {
        It 'writes a certificate in under 3 KB without a depth warning, its status as a name, and keeps the X509Certificate2 property' {
            $json = $certificate | ConvertTo-Json -WarningVariable warnings 3>$null
            $parsed = $json | ConvertFrom-Json

            $warnings.Count | Should -Be 0
            $json.Length | Should -BeLessThan 3000
            $parsed.Status | Should -BeExactly 'Valid'
            $parsed.SerialNumber | Should -Be $certificate.SerialNumber
            $parsed.PSObject.Properties.Name | Should -Not -Contain 'Certificate'
            $certificate.Certificate | Should -BeOfType ([System.Security.Cryptography.X509Certificates.X509Certificate2])
            $certificate.Certificate.Thumbprint | Should -Be $certificate.Thumbprint
            ($certificate | Select-Object -Property Certificate).Certificate.Thumbprint | Should -Be $certificate.Thumbprint
        }

        It 'writes 20 certificates, a CA, a CSR and a revoked certificate compactly, with enums as names' {
            $many = 1..20 | ForEach-Object { "h$_.contoso.com" } | ForEach-Object { New-Csr -CommonName $_ -Algorithm ECC -StorePath $store } |
                New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store
            $revoked = $many[0] | Revoke-IssuedCertificate -Reason KeyCompromise -PassThru -Confirm:$false -StorePath $store

            ($many | ConvertTo-Json -WarningVariable w1 3>$null).Length | Should -BeLessThan 45000
            $w1.Count | Should -Be 0
            $revokedJson = $revoked | ConvertTo-Json | ConvertFrom-Json
            $revokedJson.Status | Should -BeExactly 'Revoked'
            $revokedJson.RevocationReason | Should -BeExactly 'KeyCompromise'
            $caJson = Get-CA -Name 'Operations-Issuing' -StorePath $store | ConvertTo-Json -WarningVariable w2 3>$null
            $w2.Count | Should -Be 0
            ($caJson | ConvertFrom-Json).Kind | Should -BeExactly 'Intermediate'
            ($csr | ConvertTo-Json | ConvertFrom-Json).Status | Should -BeExactly 'Generated'
        }

        It 'writes an order''s status and validation method as names' {
            New-OrderTestRecord -StorePath $store -Id 1 -Status invalid -Problem 'no TXT record'
            $json = Get-CertificateOrder -OrderId 1 -StorePath $store | ConvertTo-Json -Depth 4 | ConvertFrom-Json

            $json.Status | Should -BeExactly 'Invalid'
            $json.ValidationMethod | Should -BeExactly 'Dns'
        }
    }

    Context 'Export writes the provider''s file item' {
        It 'returns a FileInfo with its mode, size and PS properties, shown like Get-Item''s' {
            $path = Join-Path $TestDrive 'www.pem'
            $file = $certificate | Export-IssuedCertificate -Path $path -StorePath $store

            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.PSPath | Should -Not -BeNullOrEmpty
            $file.PSParentPath | Should -Not -BeNullOrEmpty
            ($file | Get-Rendered -Width 80) | Should -Be (Get-Item -LiteralPath $path | Get-Rendered -Width 80)
            ($file | Get-Rendered -Width 80) | Should -Match "\s$($file.Length) www\.pem"
        }
    }

    Context 'Binding from files, lines and serial numbers' {
        BeforeEach {
            $requests = Join-Path $TestDrive ('requests-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $requests
            foreach ($name in 'one', 'two', 'three') {
                $made = New-Csr -CommonName "$name.contoso.com" -Algorithm ECC -StorePath $store
                Set-Content -LiteralPath (Join-Path $requests "$name.csr") -Value $made.Csr
            }
        }

        It 'takes files from Get-ChildItem as -CsrPath' {
            $issued = @(Get-ChildItem -Path (Join-Path $requests '*.csr') | New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store -ErrorVariable failures)

            $failures.Count | Should -Be 0
            ($issued.CommonName | Sort-Object) -join ',' | Should -Be 'one.contoso.com,three.contoso.com,two.contoso.com'
        }

        It 'takes the lines of a PEM file from Get-Content as one request, named in its confirmation' {
            $records = @(Get-Content -LiteralPath (Join-Path $requests 'one.csr') |
                New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store -Verbose -ErrorVariable failures 4>&1)
            $issued = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

            $failures.Count | Should -Be 0
            $issued.Count | Should -Be 1
            $issued[0].CommonName | Should -Be 'one.contoso.com'
            @($records | Get-ShouldProcessMessage) | Should -Be @('Performing the operation "Issue server certificate from Operations-Issuing" on target "the CSR for one.contoso.com".')
        }

        It 'takes the lines of two files in a row as two requests' {
            $issued = @(Get-Content -LiteralPath (Join-Path $requests 'one.csr'), (Join-Path $requests 'two.csr') | New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store)

            ($issued.CommonName | Sort-Object) -join ',' | Should -Be 'one.contoso.com,two.contoso.com'
        }

        It 'refuses a PEM that ends before its END line in the module''s words, with no library message' {
            $lines = @(Get-Content -LiteralPath (Join-Path $requests 'one.csr'))
            $lines[0..3] | New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidPem,PkiCmdlets.Commands.NewServerCertificateCommand'
            $failures[0].Exception.Message | Should -Match 'END CERTIFICATE REQUEST'
            $failures[0].Exception.Message | Should -Not -Match 'corrupted stream|DER length|out of bounds'
        }

        It 'finds a certificate by its serial number through -Identifier and -SerialNumber, as <Form>' -ForEach @(
            @{ Form = 'upper case' }, @{ Form = 'lower case' }, @{ Form = 'lower case with colons' }
        ) {
            $serial = $certificate.SerialNumber
            if ($Form -match 'lower') { $serial = $serial.ToLowerInvariant() }
            if ($Form -match 'colons') { $serial = ($serial -split '(..)' | Where-Object { $_ }) -join ':' }

            (Get-IssuedCertificate -Identifier $serial -StorePath $store -ErrorVariable failures).Identifier | Should -Be $certificate.Identifier
            (Get-IssuedCertificate -SerialNumber $serial -StorePath $store).Identifier | Should -Be $certificate.Identifier
            $failures.Count | Should -Be 0
        }

        It 'names an identifier it cannot find as it was typed' {
            Get-IssuedCertificate -Identifier 'AB:CD:EF' -StorePath $store -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CertificateNotFound,PkiCmdlets.Commands.GetIssuedCertificateCommand'
            $failures[0].Exception.Message | Should -CMatch "'AB:CD:EF'"
        }

        It 'refuses a plain-text password in the module''s words, saying how to give a SecureString (<Command>)' -ForEach @(
            @{ Command = 'Unlock-CA'; Splat = @{ Name = 'Operations-Issuing'; Password = 'Ca-Pa55' } }
            @{ Command = 'New-Csr'; Splat = @{ CommonName = 'x.contoso.com'; KeyPassword = 'secret' } }
            @{ Command = 'Export-IssuedCertificate'; Splat = @{ Identifier = 'x'; Path = 'x.pfx'; Format = 'Pfx'; Password = 'secret' } }
        ) {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $failure = { & $Command @Splat -StorePath $store -ErrorAction Stop } | Should -Throw -PassThru

            $failure.FullyQualifiedErrorId | Should -Match '^ParameterArgumentTransformationError,'
            $failure.Exception.Message | Should -Match 'Read-Host -AsSecureString'
            $failure.Exception.Message | Should -Match 'ConvertTo-SecureString'
            $failure.Exception.Message | Should -Not -Match 'System\.String'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'issues with -NotAfter alone from now until then' {
            $end = [System.DateTime]::UtcNow.AddDays(40)
            $start = [System.DateTimeOffset]::UtcNow.AddSeconds(-2)

            $issued = New-Csr -CommonName 'short.contoso.com' -Algorithm ECC -StorePath $store |
                New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -NotAfter $end -StorePath $store

            $issued.NotBefore | Should -BeGreaterOrEqual $start.AddSeconds(-1)
            $issued.NotBefore | Should -BeLessOrEqual ([System.DateTimeOffset]::UtcNow)
            $issued.NotAfter.ToUnixTimeSeconds() | Should -Be ([System.DateTimeOffset]::new($end).ToUnixTimeSeconds())
        }
    }

    Context 'Tab completion' {
        It 'offers only intermediates for New-ServerCertificate -Issuer' {
            Get-Completion "New-ServerCertificate -StorePath $store -Issuer " | Should -Be @('Operations-Issuing')
            Get-Completion "Get-IssuedCertificate -StorePath $store -Issuer " | Should -Be @('Operations-Issuing')
            (Get-Completion "New-SubCA -StorePath $store -Issuer ") -join ',' | Should -Be 'Contoso-Root,Operations-Issuing'
        }

        It 'offers values, never file names, for <Line>' -ForEach @(
            @{ Line = 'Get-Csr -Id '; Expected = '1' }
            @{ Line = 'New-Csr -KeySize '; Expected = '256,384,521,2048,3072,4096' }
            @{ Line = 'New-Csr -Algorithm RSA -KeySize '; Expected = '2048,3072,4096' }
            @{ Line = 'New-Csr -Country D'; Expected = 'DE,DJ,DK,DM,DO,DZ' }
            @{ Line = 'Get-IssuedCertificate -DnsName a'; Expected = 'api.contoso.com' }
        ) {
            Write-PkiTestFile -Path (Join-Path $TestDrive 'DE-file.txt') -Text 'a file a path completion would offer'
            $completions = Get-Completion ($Line -replace '^(\S+) ', "`$1 -StorePath $store ")

            $completions -join ',' | Should -Be $Expected
        }

        It 'locks every unlocked CA with Lock-CA and no name, confirming each by its name' {
            $null = Unlock-CA -Name 'Operations-Issuing' -Password $password -StorePath $store
            $null = Lock-CA -StorePath $store -WhatIf
            (Get-CA -Name 'Operations-Issuing' -StorePath $store).Locked | Should -BeFalse

            $records = @(Lock-CA -StorePath $store -PassThru -Verbose 4>&1)
            $locked = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

            @($records | Get-ShouldProcessMessage) | Should -Be @('Performing the operation "Lock CA key" on target "Operations-Issuing".')
            $locked.Name | Should -Be 'Operations-Issuing'
            (Get-CA -Name 'Operations-Issuing' -StorePath $store).Locked | Should -BeTrue
            (Get-Command Lock-CA).Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Not -Contain $true
        }
    }

    Context 'Validation before side effects' {
        It 'refuses the common name <CommonName> at once with <ErrorId>, writing nothing' -ForEach @(
            @{ CommonName = 'web.*.corp.test'; ErrorId = 'MisplacedWildcard' }
            @{ CommonName = '10.0.0.01'; ErrorId = 'InvalidIpAddress' }
        ) {
            $before = Get-PkiStoreSnapshot -StorePath $store

            { New-Csr -CommonName $CommonName -Algorithm ECC -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,PkiCmdlets.Commands.NewCsrCommand"
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
        }

        It 'warns at once when the common name <CommonName> names no server, and makes the CSR' -ForEach @(
            @{ CommonName = 'my_host.corp.test' }, @{ CommonName = 'Contoso Web Team' }
        ) {
            $made = New-Csr -CommonName $CommonName -Algorithm ECC -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue

            $made.CommonName | Should -Be $CommonName
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match ([regex]::Escape("'$CommonName'"))
            "$($warnings[0])" | Should -Match 'no server certificate'
        }

        It 'does not warn for a host name' {
            $null = New-Csr -CommonName 'host.contoso.com' -Algorithm ECC -StorePath $store -WarningVariable warnings
            $warnings.Count | Should -Be 0
        }

        It 'refuses an empty PFX password before the pipeline makes a CSR or a certificate, naming -Password' {
            $before = Get-PkiStoreSnapshot -StorePath $store
            $pfx = Join-Path $TestDrive 'quick.pfx'

            $failure = {
                New-Csr -CommonName 'quick.contoso.com' -Algorithm ECC -StorePath $store |
                    New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store |
                    Export-IssuedCertificate -Format Pfx -Path $pfx -IncludePrivateKey -Password (New-Object System.Security.SecureString) -StorePath $store
            } | Should -Throw -ErrorId 'KeyPasswordEmpty,PkiCmdlets.Commands.ExportIssuedCertificateCommand' -PassThru

            $failure.Exception.Message | Should -Match '-Password'
            $failure.Exception.Message | Should -Not -Match '-KeyPassword'
            Get-PkiStoreSnapshot -StorePath $store | Should -Be $before
            Test-Path -LiteralPath $pfx | Should -BeFalse
        }
    }

    Context 'Messages' {
        It 'confirms a revocation by common name, serial number and issuer' {
            $null = $certificate | Revoke-IssuedCertificate -Reason Superseded -WhatIf -StorePath $store
            (Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store).Status | Should -Be 'Valid'

            $records = @($certificate | Revoke-IssuedCertificate -Reason Superseded -Confirm:$false -Verbose -StorePath $store 4>&1)

            @($records | Get-ShouldProcessMessage) | Should -Be @("Performing the operation ""Revoke certificate (Superseded)"" on target ""www.contoso.com, serial number $($certificate.SerialNumber), issued by Operations-Issuing"".")
            (Get-IssuedCertificate -Identifier $certificate.Identifier -StorePath $store).Status | Should -Be 'Revoked'
        }

        It 'names a piped CSR in New-ServerCertificate''s -WhatIf' {
            $records = @($csr | New-ServerCertificate -Issuer 'Operations-Issuing' -IssuerKeyPassword $password -StorePath $store -Verbose 4>&1)

            @($records | Get-ShouldProcessMessage) | Should -Be @('Performing the operation "Issue server certificate from Operations-Issuing" on target "the CSR for www.contoso.com".')
        }

        It 'says a missing output folder does not exist, naming the folder, not a temporary file' {
            $folder = Join-Path $TestDrive 'nofolder'
            $failure = { $certificate | Export-IssuedCertificate -Path (Join-Path $folder 'x.pem') -StorePath $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'OutputFileNotWritable,PkiCmdlets.Commands.ExportIssuedCertificateCommand' -PassThru

            $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure.Exception.Message | Should -Match ([regex]::Escape("'$folder' does not exist"))
            $failure.Exception.Message | Should -Not -Match '\.tmp'
        }

        It 'says a folder given as -Path is a folder, also with -Force (<Command>)' -ForEach @(@{ Command = 'Export-IssuedCertificate' }, @{ Command = 'Publish-Crl' }) {
            $folder = Join-Path $TestDrive 'out'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $splat = if ($Command -eq 'Publish-Crl') { @{ Issuer = 'Operations-Issuing'; IssuerKeyPassword = $password } } else { @{ Identifier = $certificate.Identifier } }

            $failure = { & $Command @splat -Path $folder -Force -StorePath $store -ErrorAction Stop } | Should -Throw -PassThru

            $failure.FullyQualifiedErrorId | Should -Match '^OutputFileNotWritable,'
            $failure.Exception.Message | Should -Match 'is a folder'
            $failure.Exception.Message | Should -Not -Match 'already exists'
        }
    }
}
