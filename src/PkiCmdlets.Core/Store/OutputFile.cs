using System;
using System.IO;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Files written outside the store (exports, published CRLs): atomically, with a clear error. On Unix they are 0600,
    /// set before the first byte (an export may hold a key); on Windows they get the access list the folder they are written
    /// to passes on, which is not changed here (the store's owner-only ACL is set on store folders only, see FilePermissions).
    /// </summary>
    public static class OutputFile
    {
        /// <summary>
        /// Checks, before anything is made, that <paramref name="path"/> can be written: it names a file, not a folder; its
        /// folder exists (OutputFileNotWritable, naming the folder); and it is new, or <paramref name="force"/> allows
        /// replacing it (ExportFileExists): -Force is the only way to overwrite.
        /// </summary>
        public static void RequireNewOrForced(string path, bool force)
        {
            if (Directory.Exists(path))
            {
                throw new PkiException(ErrorIds.OutputFileNotWritable, PkiErrorKind.InvalidArgument, path, Messages.OutputPathIsFolder.Format(path));
            }
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                throw new PkiException(ErrorIds.OutputFileNotWritable, PkiErrorKind.ObjectNotFound, path, Messages.OutputFolderMissing.Format(folder, path));
            }
            if (!force && File.Exists(path))
            {
                throw new PkiException(ErrorIds.ExportFileExists, PkiErrorKind.ResourceExists, path, Messages.ExportFileExists.Format(path));
            }
        }

        public static void Write(string path, byte[] content)
        {
            try
            {
                AtomicFile.Write(path, content);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.OutputFileNotWritable, e is UnauthorizedAccessException ? PkiErrorKind.PermissionDenied : PkiErrorKind.InvalidOperation,
                    path, Messages.OutputFileNotWritable.Format(path, e.Message), e);
            }
        }
    }
}
