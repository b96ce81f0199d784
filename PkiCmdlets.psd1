@{
    RootModule           = 'PkiCmdlets.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5f3c2a9e-7b1d-4c8e-9a63-2d0f41b7e8c5'
    Author               = 'PkiCmdlets contributors'
    CompanyName          = 'PkiCmdlets'
    Copyright            = '(c) PkiCmdlets contributors. MIT License.'
    Description          = 'Run a private PKI and order public certificates from the shell: key pairs and CSRs (RSA, ECC, SM2), a root and intermediate CA hierarchy, server and client certificates, revocation and CRLs, ACME orders, and unattended renewal. Cross-platform compiled cmdlets that emit typed objects and keep state in a per-user store.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PkiCmdlets.format.ps1xml')
    TypesToProcess       = @('PkiCmdlets.types.ps1xml')
    CmdletsToExport      = @(
        'New-Csr'
        'Get-Csr'
        'Set-Csr'
        'Remove-Csr'
        'New-RootCA'
        'New-SubCA'
        'Get-CA'
        'Import-CA'
        'Unlock-CA'
        'Lock-CA'
        'New-ServerCertificate'
        'Publish-Crl'
        'Submit-CertificateOrder'
        'Get-CertificateOrder'
        'Complete-CertificateOrder'
        'Remove-CertificateOrder'
        'New-ClientCertificate'
        'Get-IssuedCertificate'
        'Export-IssuedCertificate'
        'Revoke-IssuedCertificate'
        'Request-SubCA'
        'Complete-SubCA'
        'Import-Crl'
        'Remove-CA'
        'Set-CAKeyPassword'
        'Update-CA'
        'Export-CA'
        'Install-CATrust'
        'Uninstall-CATrust'
        'Invoke-CertificateRenewal'
        'Get-CertificateRenewal'
        'Set-CertificateRenewal'
        'Remove-CertificateRenewal'
        'Register-RenewalHook'
        'Get-RenewalHook'
        'Unregister-RenewalHook'
        'Register-RenewalJob'
        'Get-RenewalJob'
        'Unregister-RenewalJob'
        'Update-AcmeAccountKey'
        'Test-PkiStore'
    )
    FunctionsToExport    = @()
    # The names Get-, Export- and Revoke-IssuedCertificate had when every certificate was a server's.
    AliasesToExport      = @('Get-ServerCertificate', 'Export-ServerCertificate', 'Revoke-ServerCertificate')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PKI', 'X509', 'Certificate', 'CSR', 'CA', 'ACME', 'OpenSSL', 'SM2', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/pkicmdlets/PkiCmdlets'
            LicenseUri   = 'https://github.com/pkicmdlets/PkiCmdlets/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0, the first release:
- Key pairs and CSRs (RSA 2048-4096, ECC P-256/P-384/P-521, SM2): New-Csr, Get-Csr, Set-Csr, Remove-Csr.
- A private CA hierarchy: New-RootCA, New-SubCA, Get-CA, Import-CA (openssl, easy-rsa, PFX), Unlock-CA, Lock-CA;
  CA keys encrypted unless -NoPassword is given. Intermediates signed elsewhere: Request-SubCA, Complete-SubCA.
  A CA's life: Set-CAKeyPassword, Update-CA (renewal with the same key), Export-CA (a backup Import-CA takes back),
  Remove-CA; trust in the system store: Install-CATrust, Uninstall-CATrust.
- Certificates from CSRs or new keys: New-ServerCertificate, New-ClientCertificate; Get-IssuedCertificate,
  Export-IssuedCertificate (PEM, DER, PFX with chain and key) and Revoke-IssuedCertificate for every profile
  (their old names Get-, Export- and Revoke-ServerCertificate are aliases); CRLs: Publish-Crl, Import-Crl.
- Public certificates over ACME (Let's Encrypt or any RFC 8555 server, dns-01 and http-01, external account
  binding, preferred chains): Submit-CertificateOrder, Get-CertificateOrder, Complete-CertificateOrder,
  Remove-CertificateOrder; Update-AcmeAccountKey (key rollover); ACME certificates revoked at their CA.
- Unattended renewal: Invoke-CertificateRenewal, Get-CertificateRenewal, Set-CertificateRenewal,
  Remove-CertificateRenewal; hooks: Register-RenewalHook, Get-RenewalHook, Unregister-RenewalHook; a scheduled job:
  Register-RenewalJob, Get-RenewalJob, Unregister-RenewalJob.
- A per-user store of PEM and JSON files with a hash-chained, append-only journal per CA, owner-only, safe across
  processes and crashes; Test-PkiStore checks it.
- Help for every cmdlet (Get-Help <cmdlet> -Full) and Get-Help about_PkiCmdlets.
'@
        }
    }
}
