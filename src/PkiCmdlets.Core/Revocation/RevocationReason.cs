namespace PkiCmdlets.Core.Revocation
{
    /// <summary>
    /// RFC 5280 §5.3.1 CRLReason codes (the numbers are the codes). removeFromCRL (8) is left out: it
    /// only has a meaning in delta CRLs, which we do not publish.
    /// </summary>
    public enum RevocationReason
    {
        Unspecified = 0,
        KeyCompromise = 1,
        CACompromise = 2,
        AffiliationChanged = 3,
        Superseded = 4,
        CessationOfOperation = 5,
        CertificateHold = 6,
        PrivilegeWithdrawn = 9,
        AACompromise = 10,
    }
}
