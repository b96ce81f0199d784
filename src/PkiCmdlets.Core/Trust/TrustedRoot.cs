namespace PkiCmdlets.Core.Trust
{
    /// <summary>A root of the store and an operating system trust store it was put into or taken out of (Install-CATrust, Uninstall-CATrust).</summary>
    public sealed class TrustedRoot
    {
        /// <summary>The CA's name in the store.</summary>
        public string Name { get; set; } = string.Empty;
        public string Id { get; set; } = string.Empty;
        public string CommonName { get; set; } = string.Empty;
        public string Thumbprint { get; set; } = string.Empty;
        /// <summary>CurrentUser or LocalMachine (a TrustScope name).</summary>
        public string Scope { get; set; } = string.Empty;
        /// <summary>Where it is: the anchor folder and its update command, the keychain, or the certificate store.</summary>
        public string Location { get; set; } = string.Empty;
        /// <summary>True after Install-CATrust, false after Uninstall-CATrust.</summary>
        public bool Installed { get; set; }
    }
}
