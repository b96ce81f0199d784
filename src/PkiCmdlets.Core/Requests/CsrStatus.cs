namespace PkiCmdlets.Core.Requests
{
    /// <summary>Seed 004: a draft is a record without key or CSR; once generated it is immutable.</summary>
    public enum CsrStatus
    {
        Draft,
        Generated,
    }
}
