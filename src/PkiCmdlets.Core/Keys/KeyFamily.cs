namespace PkiCmdlets.Core.Keys
{
    public enum KeyFamily
    {
        Rsa,
        Ecc,
        Sm2,
    }
}
