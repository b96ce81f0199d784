using System;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>The store's ACME account at one server, as Update-AcmeAccountKey returns it. Its key never leaves the store.</summary>
    public sealed class AcmeAccountInfo
    {
        /// <summary>The ACME directory URL.</summary>
        public string Server { get; internal set; } = string.Empty;

        public string AccountUrl { get; internal set; } = string.Empty;

        /// <summary>The key's algorithm, such as ECC_256.</summary>
        public string KeyAlgorithm { get; internal set; } = string.Empty;

        /// <summary>The RFC 7638 thumbprint of the account's public key, as the CA knows it (base64url).</summary>
        public string KeyThumbprint { get; internal set; } = string.Empty;

        public string[] Contact { get; internal set; } = new string[0];

        public DateTimeOffset CreatedAt { get; internal set; }

        /// <summary>When the key was last changed.</summary>
        public DateTimeOffset? KeyChangedAt { get; internal set; }

        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => AccountUrl;
    }
}
