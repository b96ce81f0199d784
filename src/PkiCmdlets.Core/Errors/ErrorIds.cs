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

        // Formats
        public const string InvalidPem = nameof(InvalidPem);

        // Store
        public const string StoreNotWritable = nameof(StoreNotWritable);
        public const string StoreVersionUnsupported = nameof(StoreVersionUnsupported);
        public const string StoreLockTimeout = nameof(StoreLockTimeout);
        public const string StoreRecordCorrupt = nameof(StoreRecordCorrupt);
        public const string StorePathInvalid = nameof(StorePathInvalid);

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

        public const string OperationCancelled = nameof(OperationCancelled);
    }
}
