using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// What a process killed in the middle of a write leaves behind: the temporary file of an atomic write (which may hold
    /// a private key in the clear), and files that count only through a record (keys, certificates, requests; see
    /// <see cref="StoreLayout.OwnedFiles"/>) whose record was never written, or was removed first, and files a record written
    /// since made obsolete (<see cref="StoreLayout.ReplacedFiles"/>). The first command of a
    /// process that takes the store lock removes them, and again every few minutes. Every store write happens under that
    /// lock, so no one is writing an owned file meanwhile; a temporary file is removed only when the process named in its
    /// name is gone (or it is an hour old, for names without one and for a number the system has given to another process).
    /// </summary>
    internal static class StoreLeftovers
    {
        /// <summary>How old a temporary file must be before it is taken as stale although its process number is running.</summary>
        public static readonly TimeSpan StaleAge = TimeSpan.FromHours(1);

        private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

        private static readonly int ProcessId = Process.GetCurrentProcess().Id;

        private static readonly ConcurrentDictionary<string, DateTime> LastSweep = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);

        /// <summary>The temporary name an atomic write of <paramref name="fileName"/> uses: .&lt;name&gt;.&lt;process id&gt;.&lt;random&gt;.tmp.</summary>
        public static string TemporaryName(string fileName) =>
            "." + fileName + "." + ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";

        /// <summary>Under the store lock: removes the leftovers unless this process did so for this store in the last few minutes.</summary>
        public static void SweepIfDue(PkiStore store)
        {
            var now = DateTime.UtcNow;
            if (LastSweep.TryGetValue(store.Root, out var last) && now - last < SweepInterval) return;
            LastSweep[store.Root] = now;
            foreach (var file in Find(store))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Cleaning up is never a reason for a command to fail; the next sweep tries again.
                }
            }
        }

        /// <summary>The full paths of every leftover in the store now (Test-PkiStore names them; the sweep removes them).</summary>
        public static List<string> Find(PkiStore store)
        {
            var found = new List<string>();
            if (!Directory.Exists(store.Root)) return found;
            try
            {
                // The store's own files and folders only: its folder may hold the user's other things too.
                var temporary = Directory.EnumerateFiles(store.Root, ".*.tmp", SearchOption.TopDirectoryOnly)
                    .Concat(StoreLayout.Folders.Select(store.FullPath).Where(Directory.Exists)
                        .SelectMany(folder => Directory.EnumerateFiles(folder, ".*.tmp", SearchOption.AllDirectories)));
                foreach (var file in temporary)
                {
                    if (IsStaleTemporary(file, DateTime.UtcNow)) found.Add(file);
                }
                foreach (var kind in StoreLayout.OwnedFiles)
                {
                    found.AddRange(Matching(store, kind, exists: false));
                }
                foreach (var kind in StoreLayout.ReplacedFiles)
                {
                    found.AddRange(Matching(store, kind, exists: true).Where(f => !found.Contains(f)));
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A folder that cannot be listed holds nothing this can remove.
            }
            return found;
        }

        /// <summary>The full paths of the files of <paramref name="kind"/> for which one of its records exists (or none does).</summary>
        private static IEnumerable<string> Matching(PkiStore store, OwnedFile kind, bool exists)
        {
            foreach (var relative in store.ListFiles(kind.Folder, kind.Prefix + "*" + kind.Suffix))
            {
                var id = kind.IdOf(Path.GetFileName(relative));
                if (id != null && kind.RecordsOf.Any(record => store.Exists(record(id))) == exists) yield return store.FullPath(relative);
            }
        }

        /// <summary>
        /// Whether <paramref name="path"/> is an atomic write's temporary file that no live writer will rename: its process
        /// is gone, or it is older than <see cref="StaleAge"/>. This process's own files are left to it until then.
        /// </summary>
        internal static bool IsStaleTemporary(string path, DateTime now)
        {
            var name = Path.GetFileName(path);
            if (!name.StartsWith(".", StringComparison.Ordinal) || !name.EndsWith(".tmp", StringComparison.Ordinal)) return false;
            var parts = name.Substring(1, name.Length - 5).Split('.');
            if (parts.Length < 2 || parts[parts.Length - 1].Length != 32 || !parts[parts.Length - 1].All(Uri.IsHexDigit)) return false;
            if (now - File.GetLastWriteTimeUtc(path) >= StaleAge) return true;
            return parts.Length >= 3
                && int.TryParse(parts[parts.Length - 2], NumberStyles.None, CultureInfo.InvariantCulture, out var writer)
                && writer != ProcessId
                && !IsRunning(writer);
        }

        private static bool IsRunning(int processId)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}
