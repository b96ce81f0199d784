using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// Simulates a disk failure after a journal append is written and before it is flushed, for one journal
/// only (the hook is process-wide, so its users take turns).
/// </summary>
public static class JournalFlushFailure
{
    private static readonly object Gate = new();

    public static void During(string journalPath, Action action)
    {
        lock (Gate)
        {
            Journal.BeforeFlush = path =>
            {
                if (path == journalPath) throw new IOException("simulated failure before flushing " + path);
            };
            try
            {
                action();
            }
            finally
            {
                Journal.BeforeFlush = null;
            }
        }
    }
}
