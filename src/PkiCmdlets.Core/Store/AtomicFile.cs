using System;
using System.IO;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Durable, all-or-nothing file replacement: write a temporary file beside the target, flush it to
    /// disk, rename it over the target, then sync the folder so that the rename survives a power cut.
    /// A reader sees the old content or the new, never a part.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Test seam: runs after the temporary file is durable and before the rename.</summary>
        internal static Action<string>? BeforeRename;

        /// <summary>An owner-only file (every file of the store is).</summary>
        public static void Write(string path, byte[] content, bool syncFolder = true) => Write(path, content, FilePermissions.OwnerOnlyFile, syncFolder);

        /// <summary>As <see cref="Write(string, byte[], bool)"/>, the file's Unix mode <paramref name="mode"/> (set before the first byte is written).</summary>
        /// <param name="path">The file to write.</param>
        /// <param name="content">Its new content.</param>
        /// <param name="mode">Its Unix mode.</param>
        /// <param name="syncFolder">
        /// False only for a file whose rename may be lost by a power cut without harm (a journal head, which may fall behind
        /// its journal, never run ahead of it).
        /// </param>
        public static void Write(string path, byte[] content, int mode, bool syncFolder = true)
        {
            var folder = Path.GetDirectoryName(path)!;
            var temporary = Path.Combine(folder, StoreLeftovers.TemporaryName(Path.GetFileName(path)));
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // The mode is set before the first byte is written, so a key is never readable by others.
                    FilePermissions.Restrict(temporary, mode);
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: true);
                }
                BeforeRename?.Invoke(path);
                if (File.Exists(path))
                {
                    File.Replace(temporary, path, null);
                }
                else
                {
                    File.Move(temporary, path);
                }
                if (syncFolder) FolderSync.Sync(folder);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
