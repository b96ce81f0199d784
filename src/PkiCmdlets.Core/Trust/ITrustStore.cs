namespace PkiCmdlets.Core.Trust
{
    /// <summary>
    /// One operating system's trust stores, chosen at run time (<see cref="TrustStores.ForThisSystem"/>): where a root goes so
    /// that the system's TLS clients (curl, browsers, .NET's HttpClient) trust what it signed. Each platform is one small
    /// class; what it runs is testable without running it.
    /// </summary>
    internal interface ITrustStore
    {
        /// <summary>Where a root goes for <paramref name="scope"/>, as the user would look for it (a folder, a keychain, a store).</summary>
        string Location(TrustScope scope);

        /// <summary>TrustScopeNotSupported when this system has no such store; TrustElevationRequired when the caller may not change it.</summary>
        void RequireUsable(TrustScope scope);

        bool Contains(TrustedRootFile root, TrustScope scope);

        void Install(TrustedRootFile root, TrustScope scope);

        void Remove(TrustedRootFile root, TrustScope scope);
    }

    /// <summary>A root as a trust store takes it: its file name stem, PEM, DER and SHA-1 thumbprint.</summary>
    internal sealed class TrustedRootFile
    {
        public TrustedRootFile(string name, string pem, byte[] der, string thumbprint)
        {
            Name = name;
            Pem = pem;
            Der = der;
            Thumbprint = thumbprint;
        }

        /// <summary>"pkicmdlets-&lt;CA Id&gt;": what names the root's file, so only what the module installed is ever removed.</summary>
        public string Name { get; }
        public string Pem { get; }
        public byte[] Der { get; }
        /// <summary>SHA-1, upper-case hex, as Windows and macOS name certificates.</summary>
        public string Thumbprint { get; }
    }
}
