namespace PkiCmdlets.Core.Trust
{
    /// <summary>Whose trust store a root goes into: the user's, or the machine's (every user; needs root or an administrator).</summary>
    public enum TrustScope
    {
        CurrentUser,
        LocalMachine,
    }
}
