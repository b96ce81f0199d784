namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// How a CA is named on the command line: its Name or Id as text, or a CA object from Get-CA or
    /// New-RootCA. PowerShell converts either into this through the constructors. Only a name: the core
    /// finds the CA it stands for (<see cref="CaRepository.Resolve"/>).
    /// </summary>
    public sealed class CaIdentity
    {
        public CaIdentity(string value)
        {
            Value = (value ?? string.Empty).Trim();
        }

        public CaIdentity(CertificateAuthority authority)
        {
            Value = authority.Id;
        }

        /// <summary>A Name or a 32-hex-digit Id.</summary>
        public string Value { get; }

        public override string ToString() => Value;
    }
}
