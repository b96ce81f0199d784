namespace PkiCmdlets.Core.Keys
{
    /// <summary>How <see cref="Pkcs12Writer"/> protects a PFX file.</summary>
    public enum PfxEncryption
    {
        /// <summary>
        /// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) with an HMAC-SHA256 MAC: what OpenSSL 3 writes by default,
        /// read by Windows 10 1709, Windows Server 2019 and later.
        /// </summary>
        Aes256Sha256,

        /// <summary>
        /// pbeWithSHAAnd3-KeyTripleDES-CBC with an HMAC-SHA1 MAC, for Windows Server 2016 and earlier,
        /// which cannot read AES-protected files.
        /// </summary>
        TripleDesSha1,
    }
}
