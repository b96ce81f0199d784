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
        /// <summary>ExportFileExists unless the file is new or <paramref name="force"/> allows replacing it: -Force is the only way to overwrite.</summary>
        public static void RequireNewOrForced(string path, bool force)
        {
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
                throw new PkiException(ErrorIds.OutputFileNotWritable, PkiErrorKind.PermissionDenied, path, Messages.OutputFileNotWritable.Format(path, e.Message), e);
            }
        }
    }
}
