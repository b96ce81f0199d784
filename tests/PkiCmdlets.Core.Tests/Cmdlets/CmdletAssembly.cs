using System.Reflection;
using System.Runtime.InteropServices;

namespace PkiCmdlets.Core.Tests.Cmdlets;

/// <summary>
/// The built cmdlet assembly, loaded as metadata only (System.Reflection.MetadataLoadContext): no
/// PowerShell runtime exists on the build machines, so its surface is read, never run.
/// </summary>
public sealed class CmdletAssembly : IDisposable
{
    private readonly MetadataLoadContext _context;

    public CmdletAssembly()
    {
        var path = Metadata("CmdletAssembly");
        var smaReference = Metadata("PowerShellReferenceAssembly");
        var folder = Path.GetDirectoryName(path)!;
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(folder, "*.dll"))
            .Append(smaReference)
            .GroupBy(Path.GetFileName)
            .Select(g => g.Last());
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly = _context.LoadFromAssemblyPath(path);
        Folder = folder;
    }

    public Assembly Assembly { get; }

    public string Folder { get; }

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public IEnumerable<Type> CmdletTypes =>
        Assembly.GetTypes().Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute"));

    public static string CmdletName(Type type)
    {
        var attribute = Cmdlet(type);
        return attribute.ConstructorArguments[0].Value + "-" + attribute.ConstructorArguments[1].Value;
    }

    public static CustomAttributeData Cmdlet(Type type) =>
        type.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");

    public static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

    public static IEnumerable<CustomAttributeData> ParameterAttributes(PropertyInfo property) =>
        property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute");

    public static IEnumerable<PropertyInfo> Parameters(Type type) =>
        type.GetProperties().Where(p => ParameterAttributes(p).Any());

    private static string Metadata(string key) =>
        typeof(CmdletAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public void Dispose() => _context.Dispose();
}
