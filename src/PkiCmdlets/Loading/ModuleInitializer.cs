using System.Management.Automation;

namespace PkiCmdlets.Loading
{
    /// <summary>
    /// Import-Module runs OnImport before it reads the cmdlets, Remove-Module runs OnRemove. This class names
    /// no type of PkiCmdlets.Core: Core can be found only after OnImport has run.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolver.Register();

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
    }
}
