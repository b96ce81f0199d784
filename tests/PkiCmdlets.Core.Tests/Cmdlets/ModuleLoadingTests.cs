using System.Reflection;

namespace PkiCmdlets.Core.Tests.Cmdlets;

/// <summary>
/// Import-Module loads every public type of PkiCmdlets.dll before it runs the module initializer, and only the
/// initializer makes PkiCmdlets.Core (in dependencies/) loadable. Loading a type loads its base types, its
/// interfaces and the value types of its fields, so none of them may come from the core.
/// </summary>
public sealed class ModuleLoadingTests : IClassFixture<CmdletAssemblyFixture>
{
    private readonly CmdletAssembly _cmdlets;

    public ModuleLoadingTests(CmdletAssemblyFixture fixture)
    {
        _cmdlets = fixture.Cmdlets;
    }

    [Fact]
    public void No_public_type_of_the_cmdlets_needs_the_core_to_load()
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in _cmdlets.Assembly.GetExportedTypes())
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                Assert.False(IsCore(t), type + " derives from " + t);
                foreach (var field in t.GetFields(all))
                {
                    Assert.False(field.FieldType.IsValueType && UsesCore(field.FieldType), type + "." + field.Name + " is a " + field.FieldType);
                }
            }
            Assert.All(type.GetInterfaces(), i => Assert.False(UsesCore(i), type + " implements " + i));
        }
    }

    [Fact]
    public void A_module_initializer_and_cleanup_exist()
    {
        var interfaces = _cmdlets.Assembly.GetType("PkiCmdlets.Loading.ModuleInitializer")!.GetInterfaces().Select(i => i.FullName).ToList();
        Assert.Contains("System.Management.Automation.IModuleAssemblyInitializer", interfaces);
        Assert.Contains("System.Management.Automation.IModuleAssemblyCleanup", interfaces);
    }

    private static bool IsCore(Type type) => type.Assembly.GetName().Name == "PkiCmdlets.Core";

    private static bool UsesCore(Type type) =>
        IsCore(type) || (type.HasElementType && UsesCore(type.GetElementType()!)) || (type.IsGenericType && type.GetGenericArguments().Any(UsesCore));
}
