using System;
using System.IO;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Files written outside the store (exports, published CRLs, requests): atomically, with a clear error. On Unix a file
    /// that holds a private key is 0600 and any other (certificates, chains, CRLs, requests) 0644, readable by the web
    /// server that serves it; the mode is set before the first byte is written. A file replaced with -Force keeps the mode
    /// it had (what its owner chose with chmod), a key file never more than its owner's bits. On Windows files get the
    /// access list the folder they are written to passes on, which is not changed here (the store's owner-only ACL is set
    /// on store folders only, see FilePermissions).
    /// </summary>
    public static class OutputFile
    {
        /// <summary>0644: certificates, chains, CRLs, requests.</summary>
        public const int PublicMode = 0x1A4;

        /// <summary>0600: anything that holds a private key.</summary>
        public const int SecretMode = FilePermissions.OwnerOnlyFile;

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

        /// <summary>
        /// Writes <paramref name="content"/> to <paramref name="path"/>, a new file with <paramref name="mode"/> (<see cref="PublicMode"/>
        /// or <see cref="SecretMode"/>), a file replaced with the mode it had (a secret one cut to its owner's bits).
        /// </summary>
        public static void Write(string path, byte[] content, int mode)
        {
            var existing = FilePermissions.ModeOf(path);
            var effective = existing == null ? mode : mode == SecretMode ? existing.Value & FilePermissions.OwnerOnlyFolder : existing.Value;
            try
            {
                AtomicFile.Write(path, content, effective);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.OutputFileNotWritable, e is UnauthorizedAccessException ? PkiErrorKind.PermissionDenied : PkiErrorKind.InvalidOperation,
                    path, Messages.OutputFileNotWritable.Format(path, e.Message), e);
            }
        }
    }
}
