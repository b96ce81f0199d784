using System;
using System.IO;
using System.Linq;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// http-01 answers as files under a web server's document root (certbot's webroot method):
    /// &lt;root&gt;/.well-known/acme-challenge/&lt;token&gt;, readable by the web server (0644 on Unix).
    /// </summary>
    internal static class WebRoot
    {
        private const int PublicFile = 0x1A4;   // 0644
        private const int PublicFolder = 0x1ED; // 0755

        /// <summary>The full path of an existing folder, or WebRootNotFound.</summary>
        public static string Require(string path)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw NotFound(path, e);
            }
            if (!Directory.Exists(full)) throw NotFound(path, null);
            return full;
        }

        public static string FilePath(string webRoot, string token)
        {
            // The token comes from the server; only base64url may become a file name (no '/', no "..").
            if (token.Length == 0 || !token.All(c => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            {
                throw new PkiException(ErrorIds.AcmeBadResponse, PkiErrorKind.InvalidData, null, Messages.AcmeTokenUnsafe);
            }
            return Path.Combine(webRoot, ".well-known", "acme-challenge", token);
        }

        public static void Write(string path, string content)
        {
            try
            {
                var folder = Path.GetDirectoryName(path)!;
                CreateFolder(Path.GetDirectoryName(folder)!);
                CreateFolder(folder);
                AtomicFile.Write(path, PkiStore.Utf8(content));
                FilePermissions.Restrict(path, PublicFile);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PkiException(ErrorIds.OutputFileNotWritable, PkiErrorKind.PermissionDenied, path, Messages.OutputFileNotWritable.Format(path, e.Message), e);
            }
        }

        /// <summary>Best effort: a file left behind is harmless, and its order's outcome matters more.</summary>
        public static void Delete(string? path)
        {
            if (path == null) return;
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
            }
        }

        private static void CreateFolder(string folder)
        {
            if (Directory.Exists(folder)) return;
            Directory.CreateDirectory(folder);
            FilePermissions.Restrict(folder, PublicFolder);
        }

        private static PkiException NotFound(string path, Exception? inner) =>
            new PkiException(ErrorIds.PathNotFound, PkiErrorKind.ObjectNotFound, path, Messages.WebRootNotFound.Format(path), inner);
    }
}
