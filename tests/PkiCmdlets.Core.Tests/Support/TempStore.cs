using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>A store in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pkicmdlets-test-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Folder, "store");
    }

    /// <summary>A scratch folder that holds the store and anything else a test writes.</summary>
    public string Folder { get; }

    public string Root { get; }

    public PkiStore Open(TimeSpan? lockTimeout = null) => new(Root, lockTimeout);

    /// <summary>Every file under the store with its content, to prove a failed call changed nothing.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        !Directory.Exists(Root)
            ? new Dictionary<string, string>()
            : Directory.GetFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != StoreLayout.LockFile)
                .ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllText);

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
