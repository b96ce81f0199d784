using System;
using System.Security.Cryptography;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Certificate serial numbers: 16 bytes from the CSPRNG with the top bit clear and a non-zero first
    /// byte, so the DER INTEGER is always positive, exactly 16 octets (≤ 20, RFC 5280 §4.1.2.2) and
    /// prints the same in X509Certificate2.SerialNumber, `openssl x509 -serial` and our objects.
    /// </summary>
    public static class SerialNumber
    {
        public const int Length = 16;

        public static byte[] Generate()
        {
            var bytes = new byte[Length];
            using var random = RandomNumberGenerator.Create();
            do
            {
                random.GetBytes(bytes);
                bytes[0] &= 0x7F;
            }
            while (bytes[0] == 0);
            return bytes;
        }

        /// <summary>Upper-case hex, two digits a byte.</summary>
        public static string ToHex(byte[] serial) => Hex.Lower(serial).ToUpperInvariant();

        /// <summary>Accepts hex with or without colons, spaces or a 0x prefix, any case; returns the canonical form.</summary>
        public static string Normalize(string text)
        {
            var value = (text ?? string.Empty).Trim();
            if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) value = value.Substring(2);
            value = value.Replace(":", string.Empty).Replace(" ", string.Empty).ToUpperInvariant();
            var valid = value.Length > 0 && value.Length <= 42;
            foreach (var c in value)
            {
                valid &= (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            }
            if (!valid)
            {
                throw new PkiException(ErrorIds.InvalidSerialNumber, PkiErrorKind.InvalidArgument, text, Messages.InvalidSerialNumber.Format(text));
            }
            return value.Length % 2 == 1 ? "0" + value : value;
        }
    }
}
