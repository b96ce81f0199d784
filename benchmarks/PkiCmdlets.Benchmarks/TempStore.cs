using PkiCmdlets.Core.Store;

/// <summary>A store in a fresh temporary folder, deleted on Dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "pkicmdlets-bench-" + Guid.NewGuid().ToString("N"));
        Store = new PkiStore(Root);
    }

    public string Root { get; }

    public PkiStore Store { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
