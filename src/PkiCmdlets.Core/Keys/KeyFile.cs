using System;
using System.IO;
using System.Security;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
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

        /// <summary>The key pair BouncyCastle read from a PKCS#12 bag or traditional PEM, as one of our keys.</summary>
        internal static PrivateKey FromBouncyCastle(AsymmetricKeyParameter key, string source)
        {
            switch (key)
            {
                case RsaPrivateCrtKeyParameters rsa:
                    return RsaPrivateKey.FromBouncyCastle(rsa);
                case ECPrivateKeyParameters ec when ec.PublicKeyParamSet != null:
                    return ec.PublicKeyParamSet.Equals(Sm2PrivateKey.CurveOid)
                        ? Sm2PrivateKey.FromScalar(ec.D)
                        : EcdsaPrivateKey.FromBouncyCastle(ec.PublicKeyParamSet, ec.D, source);
                default:
                    throw PrivateKey.Unreadable(source, new NotSupportedException(Messages.ReasonOnlyRsaAndNamedEc));
            }
        }

        private static PrivateKey ReadTraditional(string pemText, SecureString? password, string source)
        {
            var encrypted = pemText.IndexOf("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal) >= 0;
            if (encrypted && password == null) throw PasswordRequired(source);
            object? read;
            try
            {
                using var reader = new StringReader(pemText);
                read = new PemReader(reader, encrypted ? new PasswordFinder(password!) : null).ReadObject();
            }
            catch (Exception e) when (Errors.Malformed.Is(e))
            {
                if (encrypted)
                {
                    throw new Errors.PkiException(Errors.ErrorIds.KeyPasswordIncorrect, Errors.PkiErrorKind.SecurityError, source,
                        Messages.KeyPasswordIncorrect.Format(source), e);
                }
                throw PrivateKey.Unreadable(source, e);
            }
            try
            {
                return read switch
                {
                    AsymmetricCipherKeyPair pair => FromBouncyCastle(pair.Private, source),
                    AsymmetricKeyParameter key when key.IsPrivate => FromBouncyCastle(key, source),
                    _ => throw PrivateKey.Unreadable(source, new InvalidDataException(Messages.ReasonNoPrivateKey)),
                };
            }
            catch (Exception e) when (Errors.Malformed.Is(e))
            {
                throw PrivateKey.Unreadable(source, e);
            }
        }

        private static Errors.PkiException PasswordRequired(string source) =>
            new Errors.PkiException(Errors.ErrorIds.KeyFilePasswordRequired, Errors.PkiErrorKind.SecurityError, source, Messages.KeyFilePasswordRequired.Format(source));

        private sealed class PasswordFinder : IPasswordFinder
        {
            private readonly SecureString _password;

            public PasswordFinder(SecureString password)
            {
                _password = password;
            }

            public char[] GetPassword() => KeyProtection.CopyChars(_password);
        }
    }
}
