namespace PkiCmdlets.Core.Errors
{
    /// <summary>
    /// What kind of failure a <see cref="PkiException"/> is. The cmdlets map each kind onto the
    /// PowerShell ErrorCategory of the same meaning, so the core stays free of System.Management.Automation.
    /// </summary>
    public enum PkiErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        InvalidOperation,
        PermissionDenied,
        OperationTimeout,
        SecurityError,
        OperationStopped,
        ConnectionError,
        LimitsExceeded,
    }
}
