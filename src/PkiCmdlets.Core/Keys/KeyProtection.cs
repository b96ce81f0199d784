using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Password protection of PKCS#8 keys: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018),
    /// the form `openssl pkcs8` reads and writes by default in OpenSSL 3.
    /// </summary>
    public static class KeyProtection
    {
        /// <summary>
        /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Keys are decrypted once per use, so the cost
        /// (a fraction of a second) is paid by the user rarely and by a password guesser every time.
        /// </summary>
        public const int DefaultIterations = 600_000;

        /// <summary>
        /// The most iterations a password function may ask for in a file we read (PBKDF2, a PFX's MAC and its PKCS#12
        /// encryption): about ten seconds of work, sixteen times our own default. A file is refused beyond it rather than
        /// keeping the processor busy for hours on a count someone chose, such as 2^31 - 1.
        /// </summary>
        public const int MaxIterations = 10_000_000;

        /// <summary>
        /// Rfc2898DeriveBytes(byte[], byte[], int, HashAlgorithmName): the platform's PBKDF2 with SHA-256,
        /// about ten times faster than BouncyCastle's managed digest. It exists on every runtime PowerShell
        /// uses (.NET Framework 4.7.2, .NET Core), but not in the netstandard2.0 surface, so it is found at
        /// run time; BouncyCastle is the fallback.
        /// </summary>
        private static readonly System.Reflection.ConstructorInfo? NativePbkdf2Sha256 = typeof(Rfc2898DeriveBytes).GetConstructor(
            new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName) });

        private static readonly AlgorithmIdentifier HmacSha256 =
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance);

        public static byte[] Encrypt(byte[] pkcs8, SecureString password, int iterations = DefaultIterations)
        {
            var (algorithm, cipherText) = EncryptPbes2(pkcs8, password, iterations);
            return new EncryptedPrivateKeyInfo(algorithm, cipherText).GetDerEncoded();
        }

        /// <summary>PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) of any content: key files and PKCS#12 bags alike.</summary>
        internal static (AlgorithmIdentifier Algorithm, byte[] CipherText) EncryptPbes2(byte[] plain, SecureString password, int iterations)
        {
            var salt = RandomBytes(16);
            var iv = RandomBytes(16);
            var key = DeriveKey(password, salt, iterations, HmacSha256);
            byte[] cipherText;
            try
            {
                cipherText = AesCbc(key, iv, plain, encrypt: true);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }

            var kdf = new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2, new Pbkdf2Params(salt, iterations, HmacSha256));
            var scheme = new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(iv));
            return (new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, new PbeS2Parameters(kdf, scheme)), cipherText);
        }

        /// <summary>Decrypts an EncryptedPrivateKeyInfo made by <see cref="Encrypt"/> or by OpenSSL 3 defaults.</summary>
        public static byte[] Decrypt(byte[] encryptedPkcs8, SecureString password, string source)
        {
            EncryptedPrivateKeyInfo info;
            PbeS2Parameters pbes2;
            Pbkdf2Params pbkdf2;
            try
            {
                info = EncryptedPrivateKeyInfo.GetInstance(Formats.DerInput.Read(encryptedPkcs8, source));
                if (!info.EncryptionAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
                {
                    throw new NotSupportedException(Messages.ReasonOnlyPbes2);
                }
                pbes2 = PbeS2Parameters.GetInstance(info.EncryptionAlgorithm.Parameters);
                if (!pbes2.KeyDerivationFunc.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2)
                    || !pbes2.EncryptionScheme.Algorithm.Equals(NistObjectIdentifiers.IdAes256Cbc))
                {
                    throw new NotSupportedException(Messages.ReasonOnlyPbkdf2Aes);
                }
                pbkdf2 = Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw PrivateKey.Unreadable(source, e);
            }

            byte[] iv;
            byte[] key;
            try
            {
                iv = pbes2.EncryptionScheme.Parameters is Asn1OctetString octets && octets.GetOctets().Length == 16
                    ? octets.GetOctets()
                    : throw new ArgumentException(Messages.ReasonIvInvalid);
                key = DeriveKey(password, pbkdf2.GetSalt(), Iterations(pbkdf2.IterationCount, source, "PBKDF2"), pbkdf2.Prf);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw PrivateKey.Unreadable(source, e);
            }
            try
            {
                var plain = AesCbc(key, iv, info.GetEncryptedData(), encrypt: false);
                // A wrong password usually fails the padding check; when the padding happens to pass,
                // the plaintext is not a PrivateKeyInfo. The parser's copy of the key is cleared: the caller clears its own.
                var parsed = PrivateKeyInfo.GetInstance(Formats.DerInput.Read(plain, source)).PrivateKey.GetOctets();
                Array.Clear(parsed, 0, parsed.Length);
                return plain;
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw new PkiException(ErrorIds.KeyPasswordIncorrect, PkiErrorKind.SecurityError, source,
                    Messages.KeyPasswordIncorrect.Format(source), e);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }

        /// <summary>
        /// <paramref name="count"/> as an int when it is from 1 to <see cref="MaxIterations"/>; IterationCountOutOfRange, naming
        /// <paramref name="source"/> and the <paramref name="function"/> that asks for it, otherwise (a count of 2^32 + 1 is
        /// refused, never read as 1).
        /// </summary>
        internal static int Iterations(Org.BouncyCastle.Math.BigInteger count, string source, string function)
        {
            if (count.SignValue > 0 && count.BitLength <= 31 && count.IntValue <= MaxIterations) return count.IntValue;
            var shown = count.BitLength <= 64 ? count.ToString() : Messages.NumberOfBits.Format(count.BitLength);
            throw new PkiException(ErrorIds.IterationCountOutOfRange, PkiErrorKind.InvalidData, source,
                Messages.IterationCountOutOfRange.Format(source, shown, function, MaxIterations));
        }

        /// <summary>Throws KeyPasswordEmpty for an empty password; null means "no password".</summary>
        public static void RequireNonEmpty(SecureString? password)
        {
            if (password != null && password.Length == 0)
            {
                throw PasswordEmpty();
            }
        }

        internal static PkiException PasswordEmpty() =>
            new PkiException(ErrorIds.KeyPasswordEmpty, PkiErrorKind.InvalidArgument, null, Messages.KeyPasswordEmpty);

        private static byte[] DeriveKey(SecureString password, byte[] salt, int iterations, AlgorithmIdentifier? prf)
        {
            var passwordBytes = Utf8(password);
            try
            {
                var digest = prf == null || prf.Algorithm.Equals(PkcsObjectIdentifiers.IdHmacWithSha1)
                    ? (Org.BouncyCastle.Crypto.IDigest)new Sha1Digest()
                    : prf.Algorithm.Equals(PkcsObjectIdentifiers.IdHmacWithSha256)
                        ? new Sha256Digest()
                        : throw new NotSupportedException(Messages.ReasonPrfUnsupported.Format(prf.Algorithm.Id));
                if (digest is Sha256Digest && NativePbkdf2Sha256 != null)
                {
                    using var native = (DeriveBytes)NativePbkdf2Sha256.Invoke(new object[] { passwordBytes, salt, iterations, HashAlgorithmName.SHA256 });
                    return native.GetBytes(32);
                }
                var generator = new Pkcs5S2ParametersGenerator(digest);
                generator.Init(passwordBytes, salt, iterations);
                return ((KeyParameter)generator.GenerateDerivedMacParameters(256)).GetKey();
            }
            finally
            {
                Array.Clear(passwordBytes, 0, passwordBytes.Length);
            }
        }

        private static byte[] AesCbc(byte[] key, byte[] iv, byte[] input, bool encrypt)
        {
            using var aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            using var transform = encrypt ? aes.CreateEncryptor(key, iv) : aes.CreateDecryptor(key, iv);
            return transform.TransformFinalBlock(input, 0, input.Length);
        }

        internal static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(bytes);
            return bytes;
        }

        /// <summary>The password as UTF-8, the encoding OpenSSL uses for a pass phrase typed at a UTF-8 terminal.</summary>
        private static byte[] Utf8(SecureString password) => FromChars(password, chars => Encoding.UTF8.GetBytes(chars));

        /// <summary>
        /// Hands <paramref name="encode"/> a copy of the password's characters and clears the copy afterwards;
        /// the caller clears what <paramref name="encode"/> returns.
        /// </summary>
        internal static byte[] FromChars(SecureString password, Func<char[], byte[]> encode)
        {
            var chars = CopyChars(password);
            try
            {
                return encode(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>A copy of the password's characters, for APIs that take char[]; the caller clears it.</summary>
        internal static char[] CopyChars(SecureString password)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(password);
            try
            {
                var chars = new char[password.Length];
                Marshal.Copy(pointer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
