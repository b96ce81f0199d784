using System;
using System.Security;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// A PKCS#8 private key as PEM, the form the store keeps keys in and exports them as: PRIVATE KEY in the clear, or
    /// ENCRYPTED PRIVATE KEY (PBES2, see <see cref="KeyProtection"/>) when a password protects it.
    /// </summary>
    internal static class Pkcs8Pem
    {
        /// <summary>The key's PEM, encrypted when <paramref name="password"/> is given (which <paramref name="progress"/> is told, as it takes a moment).</summary>
        public static string Encode(PrivateKey key, SecureString? password, IProgress<string>? progress = null)
        {
            var pkcs8 = key.ExportPkcs8();
            try
            {
                return Encode(pkcs8, password, progress);
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        /// <summary>The PEM of unencrypted PKCS#8 DER, encrypted when <paramref name="password"/> is given.</summary>
        public static string Encode(byte[] pkcs8, SecureString? password, IProgress<string>? progress = null)
        {
            if (password == null) return Pem.Encode(Pem.PrivateKeyLabel, pkcs8);
            progress?.Report(Messages.ProgressEncryptingKey);
            return Pem.Encode(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(pkcs8, password));
        }

        /// <summary>Whether <paramref name="pem"/> is an ENCRYPTED PRIVATE KEY (a PRIVATE KEY otherwise, or not a key at all).</summary>
        public static bool IsEncrypted(string pem) => pem.Contains("-----BEGIN " + Pem.EncryptedPrivateKeyLabel + "-----");

        /// <summary>
        /// The unencrypted PKCS#8 DER of a key kept as <see cref="Encode(byte[], SecureString, IProgress{string})"/> wrote it: decrypted
        /// with <paramref name="password"/> when given, which <paramref name="source"/> names in errors. The caller clears it.
        /// </summary>
        public static byte[] Decode(string pem, SecureString? password, string source) => password == null
            ? Pem.Decode(pem, Pem.PrivateKeyLabel)
            : KeyProtection.Decrypt(Pem.Decode(pem, Pem.EncryptedPrivateKeyLabel), password, source);
    }
}
