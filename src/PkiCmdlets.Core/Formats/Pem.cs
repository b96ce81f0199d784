using System;
using System.Collections.Generic;
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
            if (!TryFindLabel(text, label, 0, out var der, out var reason, out _))
            {
                throw Invalid(label, reason);
            }
            return der;
        }

        /// <summary>Every block with <paramref name="label"/>, in order (a certificate chain); none is an empty list.</summary>
        public static IReadOnlyList<byte[]> DecodeAll(string text, string label)
        {
            var blocks = new List<byte[]>();
            var start = 0;
            while (text.IndexOf("-----BEGIN " + label + "-----", start, StringComparison.Ordinal) >= 0)
            {
                if (!TryFindLabel(text, label, start, out var der, out var reason, out start))
                {
                    throw Invalid(label, reason);
                }
                blocks.Add(der);
            }
            return blocks;
        }

        private static PkiException Invalid(string label, string reason) =>
            new PkiException(ErrorIds.InvalidPem, PkiErrorKind.InvalidData, label, Messages.InvalidPem.Format(label, reason));

        /// <summary>Finds the first block at or after <paramref name="start"/>; <paramref name="next"/> is where the text after it starts.</summary>
        private static bool TryFindLabel(string text, string label, int start, out byte[] der, out string reason, out int next)
        {
            der = Array.Empty<byte>();
            next = text.Length;
            var beginLine = "-----BEGIN " + label + "-----";
            var endLine = "-----END " + label + "-----";
            var begin = text.IndexOf(beginLine, start, StringComparison.Ordinal);
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
            next = end + endLine.Length;
            return true;
        }
    }
}
