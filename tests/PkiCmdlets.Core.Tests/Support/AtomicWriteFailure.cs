using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// Simulates a crash between writing a temporary file and renaming it over its target, for one store
/// only (the hooks are process-wide, so the tests that use them take turns).
/// </summary>
public static class AtomicWriteFailure
{
    private static readonly object Gate = new();

    public static void During(string storeRoot, string relativePath, Action action) =>
        FailingAt(Path.Combine(storeRoot, relativePath), "rename", hook => AtomicFile.BeforeRename = hook, action);

    /// <summary>A disk failure after a journal append is written and before it is flushed, for one journal.</summary>
    public static void DuringJournalFlush(string journalPath, Action action) =>
        FailingAt(journalPath, "flush", hook => Journal.BeforeFlush = hook, action);

    /// <summary>
    /// The renames of atomic writes and the folder syncs under <paramref name="root"/> while <paramref name="action"/>
    /// runs, in order, as "rename &lt;path&gt;" and "sync &lt;folder&gt;".
    /// </summary>
    public static List<string> Recording(string root, Action action)
    {
        var events = new List<string>();
        void Record(string what, string path)
        {
            if (!path.StartsWith(root, StringComparison.Ordinal)) return;
            lock (events) events.Add(what + " " + path);
        }
        lock (Gate)
        {
            AtomicFile.BeforeRename = path => Record("rename", path);
            FolderSync.Synced = folder => Record("sync", folder);
            try
            {
                action();
            }
            finally
            {
                AtomicFile.BeforeRename = null;
                FolderSync.Synced = null;
            }
        }
        return events;
    }

    private static void FailingAt(string target, string step, Action<Action<string>?> setHook, Action action)
    {
        lock (Gate)
        {
            setHook(path =>
            {
                if (path == target) throw new IOException($"simulated failure before the {step} of {path}");
            });
            try
            {
                action();
            }
            finally
            {
                setHook(null);
            }
        }
    }
}
