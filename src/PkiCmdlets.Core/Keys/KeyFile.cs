using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Private keys other tools wrote: PKCS#8 (plain or PBES2-encrypted, OpenSSL 3's default), and the
    /// traditional "RSA PRIVATE KEY" / "EC PRIVATE KEY" forms, encrypted or not, that easy-rsa and older
    /// OpenSSL versions write.
    /// </summary>
    public static class KeyFile
    {
        public static PrivateKey Read(string pemText, SecureString? password, string source)
        {
            if (pemText.IndexOf("-----BEGIN " + Pem.EncryptedPrivateKeyLabel + "-----", StringComparison.Ordinal) >= 0)
            {
                if (password == null) throw PasswordRequired(source);
                var plain = KeyProtection.Decrypt(Pem.Decode(pemText, Pem.EncryptedPrivateKeyLabel), password, source);
                try
                {
                    return PrivateKey.FromPkcs8(plain, source);
                }
                finally
                {
                    Array.Clear(plain, 0, plain.Length);
                }
            }
            if (pemText.IndexOf("-----BEGIN " + Pem.PrivateKeyLabel + "-----", StringComparison.Ordinal) >= 0)
            {
                return PrivateKey.FromPkcs8(Pem.Decode(pemText, Pem.PrivateKeyLabel), source);
            }
            return ReadTraditional(pemText, password, source);
        }

        /// <summary>
        /// RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (RFC 5915), encrypted as OpenSSL does it when Proc-Type says so: the
        /// DEK-Info cipher (AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC) with a key made from the password and the first 8
        /// bytes of the IV by MD5 (EVP_BytesToKey, one round). Read here rather than by a library, so that what the password
        /// opens meets <see cref="DerInput"/>'s limits before anything parses it.
        /// </summary>
        private static PrivateKey ReadTraditional(string pemText, SecureString? password, string source)
        {
            var (label, headers, body) = TraditionalBlock(pemText, source);
            byte[] der;
            try
            {
                der = Convert.FromBase64String(body);
            }
            catch (FormatException e)
            {
                throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.PemReasonBase64, e));
            }
            var encrypted = headers.IndexOf("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal) >= 0;
            if (encrypted)
            {
                if (password == null) throw PasswordRequired(source);
                der = DecryptTraditional(der, headers, password, source);
            }
            try
            {
                var structure = DerInput.Read(der, source);
                var info = label == RsaLabel
                    ? new PrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), RsaPrivateKeyStructure.GetInstance(structure))
                    : EcPkcs8(Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure.GetInstance(structure), source);
                return PrivateKey.FromPkcs8(info.GetDerEncoded(), source);
            }
            catch (Exception e) when (Errors.Malformed.Is(e))
            {
                // What a wrong password decrypts to, if its padding happens to pass, is not a key either.
                if (encrypted) throw PasswordIncorrect(source, e);
                throw PrivateKey.Unreadable(source, e);
            }
        }

        private const string RsaLabel = "RSA PRIVATE KEY";
        private const string EcLabel = "EC PRIVATE KEY";

        /// <summary>The first RSA or EC PRIVATE KEY block: its label, its header lines and its base64 body.</summary>
        private static (string Label, string Headers, string Body) TraditionalBlock(string pemText, string source)
        {
            foreach (var label in new[] { RsaLabel, EcLabel })
            {
                var begin = pemText.IndexOf("-----BEGIN " + label + "-----", StringComparison.Ordinal);
                if (begin < 0) continue;
                var start = begin + label.Length + 16;
                var end = pemText.IndexOf("-----END " + label + "-----", start, StringComparison.Ordinal);
                if (end < 0) throw new Errors.PkiException(Errors.ErrorIds.InvalidPem, Errors.PkiErrorKind.InvalidData, source, Messages.InvalidPem.Format(label, Messages.PemReasonNoEnd.Format(label)));
                var headers = new StringBuilder();
                var body = new StringBuilder();
                foreach (var line in pemText.Substring(start, end - start).Split('\n'))
                {
                    var text = line.Trim();
                    if (text.IndexOf(':') >= 0) headers.Append(text).Append('\n');
                    else body.Append(text);
                }
                return (label, headers.ToString(), body.ToString());
            }
            throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.ReasonNoPrivateKey));
        }

        /// <summary>An RFC 5915 key as the PKCS#8 PrivateKeyInfo of its named curve; an EC key without one cannot be read.</summary>
        private static PrivateKeyInfo EcPkcs8(Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure key, string source)
        {
            var curve = key.Parameters as DerObjectIdentifier
                ?? throw PrivateKey.Unreadable(source, new NotSupportedException(Messages.ReasonExplicitCurve));
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve), key);
        }

        private static byte[] DecryptTraditional(byte[] cipherText, string headers, SecureString password, string source)
        {
            var dekInfo = headers.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("DEK-Info:", StringComparison.Ordinal));
            var parts = dekInfo?.Substring("DEK-Info:".Length).Split(',');
            if (parts == null || parts.Length != 2)
            {
                throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.ReasonDekInfoMissing));
            }
            var cipherName = parts[0].Trim().ToUpperInvariant();
            Func<SymmetricAlgorithm> cipher;
            int keySize;
            switch (cipherName)
            {
                case "AES-128-CBC": (cipher, keySize) = (Aes.Create, 16); break;
                case "AES-192-CBC": (cipher, keySize) = (Aes.Create, 24); break;
                case "AES-256-CBC": (cipher, keySize) = (Aes.Create, 32); break;
                case "DES-EDE3-CBC": (cipher, keySize) = (TripleDES.Create, 24); break;
                case "DES-CBC": (cipher, keySize) = (DES.Create, 8); break;
                default: throw PrivateKey.Unreadable(source, new NotSupportedException(Messages.ReasonCipherUnsupported.Format(parts[0].Trim())));
            }
            byte[] iv;
            try
            {
                iv = Formats.Hex.Parse(parts[1].Trim());
            }
            catch (FormatException e)
            {
                throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.ReasonDekInfoMissing, e));
            }
            using var algorithm = cipher();
            if (iv.Length != algorithm.BlockSize / 8 || parts[1].Trim().Length != iv.Length * 2)
            {
                throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.ReasonDekInfoMissing));
            }
            var passwordBytes = KeyProtection.FromChars(password, chars => Encoding.UTF8.GetBytes(chars));
            var key = BytesToKey(passwordBytes, iv, keySize);
            try
            {
                algorithm.Mode = CipherMode.CBC;
                algorithm.Padding = PaddingMode.PKCS7;
                using var decryptor = algorithm.CreateDecryptor(key, iv);
                return decryptor.TransformFinalBlock(cipherText, 0, cipherText.Length);
            }
            catch (CryptographicException e)
            {
                throw PasswordIncorrect(source, e);
            }
            finally
            {
                Array.Clear(passwordBytes, 0, passwordBytes.Length);
                Array.Clear(key, 0, key.Length);
            }
        }

        /// <summary>OpenSSL's EVP_BytesToKey with MD5 and one round: MD5 blocks of (previous block, password, salt) up to the key's size.</summary>
        private static byte[] BytesToKey(byte[] password, byte[] iv, int size)
        {
            var key = new byte[size];
            var block = Array.Empty<byte>();
            using var md5 = MD5.Create();
            for (var filled = 0; filled < size; filled += block.Length)
            {
                var input = new byte[block.Length + password.Length + 8];
                Buffer.BlockCopy(block, 0, input, 0, block.Length);
                Buffer.BlockCopy(password, 0, input, block.Length, password.Length);
                Buffer.BlockCopy(iv, 0, input, block.Length + password.Length, 8);
                block = md5.ComputeHash(input);
                Array.Clear(input, 0, input.Length);
                Buffer.BlockCopy(block, 0, key, filled, Math.Min(block.Length, size - filled));
            }
            return key;
        }

        private static Errors.PkiException PasswordIncorrect(string source, Exception e) =>
            new Errors.PkiException(Errors.ErrorIds.KeyPasswordIncorrect, Errors.PkiErrorKind.SecurityError, source, Messages.KeyPasswordIncorrect.Format(source), e);

        private static Errors.PkiException PasswordRequired(string source) =>
            new Errors.PkiException(Errors.ErrorIds.KeyFilePasswordRequired, Errors.PkiErrorKind.SecurityError, source, Messages.KeyFilePasswordRequired.Format(source));
    }
}
