using System.Security;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>The parameters of Publish-Crl.</summary>
    public sealed class PublishCrlRequest
    {
        /// <summary>The CA whose CRL is signed.</summary>
        public CaIdentity? Issuer { get; set; }

        public SecureString? IssuerKeyPassword { get; set; }

        /// <summary>Hours from now to the CRL's nextUpdate: 1 to <see cref="CrlService.MaxNextUpdateHours"/>; default <see cref="CrlService.DefaultNextUpdateHours"/>.</summary>
        public int? NextUpdateHours { get; set; }

        /// <summary>A full file-system path to write a copy to, besides the store's; none when null.</summary>
        public string? Path { get; set; }

        /// <summary>The copy at <see cref="Path"/> as PEM; otherwise DER, the form RFC 5280 says a CRL URL serves.</summary>
        public bool AsPem { get; set; }

        /// <summary>Replace the file at <see cref="Path"/> when it exists: the only way to overwrite one.</summary>
        public bool Force { get; set; }
    }
}
