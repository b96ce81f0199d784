using System.Text.RegularExpressions;
using PkiCmdlets.Core.Tests.Cmdlets;

namespace PkiCmdlets.Core.Tests.Architecture;

/// <summary>
/// The core's folders depend on each other in one direction only: each on folders before it in <see cref="Layers"/>,
/// never on one after it. Two folders that need each other are one tangle, which is what this keeps from coming back.
/// </summary>
public sealed class CoreLayeringTests
{
    /// <summary>README's folder map, in order: what each folder may use is the folders before it.</summary>
    private static readonly string[] Layers = { "Errors", "Formats", "Keys", "Revocation", "Store", "Requests", "Acme", "Authority", "Orders", "Trust", "Renewals", "Integrity" };

    private static string Core => Path.Combine(CmdletAssembly.RepositoryRoot, "src", "PkiCmdlets.Core");

    [Fact]
    public void Every_folder_of_the_core_has_its_place_in_the_layers()
    {
        var folders = Directory.GetDirectories(Core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.True(folders.Count >= Layers.Length, "the core's folders weren't found under " + Core);
        Assert.Equal(Layers.OrderBy(l => l, StringComparer.Ordinal), folders.OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void No_folder_of_the_core_uses_a_folder_after_it()
    {
        var reference = new Regex(@"(?:^\s*using\s+PkiCmdlets\.Core\.(?<ns>\w+)\s*;)|(?:PkiCmdlets\.Core\.(?<ns>\w+)\.[A-Z])|(?:(?<![\w.])(?<ns>" + string.Join("|", Layers) + @")\.[A-Z])");
        var breaches = new List<string>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Core, Layers[layer]), "*.cs", SearchOption.AllDirectories))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                    foreach (Match match in reference.Matches(lines[i]))
                    {
                        var used = Array.IndexOf(Layers, match.Groups["ns"].Value);
                        if (used > layer) breaches.Add($"{Path.GetRelativePath(Core, file)}:{i + 1} ({Layers[layer]} uses {Layers[used]}): {lines[i].Trim()}");
                    }
                }
            }
        }
        Assert.True(breaches.Count == 0, "A folder of the core uses one after it:\n" + string.Join("\n", breaches));
    }
}
