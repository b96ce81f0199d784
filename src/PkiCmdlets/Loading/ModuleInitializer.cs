using System.Management.Automation;

namespace PkiCmdlets.Loading
{
    /// <summary>
    /// Import-Module runs OnImport before it reads the cmdlets' parameters, but only after it has loaded every
    /// public type of this assembly to find this class; Remove-Module runs OnRemove. PkiCmdlets.Core can be
    /// found only once OnImport has run, so no public type here may need it to load: not as a base type or
    /// interface, nor as a field of one of its value types such as an enum (ModuleLoadingTests checks).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolver.Register();

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
    }
}
