using System;
using System.Text;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>RFC 4648 §5 base64url without padding, as JOSE (RFC 7515 §2) and ACME use it.</summary>
    internal static class Base64Url
    {
        public static string Encode(byte[] data) =>
            Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

        /// <summary>Decodes base64url with or without padding; returns false for anything else.</summary>
        public static bool TryDecode(string text, out byte[] data)
        {
            data = Array.Empty<byte>();
            var body = text.Trim().TrimEnd('=');
            foreach (var c in body)
            {
                var ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return false;
            }
            if (body.Length % 4 == 1) return false;
            var base64 = body.Replace('-', '+').Replace('_', '/');
            data = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
            return true;
        }
    }
}
