using System;
using System.IO;
using System.Text;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Formats
{
    /// <summary>
    /// A file given to read (a request, a certificate, a key, a PFX): read only up to <see cref="DerInput.MaxBytes"/>, so a
    /// huge file or an endless one (/dev/zero) is refused before it fills memory, and turned into text by its byte order
    /// mark, so the UTF-16 that Windows PowerShell 5.1's Out-File and Set-Content -Encoding Unicode write reads as well as UTF-8.
    /// </summary>
    internal static class InputFile
    {
        /// <summary>The file's bytes; InputTooLarge past the limit, <paramref name="unreadable"/>'s error when it cannot be read.</summary>
        public static byte[] Read(string path, Func<Exception, PkiException> unreadable)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (stream.CanSeek && stream.Length > DerInput.MaxBytes) throw DerInput.TooLarge(path, stream.Length);
                var content = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (content.Length + read > DerInput.MaxBytes) throw DerInput.TooLarge(path, content.Length + read);
                    content.Write(chunk, 0, read);
                }
                return content.ToArray();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw unreadable(e);
            }
        }

        /// <summary>
        /// The text of a file's bytes: UTF-32 or UTF-16 (either byte order) when a byte order mark says so, otherwise UTF-8
        /// (its byte order mark, if any, left out).
        /// </summary>
        public static string Text(byte[] bytes)
        {
            if (StartsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) return Decode(new UTF32Encoding(bigEndian: false, byteOrderMark: false), bytes, 4);
            if (StartsWith(bytes, 0x00, 0x00, 0xFE, 0xFF)) return Decode(new UTF32Encoding(bigEndian: true, byteOrderMark: false), bytes, 4);
            if (StartsWith(bytes, 0xFF, 0xFE)) return Decode(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), bytes, 2);
            if (StartsWith(bytes, 0xFE, 0xFF)) return Decode(new UnicodeEncoding(bigEndian: true, byteOrderMark: false), bytes, 2);
            return Decode(new UTF8Encoding(false), bytes, StartsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0);
        }

        /// <summary>Whether a file's bytes are DER rather than text: DER starts with a SEQUENCE's tag.</summary>
        public static bool IsDer(byte[] bytes) => bytes.Length > 0 && bytes[0] == 0x30;

        private static string Decode(Encoding encoding, byte[] bytes, int offset) => encoding.GetString(bytes, offset, bytes.Length - offset);

        private static bool StartsWith(byte[] bytes, params byte[] prefix)
        {
            if (bytes.Length < prefix.Length) return false;
            for (var i = 0; i < prefix.Length; i++)
            {
                if (bytes[i] != prefix[i]) return false;
            }
            return true;
        }
    }
}
