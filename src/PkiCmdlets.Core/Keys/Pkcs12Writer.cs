using System;
using System.Collections.Generic;
using System.Security;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Writes PKCS#12 (RFC 7292) files in the layout OpenSSL and Windows write: the certificates in an encrypted
    /// SafeContents, the shrouded key in a plain one, and a password-based MAC over both.
    /// </summary>
    public static class Pkcs12Writer
    {
        /// <summary>
        /// For PBKDF2, the PKCS#12 KDF and the MAC alike. .NET refuses a PFX whose KDFs add up to more than
        /// Pkcs12LoaderLimits allows (300,000 per KDF, 1,000,000 in all; the older X509Certificate2 constructors
        /// 600,000 in all), and a file has up to three, so each stays far below.
        /// </summary>
        public const int Iterations = 10_000;

        private const int SaltLength = 16;

        /// <param name="certificates">DER certificates, the leaf first, then its chain.</param>
        /// <param name="privateKeyPkcs8">The leaf's key as unencrypted PKCS#8 DER, or null for a file of certificates only.</param>
        /// <param name="password">Protects the key and the certificates and keys the MAC; required.</param>
        /// <param name="encryption">The algorithms that protect the file.</param>
        /// <param name="friendlyName">Shown by Windows for the leaf certificate and its key.</param>
        public static byte[] Write(IReadOnlyList<byte[]> certificates, byte[]? privateKeyPkcs8, SecureString password,
            PfxEncryption encryption, string? friendlyName = null)
        {
            // A PFX is never unprotected, so a missing password is refused like an empty one.
            if (password == null)
            {
                throw KeyProtection.PasswordEmpty();
            }
            KeyProtection.RequireNonEmpty(password);
            if (certificates == null || certificates.Count == 0)
            {
                throw new PkiException(ErrorIds.PfxWithoutCertificate, PkiErrorKind.InvalidArgument, null, Messages.PfxWithoutCertificate);
            }

            // The PKCS#12 KDF (MAC, 3DES) takes the password as a BMPString; PBES2 takes UTF-8, as OpenSSL does.
            var bmpPassword = KeyProtection.FromChars(password, PbeParametersGenerator.Pkcs12PasswordToBytes);
            try
            {
                Func<byte[], (AlgorithmIdentifier Algorithm, byte[] CipherText)> encrypt = encryption switch
                {
                    PfxEncryption.Aes256Sha256 => plain => KeyProtection.EncryptPbes2(plain, password, Iterations),
                    PfxEncryption.TripleDesSha1 => plain => EncryptTripleDes(plain, bmpPassword),
                    _ => throw new ArgumentOutOfRangeException(nameof(encryption)),
                };

                // The leaf and its key are paired by localKeyId, the SHA-1 of the leaf as OpenSSL and Windows make it.
                byte[]? localKeyId = null;
                if (privateKeyPkcs8 != null)
                {
                    using var sha1 = SHA1.Create();
                    localKeyId = sha1.ComputeHash(certificates[0]);
                }

                var certificateBags = new Asn1EncodableVector();
                for (var i = 0; i < certificates.Count; i++)
                {
                    var bag = new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(certificates[i]));
                    certificateBags.Add(SafeBag(PkcsObjectIdentifiers.CertBag, bag, i == 0 ? Attributes(localKeyId, friendlyName) : null));
                }
                var (certificateAlgorithm, encryptedCertificates) = encrypt(new DerSequence(certificateBags).GetDerEncoded());
                var contents = new Asn1EncodableVector(new ContentInfo(PkcsObjectIdentifiers.EncryptedData,
                    new EncryptedData(PkcsObjectIdentifiers.Data, certificateAlgorithm, new DerOctetString(encryptedCertificates))));

                if (privateKeyPkcs8 != null)
                {
                    var (keyAlgorithm, encryptedKey) = encrypt(privateKeyPkcs8);
                    var keyBag = SafeBag(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag, new EncryptedPrivateKeyInfo(keyAlgorithm, encryptedKey),
                        Attributes(localKeyId, friendlyName));
                    contents.Add(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(keyBag).GetDerEncoded())));
                }

                var authenticatedSafe = new DerSequence(contents).GetDerEncoded();
                var pfx = new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authenticatedSafe)),
                    Mac(authenticatedSafe, bmpPassword, encryption));
                return pfx.GetDerEncoded();
            }
            finally
            {
                Array.Clear(bmpPassword, 0, bmpPassword.Length);
            }
        }

        private static Asn1Encodable SafeBag(DerObjectIdentifier type, Asn1Encodable value, Asn1Set? attributes)
        {
            var bag = new Asn1EncodableVector(type, new DerTaggedObject(true, 0, value));
            if (attributes != null)
            {
                bag.Add(attributes);
            }
            return new DerSequence(bag);
        }

        private static Asn1Set? Attributes(byte[]? localKeyId, string? friendlyName)
        {
            var attributes = new Asn1EncodableVector();
            if (!string.IsNullOrEmpty(friendlyName))
            {
                attributes.Add(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtFriendlyName, new DerSet(new DerBmpString(friendlyName))));
            }
            if (localKeyId != null)
            {
                attributes.Add(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID, new DerSet(new DerOctetString(localKeyId))));
            }
            return attributes.Count == 0 ? null : new DerSet(attributes);
        }

        /// <summary>pbeWithSHAAnd3-KeyTripleDES-CBC: key and IV from the RFC 7292 Appendix B KDF with SHA-1.</summary>
        private static (AlgorithmIdentifier Algorithm, byte[] CipherText) EncryptTripleDes(byte[] plain, byte[] bmpPassword)
        {
            var salt = KeyProtection.RandomBytes(SaltLength);
            var generator = new Pkcs12ParametersGenerator(new Sha1Digest());
            generator.Init(bmpPassword, salt, Iterations);
            var cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(new DesEdeEngine()));
            cipher.Init(true, generator.GenerateDerivedParameters("DESede", 192, 64));
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc, new Pkcs12PbeParams(salt, Iterations));
            return (algorithm, cipher.DoFinal(plain));
        }

        /// <summary>The classic MacData: HMAC keyed by the RFC 7292 Appendix B KDF (ID 3) with the same hash.</summary>
        private static MacData Mac(byte[] content, byte[] bmpPassword, PfxEncryption encryption)
        {
            var sha1 = encryption == PfxEncryption.TripleDesSha1;
            IDigest digest = sha1 ? new Sha1Digest() : new Sha256Digest();
            var salt = KeyProtection.RandomBytes(SaltLength);
            var generator = new Pkcs12ParametersGenerator(digest);
            generator.Init(bmpPassword, salt, Iterations);
            var key = ((KeyParameter)generator.GenerateDerivedMacParameters(digest.GetDigestSize() * 8)).GetKey();
            try
            {
                using HMAC hmac = sha1 ? new HMACSHA1(key) : new HMACSHA256(key);
                var digestAlgorithm = new AlgorithmIdentifier(sha1 ? OiwObjectIdentifiers.IdSha1 : NistObjectIdentifiers.IdSha256, DerNull.Instance);
                return new MacData(new DigestInfo(digestAlgorithm, hmac.ComputeHash(content)), salt, Iterations);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }
    }
}
