using System;
using System.Text;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Formats
{
    /// <summary>RFC 7468 textual encoding: 64-column base64 between BEGIN/END lines, LF line ends.</summary>
    public static class Pem
    {
        public const string CertificateRequestLabel = "CERTIFICATE REQUEST";
        public const string PrivateKeyLabel = "PRIVATE KEY";
        public const string EncryptedPrivateKeyLabel = "ENCRYPTED PRIVATE KEY";
        public const string CertificateLabel = "CERTIFICATE";
        public const string CrlLabel = "X509 CRL";

        public static string Encode(string label, byte[] der)
        {
            var base64 = Convert.ToBase64String(der);
            var text = new StringBuilder(base64.Length + base64.Length / 64 + 64);
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (var i = 0; i < base64.Length; i += 64)
            {
                text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }
            text.Append("-----END ").Append(label).Append("-----\n");
            return text.ToString();
        }

        /// <summary>Finds the first block with <paramref name="label"/> and returns its DER bytes.</summary>
        public static byte[] Decode(string text, string label)
        {
            if (!TryFindLabel(text, label, out var der, out var reason))
            {
                throw new PkiException(ErrorIds.InvalidPem, PkiErrorKind.InvalidData, label,
                    Messages.InvalidPem.Format(label, reason));
            }
            return der;
        }

        private static bool TryFindLabel(string text, string label, out byte[] der, out string reason)
        {
            der = Array.Empty<byte>();
            var beginLine = "-----BEGIN " + label + "-----";
            var endLine = "-----END " + label + "-----";
            var begin = text.IndexOf(beginLine, StringComparison.Ordinal);
            if (begin < 0)
            {
                reason = Messages.PemReasonNoBlock.Format(label);
                return false;
            }
            var bodyStart = begin + beginLine.Length;
            var end = text.IndexOf(endLine, bodyStart, StringComparison.Ordinal);
            if (end < 0)
            {
                reason = Messages.PemReasonNoEnd.Format(label);
                return false;
            }
            var body = new StringBuilder(end - bodyStart);
            for (var i = bodyStart; i < end; i++)
            {
                if (!char.IsWhiteSpace(text[i])) body.Append(text[i]);
            }
            try
            {
                der = Convert.FromBase64String(body.ToString());
            }
            catch (FormatException)
            {
                reason = Messages.PemReasonBase64;
                return false;
            }
            if (der.Length == 0)
            {
                reason = Messages.PemReasonBase64;
                return false;
            }
            reason = string.Empty;
            return true;
        }
    }
}
