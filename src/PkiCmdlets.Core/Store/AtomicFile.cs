using System;
using System.IO;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Durable, all-or-nothing file replacement: write a temporary file beside the target, flush it to
    /// disk, then rename it over the target. A reader sees the old content or the new, never a part.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Test seam: runs after the temporary file is durable and before the rename.</summary>
        internal static Action<string>? BeforeRename;

        public static void Write(string path, byte[] content) => Write(path, content, FilePermissions.OwnerOnlyFile);

        /// <summary>As <see cref="Write(string, byte[])"/>, the file's Unix mode <paramref name="mode"/> (set before the first byte is written).</summary>
        public static void Write(string path, byte[] content, int mode)
        {
            var folder = Path.GetDirectoryName(path)!;
            var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Every store file is owner-only, restricted before the first byte is written so a key is never readable by others.
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
