using System.Security;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>The parameters of Import-CA: PEM certificate and key files, or one PFX file.</summary>
    public sealed class ImportCaRequest
    {
        public string? Name { get; set; }
        public string? CertificatePath { get; set; }
        public string? KeyPath { get; set; }
        public string? PfxPath { get; set; }
        /// <summary>The password of the key file or of the PFX file.</summary>
        public SecureString? KeyFilePassword { get; set; }
        /// <summary>The password that protects the key in our store (or <see cref="NoPassword"/>).</summary>
        public SecureString? KeyPassword { get; set; }
        public bool NoPassword { get; set; }
        public string? CrlUrl { get; set; }
    }
}
