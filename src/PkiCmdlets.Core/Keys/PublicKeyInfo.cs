using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// A public key read from a SubjectPublicKeyInfo someone else made (a CSR, an imported certificate):
    /// what it is, in our terms, and signature verification. RSA PKCS#1 v1.5 and ECDSA on P-256 and P-521 with
    /// SHA-2 verify on the platform's native provider, like our signing; everything else (SM2, P-384, RSASSA-PSS,
    /// SHA-1, other curves, Ed25519) on BouncyCastle, so the set of signatures that verify is the same as ever.
    /// </summary>
    public sealed class PublicKeyInfo
    {
        private static readonly Dictionary<string, HashAlgorithmName> RsaPkcs1Hashes = new Dictionary<string, HashAlgorithmName>
        {
            [PkcsObjectIdentifiers.Sha256WithRsaEncryption.Id] = HashAlgorithmName.SHA256,
            [PkcsObjectIdentifiers.Sha384WithRsaEncryption.Id] = HashAlgorithmName.SHA384,
            [PkcsObjectIdentifiers.Sha512WithRsaEncryption.Id] = HashAlgorithmName.SHA512,
        };

        private static readonly Dictionary<string, HashAlgorithmName> EcdsaHashes = new Dictionary<string, HashAlgorithmName>
        {
            [X9ObjectIdentifiers.ECDsaWithSha256.Id] = HashAlgorithmName.SHA256,
            [X9ObjectIdentifiers.ECDsaWithSha384.Id] = HashAlgorithmName.SHA384,
            [X9ObjectIdentifiers.ECDsaWithSha512.Id] = HashAlgorithmName.SHA512,
        };

        private readonly AsymmetricKeyParameter _key;

        /// <summary>The key imported into the native provider on first use; null if the provider refuses it.</summary>
        private readonly Lazy<AsymmetricAlgorithm?> _native;

        private PublicKeyInfo(byte[] spki, AsymmetricKeyParameter key, KeyFamily? family, int size, string description)
        {
            SubjectPublicKeyInfo = spki;
            _key = key;
            Family = family;
            Size = size;
            Description = description;
            _native = new Lazy<AsymmetricAlgorithm?>(ImportNative);
        }

        /// <summary>The DER SubjectPublicKeyInfo as it was read.</summary>
        public byte[] SubjectPublicKeyInfo { get; }

        /// <summary>RSA, ECC (P-256/384/521) or SM2; null for a key we do not issue for (DSA, Ed25519, brainpool, …).</summary>
        public KeyFamily? Family { get; }

        /// <summary>Modulus bits for RSA, field bits for EC keys.</summary>
        public int Size { get; }

        /// <summary>Seed form for our families (RSA_2048, ECC_256, SM2_256); otherwise a readable name.</summary>
        public string Description { get; }

        /// <summary>The native key that checks RSA PKCS#1 v1.5 and ECDSA signatures; null where BouncyCastle does.</summary>
        internal AsymmetricAlgorithm? NativeKey => _native.Value;

        /// <summary>Reads a SubjectPublicKeyInfo; <paramref name="source"/> names it in errors.</summary>
        public static PublicKeyInfo FromSubjectPublicKeyInfo(byte[] spki, string source)
        {
            SubjectPublicKeyInfo info;
            AsymmetricKeyParameter key;
            try
            {
                info = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(spki));
                key = PublicKeyFactory.CreateKey(info);
            }
            catch (Exception e) when (e is ArgumentException || e is System.IO.IOException || e is InvalidCastException || e is SecurityUtilityException || e is InvalidOperationException)
            {
                throw PrivateKey.Unreadable(source, e);
            }

            var algorithm = info.AlgorithmID.Algorithm;
            if (key is RsaKeyParameters rsa && algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
            {
                var bits = rsa.Modulus.BitLength;
                return new PublicKeyInfo(spki, key, KeyFamily.Rsa, bits, "RSA_" + bits.ToString(CultureInfo.InvariantCulture));
            }
            if (key is ECPublicKeyParameters ec)
            {
                var parameters = X962Parameters.GetInstance(info.AlgorithmID.Parameters);
                var curve = parameters.IsNamedCurve ? (DerObjectIdentifier)parameters.Parameters : null;
                var bits = ec.Parameters.Curve.FieldSize;
                if (curve != null && curve.Equals(GMObjectIdentifiers.sm2p256v1))
                {
                    return new PublicKeyInfo(spki, key, KeyFamily.Sm2, 256, "SM2_256");
                }
                if (curve != null && (curve.Equals(SecObjectIdentifiers.SecP256r1) || curve.Equals(SecObjectIdentifiers.SecP384r1) || curve.Equals(SecObjectIdentifiers.SecP521r1)))
                {
                    return new PublicKeyInfo(spki, key, KeyFamily.Ecc, bits, "ECC_" + bits.ToString(CultureInfo.InvariantCulture));
                }
                var curveName = curve == null ? "explicit parameters" : (ECNamedCurveTable.GetName(curve) ?? curve.Id);
                return new PublicKeyInfo(spki, key, null, bits, "EC " + curveName);
            }
            var name = key is DsaPublicKeyParameters ? "DSA" : key is Ed25519PublicKeyParameters ? "Ed25519" : algorithm.Id;
            return new PublicKeyInfo(spki, key, null, 0, name);
        }

        /// <summary>
        /// Whether <paramref name="signature"/> over <paramref name="data"/> verifies with this key under the
        /// DER AlgorithmIdentifier <paramref name="signatureAlgorithm"/>. SM2 uses the default user id.
        /// </summary>
        public bool Verify(byte[] signatureAlgorithm, byte[] data, byte[] signature)
        {
            try
            {
                var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(signatureAlgorithm));
                var oid = algorithm.Algorithm.Id;
                if (RsaPkcs1Hashes.TryGetValue(oid, out var hash) && NativeKey is RSA rsa)
                {
                    // BouncyCastle also accepts what the platform refuses: a signature shorter than the modulus, and a
                    // DigestInfo without the NULL parameters (RFC 8017 B.1 asks verifiers to take both). Only a
                    // signature that fails here pays for the second, managed check.
                    return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1) || VerifyManaged(algorithm, data, signature);
                }
                if (EcdsaHashes.TryGetValue(oid, out hash) && NativeKey is ECDsa ecdsa)
                {
                    var p1363 = EcEncoding.P1363Signature(signature, (Size + 7) / 8);
                    return p1363 != null && ecdsa.VerifyData(data, p1363, hash);
                }
                return VerifyManaged(algorithm, data, signature);
            }
            catch (Exception e) when (e is ArgumentException || e is System.IO.IOException || e is InvalidCastException
                || e is SecurityUtilityException || e is InvalidOperationException || e is CryptoException || e is InvalidKeyException
                || e is CryptographicException)
            {
                // InvalidKeyException: the algorithm is for another kind of key (an ECDSA signature on an RSA key).
                return false;
            }
        }

        private bool VerifyManaged(AlgorithmIdentifier algorithm, byte[] data, byte[] signature)
        {
            ISigner signer;
            if (algorithm.Algorithm.Equals(GMObjectIdentifiers.sm2sign_with_sm3))
            {
                signer = new SM2Signer();
                signer.Init(false, new ParametersWithID(_key, Sm2PrivateKey.DefaultUserId));
            }
            else
            {
                signer = SignerUtilities.GetSigner(algorithm.Algorithm);
                signer.Init(false, _key);
            }
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }

        /// <summary>
        /// RSA, P-256 and P-521 keys in the native provider. A key it refuses (an RSA modulus below its minimum, say)
        /// is left to BouncyCastle, which verified every key before. So is P-384: OpenSSL 3.0 (today's Linux
        /// distributions) has no fast code for it, and its import (which checks the point's order) and verify
        /// together take about twice as long as BouncyCastle's verify.
        /// </summary>
        private AsymmetricAlgorithm? ImportNative()
        {
            try
            {
                return Family switch
                {
                    KeyFamily.Rsa => ImportRsa((RsaKeyParameters)_key),
                    KeyFamily.Ecc when Size != 384 => ImportEcdsa((ECPublicKeyParameters)_key, Size),
                    _ => null,
                };
            }
            catch (CryptographicException)
            {
                return null;
            }
        }

        private static RSA ImportRsa(RsaKeyParameters key)
        {
            var rsa = RsaPrivateKey.NewRsa();
            rsa.ImportParameters(new RSAParameters { Modulus = key.Modulus.ToByteArrayUnsigned(), Exponent = key.Exponent.ToByteArrayUnsigned() });
            return rsa;
        }

        private static ECDsa ImportEcdsa(ECPublicKeyParameters key, int size)
        {
            var q = key.Q.Normalize();
            var length = (size + 7) / 8;
            return ECDsa.Create(new ECParameters
            {
                Curve = EcdsaPrivateKey.NamedCurve(size),
                Q = new System.Security.Cryptography.ECPoint
                {
                    X = PrivateKey.FixedLength(q.AffineXCoord.ToBigInteger(), length),
                    Y = PrivateKey.FixedLength(q.AffineYCoord.ToBigInteger(), length),
                },
            });
        }

        /// <summary>Whether this is the public half of <paramref name="privateKey"/> (compared as numbers, not encodings).</summary>
        public bool Matches(PrivateKey privateKey)
        {
            var other = PublicKeyFactory.CreateKey(privateKey.ExportSubjectPublicKeyInfo());
            return (_key, other) switch
            {
                (RsaKeyParameters a, RsaKeyParameters b) => a.Modulus.Equals(b.Modulus) && a.Exponent.Equals(b.Exponent),
                (ECPublicKeyParameters a, ECPublicKeyParameters b) => a.Parameters.Curve.Equals(b.Parameters.Curve) && a.Q.Normalize().Equals(b.Q.Normalize()),
                _ => false,
            };
        }
    }
}
