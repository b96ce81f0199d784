using System;
using System.IO;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>Files written outside the store (exports, published CRLs): atomically, owner-only, with a clear error.</summary>
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
