using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// Simulates a crash between writing a temporary file and renaming it over its target, for one store
/// only (the hook is process-wide, so the tests that use it share one collection and run one at a time).
/// </summary>
public static class AtomicWriteFailure
{
    private static readonly object Gate = new();

    public static void During(string storeRoot, string relativePath, Action action)
    {
        var target = Path.Combine(storeRoot, relativePath);
        lock (Gate)
        {
            AtomicFile.BeforeRename = path =>
            {
                if (path == target) throw new IOException("simulated failure before rename of " + path);
            };
            try
            {
                action();
            }
            finally
            {
                AtomicFile.BeforeRename = null;
            }
        }
    }
}
