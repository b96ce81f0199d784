using System;
using System.Management.Automation;
using System.Security;
using PkiCmdlets.Completion;
using PkiCmdlets.Core.Authority;

namespace PkiCmdlets
{
    /// <summary>
    /// The parameters New-RootCA and New-SubCA share: the CA's name, subject, key, validity and key protection. Each declares
    /// its -CommonName, which New-SubCA needs only when it makes the key.
    /// </summary>
    public abstract class NewCaCmdlet : SubjectCmdlet
    {
        [Parameter]
        public string? Name { get; set; }

        [Parameter]
        [Alias("KeyAlgorithm", "EncryptAlgo")]
        [ArgumentCompleter(typeof(KeyAlgorithmCompleter))]
        public string? Algorithm { get; set; }

        [Parameter]
        [Alias("KeyLength")]
        [ArgumentCompleter(typeof(KeySizeCompleter))]
        public int? KeySize { get; set; }

        [Parameter]
        public int? Years { get; set; }

        [Parameter]
        public int? Days { get; set; }

        [Parameter]
        public DateTime? NotAfter { get; set; }

        [Parameter]
        public string? CrlUrl { get; set; }

        [Parameter]
        [SecureStringArgument]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>The request with the shared parameters and <paramref name="commonName"/> filled in.</summary>
        protected NewCaRequest Request(string? commonName) => new NewCaRequest
        {
            Name = Name,
            CommonName = commonName,
            Organization = Organization,
            OrganizationalUnit = OrganizationalUnit,
            Country = Country,
            State = State,
            Locality = Locality,
            Algorithm = Algorithm,
            KeySize = KeySize,
            Years = Years,
            Days = Days,
            NotAfter = Utc(NotAfter),
            CrlUrl = CrlUrl,
            KeyPassword = KeyPassword,
            NoPassword = NoPassword,
        };
    }
}
