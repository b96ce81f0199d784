namespace PkiCmdlets.Core.Errors
{
    /// <summary>Stable error identifiers. Never rename one: scripts match on them.</summary>
    public static class ErrorIds
    {
        // Subject and names
        public const string CommonNameMissing = nameof(CommonNameMissing);
        public const string CommonNameTooLong = nameof(CommonNameTooLong);
        public const string SubjectFieldTooLong = nameof(SubjectFieldTooLong);
        public const string InvalidCountryCode = nameof(InvalidCountryCode);
        public const string InvalidEmailAddress = nameof(InvalidEmailAddress);
        public const string InvalidDnsName = nameof(InvalidDnsName);
        public const string DnsLabelTooLong = nameof(DnsLabelTooLong);
        public const string MisplacedWildcard = nameof(MisplacedWildcard);
        public const string InvalidIpAddress = nameof(InvalidIpAddress);

        // Keys
        public const string UnsupportedAlgorithm = nameof(UnsupportedAlgorithm);
        public const string KeySizeNotAllowed = nameof(KeySizeNotAllowed);
        public const string Sm2KeySizeNotAllowed = nameof(Sm2KeySizeNotAllowed);
        public const string KeySizeConflict = nameof(KeySizeConflict);
        public const string KeyPasswordEmpty = nameof(KeyPasswordEmpty);
        public const string KeyPasswordWithoutGenerate = nameof(KeyPasswordWithoutGenerate);
        public const string KeyPasswordIncorrect = nameof(KeyPasswordIncorrect);
        public const string KeyUnreadable = nameof(KeyUnreadable);

        // CSR records
        public const string InvalidName = nameof(InvalidName);
        public const string DuplicateName = nameof(DuplicateName);
        public const string CsrNotFound = nameof(CsrNotFound);
        public const string CsrAlreadyGenerated = nameof(CsrAlreadyGenerated);
        public const string InvalidTag = nameof(InvalidTag);
        public const string RemarkTooLong = nameof(RemarkTooLong);

        // Requests received
        public const string CsrUnreadable = nameof(CsrUnreadable);
        public const string CsrSignatureInvalid = nameof(CsrSignatureInvalid);
        public const string CsrKeyUnsupported = nameof(CsrKeyUnsupported);
        public const string CsrKeyTooWeak = nameof(CsrKeyTooWeak);
        public const string CsrMissing = nameof(CsrMissing);

        // Certificate authorities
        public const string CaNotFound = nameof(CaNotFound);
        public const string CaKeyPasswordRequired = nameof(CaKeyPasswordRequired);
        public const string KeyPasswordConflict = nameof(KeyPasswordConflict);
        public const string CaLocked = nameof(CaLocked);
        public const string InvalidUnlockTimeout = nameof(InvalidUnlockTimeout);
        public const string InvalidCrlUrl = nameof(InvalidCrlUrl);
        public const string InvalidPathLength = nameof(InvalidPathLength);
        public const string PathLengthExceeded = nameof(PathLengthExceeded);
        public const string InvalidNameConstraint = nameof(InvalidNameConstraint);
        public const string IssuerExpired = nameof(IssuerExpired);
        public const string CaImportNotCa = nameof(CaImportNotCa);
        public const string CaImportKeyMismatch = nameof(CaImportKeyMismatch);
        public const string CaImportIssuerMissing = nameof(CaImportIssuerMissing);
        public const string CaAlreadyInStore = nameof(CaAlreadyInStore);
        public const string CaKeyUnsupported = nameof(CaKeyUnsupported);
        public const string ImportFileUnreadable = nameof(ImportFileUnreadable);
        public const string KeyFilePasswordRequired = nameof(KeyFilePasswordRequired);

        // Issuing
        public const string IssuerNotIntermediate = nameof(IssuerNotIntermediate);
        public const string KeyAlgorithmMismatch = nameof(KeyAlgorithmMismatch);
        public const string NameNotPermitted = nameof(NameNotPermitted);
        public const string NoServerName = nameof(NoServerName);
        public const string InvalidDomain = nameof(InvalidDomain);
        public const string ValidityExceedsIssuer = nameof(ValidityExceedsIssuer);
        public const string InvalidValidity = nameof(InvalidValidity);
        public const string ValidityBoundsIncomplete = nameof(ValidityBoundsIncomplete);
        public const string CrlUrlMissing = nameof(CrlUrlMissing);
        public const string CertificateProfileUnknown = nameof(CertificateProfileUnknown);

        // Issued certificates and revocation
        public const string CertificateNotFound = nameof(CertificateNotFound);
        public const string InvalidSerialNumber = nameof(InvalidSerialNumber);
        public const string CertificateAlreadyRevoked = nameof(CertificateAlreadyRevoked);
        public const string InvalidRevocationReason = nameof(InvalidRevocationReason);
        public const string InvalidNextUpdate = nameof(InvalidNextUpdate);
        public const string CertificateNotRevocable = nameof(CertificateNotRevocable);
        public const string CertificateUnreadable = nameof(CertificateUnreadable);

        // Export
        public const string ExportFileExists = nameof(ExportFileExists);
        public const string OutputFileNotWritable = nameof(OutputFileNotWritable);
        public const string PrivateKeyNotAvailable = nameof(PrivateKeyNotAvailable);
        public const string CsrKeyPasswordRequired = nameof(CsrKeyPasswordRequired);
        public const string PfxPasswordRequired = nameof(PfxPasswordRequired);
        public const string ExportFormatConflict = nameof(ExportFormatConflict);

        // Formats
        public const string InvalidPem = nameof(InvalidPem);
        public const string PfxWithoutCertificate = nameof(PfxWithoutCertificate);

        // Store
        public const string StoreNotWritable = nameof(StoreNotWritable);
        public const string StoreVersionUnsupported = nameof(StoreVersionUnsupported);
        public const string StoreLockTimeout = nameof(StoreLockTimeout);
        public const string StoreRecordCorrupt = nameof(StoreRecordCorrupt);
        public const string StorePathInvalid = nameof(StorePathInvalid);

        // Paths of files outside the store
        public const string PathNotFound = nameof(PathNotFound);
        public const string PathInvalid = nameof(PathInvalid);
        public const string PathAmbiguous = nameof(PathAmbiguous);

        // ACME
        public const string AcmeServerInvalid = nameof(AcmeServerInvalid);
        public const string AcmeAccountKeyUnsupported = nameof(AcmeAccountKeyUnsupported);
        public const string AcmeExternalAccountKeyInvalid = nameof(AcmeExternalAccountKeyInvalid);
        public const string AcmeProblem = nameof(AcmeProblem);
        public const string AcmeRateLimited = nameof(AcmeRateLimited);
        public const string AcmeUnauthorized = nameof(AcmeUnauthorized);
        public const string AcmeAccountNotFound = nameof(AcmeAccountNotFound);
        public const string AcmeServerUnreachable = nameof(AcmeServerUnreachable);
        public const string AcmeBadResponse = nameof(AcmeBadResponse);
        public const string AcmeAuthorizationInvalid = nameof(AcmeAuthorizationInvalid);
        public const string AcmeOrderInvalid = nameof(AcmeOrderInvalid);
        public const string AcmeTimeout = nameof(AcmeTimeout);

        // Certificate orders (ACME)
        public const string OrderNotFound = nameof(OrderNotFound);
        public const string OrderStateError = nameof(OrderStateError);
        public const string OrderRemoveFailed = nameof(OrderRemoveFailed);
        public const string KeyAlgorithmNotAllowed = nameof(KeyAlgorithmNotAllowed);
        public const string TermsOfServiceNotAccepted = nameof(TermsOfServiceNotAccepted);
        public const string ContactEmailRequired = nameof(ContactEmailRequired);
        public const string ValidationMethodInvalid = nameof(ValidationMethodInvalid);
        public const string ValidationMethodNotAllowed = nameof(ValidationMethodNotAllowed);
        public const string WebRootRequiresHttp = nameof(WebRootRequiresHttp);
        public const string ExternalAccountBindingIncomplete = nameof(ExternalAccountBindingIncomplete);
        public const string AcmeProfileNotOffered = nameof(AcmeProfileNotOffered);
        public const string InvalidTimeout = nameof(InvalidTimeout);

        public const string OperationCancelled = nameof(OperationCancelled);

        // Client certificates, CAs without keys, trust stores, the CA lifecycle, files for servers
        public const string InvalidUri = nameof(InvalidUri);
        public const string InvalidUserPrincipalName = nameof(InvalidUserPrincipalName);
        public const string CaKeyNotInStore = nameof(CaKeyNotInStore);
        public const string CaChainBroken = nameof(CaChainBroken);
        public const string CaPendingKeyMismatch = nameof(CaPendingKeyMismatch);
        public const string PendingCaNotFound = nameof(PendingCaNotFound);
        public const string ExportPathRepeated = nameof(ExportPathRepeated);
        public const string CrlUnreadable = nameof(CrlUnreadable);
        public const string CrlIssuerNotFound = nameof(CrlIssuerNotFound);
        public const string CrlNotNewer = nameof(CrlNotNewer);
        public const string CaHasSubordinates = nameof(CaHasSubordinates);
        public const string CaHasIssuedCertificates = nameof(CaHasIssuedCertificates);
        public const string KeyPasswordTooWeak = nameof(KeyPasswordTooWeak);
        public const string CaCrlMissing = nameof(CaCrlMissing);
        public const string TrustScopeNotSupported = nameof(TrustScopeNotSupported);
        public const string TrustElevationRequired = nameof(TrustElevationRequired);
        public const string TrustStoreFailed = nameof(TrustStoreFailed);
        public const string TrustStoreUnavailable = nameof(TrustStoreUnavailable);
        public const string TrustNotRoot = nameof(TrustNotRoot);
        public const string TrustNotInstalled = nameof(TrustNotInstalled);
        public const string UriNotTaken = nameof(UriNotTaken);
        public const string KeyParameterWithCsr = nameof(KeyParameterWithCsr);
        // Hostile input: the limits and rules for what is read from outside
        public const string InputTooLarge = nameof(InputTooLarge);
        public const string InputNestingTooDeep = nameof(InputNestingTooDeep);
        public const string IterationCountOutOfRange = nameof(IterationCountOutOfRange);
        public const string RsaExponentNotAllowed = nameof(RsaExponentNotAllowed);
        public const string RsaModulusTooLarge = nameof(RsaModulusTooLarge);
        public const string CsrExtensionInvalid = nameof(CsrExtensionInvalid);
        public const string CsrSignatureAlgorithmNotAllowed = nameof(CsrSignatureAlgorithmNotAllowed);
        public const string SubjectAttributeInvalid = nameof(SubjectAttributeInvalid);
        public const string TooManyNames = nameof(TooManyNames);
        public const string PublicSuffixWildcard = nameof(PublicSuffixWildcard);
        public const string CaImportUnusable = nameof(CaImportUnusable);

        // Renewal
        public const string CertificateAlreadyRenewed = nameof(CertificateAlreadyRenewed);
        public const string HookScriptEmpty = nameof(HookScriptEmpty);
        public const string HookFailed = nameof(HookFailed);
        public const string RenewalNeedsAnswer = nameof(RenewalNeedsAnswer);
        public const string RenewalPercentInvalid = nameof(RenewalPercentInvalid);
        public const string RenewalNotPossible = nameof(RenewalNotPossible);
        public const string HookNotFound = nameof(HookNotFound);
        public const string RenewalJobFailed = nameof(RenewalJobFailed);
        public const string RenewalJobNotFound = nameof(RenewalJobNotFound);
        public const string RenewalJobSchedulerUnavailable = nameof(RenewalJobSchedulerUnavailable);
        // Store integrity
        public const string CaKeyMismatch = nameof(CaKeyMismatch);
        public const string KeyFileNotPrivate = nameof(KeyFileNotPrivate);
        public const string StoreNotFound = nameof(StoreNotFound);
        public const string StoreLeftover = nameof(StoreLeftover);
        public const string StoreFileNotPrivate = nameof(StoreFileNotPrivate);
    }
}
