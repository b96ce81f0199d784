using System;
using System.Runtime.InteropServices;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Makes a folder's entries durable on Unix: after a rename or a new file, fsync of the folder itself, without which a
    /// power cut can lose the name even though the file's bytes were flushed. Windows (NTFS) journals its folder changes
    /// itself and has no such call for a folder, so there it does nothing.
    /// </summary>
    internal static class FolderSync
    {
        private static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Test seam: runs after each folder is synced, with its path.</summary>
        internal static Action<string>? Synced;

        public static void Sync(string folder)
        {
            if (IsUnix)
            {
                // O_RDONLY (0 on every Unix) opens a folder; O_DIRECTORY's value differs between systems and is not needed.
                var descriptor = open(folder, 0);
                if (descriptor >= 0)
                {
                    // A file system that cannot sync a folder (EINVAL on some network mounts) keeps what it keeps: the file
                    // is written and renamed either way, and failing the command now would report a write that happened.
                    fsync(descriptor);
                    close(descriptor);
                }
            }
            Synced?.Invoke(folder);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int descriptor);
    }
}
