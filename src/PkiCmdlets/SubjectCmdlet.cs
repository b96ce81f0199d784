using System.Management.Automation;
using PkiCmdlets.Completion;

namespace PkiCmdlets
{
    /// <summary>
    /// The distinguished-name parameters New-RootCA, New-SubCA, New-ServerCertificate and Set-Csr share (seed 002's
    /// names are aliases). New-Csr declares its own, because its parameters bind from CSV rows by property name as well.
    /// </summary>
    public abstract class SubjectCmdlet : PkiCmdlet
    {
        [Parameter]
        [Alias("CorpName", "O")]
        public string? Organization { get; set; }

        [Parameter]
        [Alias("Department", "OU", "OrganizationUnit")]
        public string? OrganizationalUnit { get; set; }

        [Parameter]
        [Alias("CountryCode", "C")]
        [ArgumentCompleter(typeof(CountryCodeCompleter))]
        public string? Country { get; set; }

        [Parameter]
        [Alias("Province", "ST")]
        public string? State { get; set; }

        [Parameter]
        [Alias("City", "L")]
        public string? Locality { get; set; }
    }
}
