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
    /// SHA-1, other curves, Ed25519) on BouncyCastle, so the set of signatures that verify is the same as ever. Where
    /// .NET runs on OpenSSL 3, <see cref="LibCryptoVerifier"/> checks the RSA and ECDSA ones first, without .NET's
    /// costly key import; what it does not verify goes on to this reference path.
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

        /// <summary>The product of the odd primes up to 743, whose factors BouncyCastle refuses in an RSA modulus.</summary>
        private static readonly System.Numerics.BigInteger SmallPrimesProduct = OddPrimesProduct(743);

        /// <summary>
        /// BouncyCastle's form of the key, for <see cref="Matches"/> and the signatures BouncyCastle verifies. Made on
        /// first use, because for RSA its constructor's checks (a gcd in managed code) cost more than the native verify;
        /// <see cref="CheckRsa"/> makes them sooner and faster.
        /// </summary>
        private readonly Lazy<AsymmetricKeyParameter> _key;

        /// <summary>The key imported into the native provider on first use; null if the provider refuses it or has none.</summary>
        private readonly Lazy<AsymmetricAlgorithm?> _native;

        /// <summary>What <see cref="LibCryptoVerifier"/> needs: an RSA key's modulus and exponent, or an ECDSA key's point.</summary>
        private byte[]? _rsaModulus, _rsaExponent, _ecPoint;

        /// <summary>The hash a PSS-only key's own parameters bind its signatures to, if they do.</summary>
        private DerObjectIdentifier? _keyPssHash;

        private PublicKeyInfo(byte[] spki, Func<AsymmetricKeyParameter> key, KeyFamily? family, int size, string description,
            Func<AsymmetricAlgorithm>? importNative = null)
        {
            SubjectPublicKeyInfo = spki;
            _key = new Lazy<AsymmetricKeyParameter>(key);
            Family = family;
            Size = size;
            Description = description;
            _native = new Lazy<AsymmetricAlgorithm?>(() => ImportNative(importNative));
        }

        /// <summary>The DER SubjectPublicKeyInfo as it was read.</summary>
        public byte[] SubjectPublicKeyInfo { get; }

        /// <summary>RSA, ECC (P-256/384/521) or SM2; null for a key we do not issue for (DSA, Ed25519, brainpool, …).</summary>
        public KeyFamily? Family { get; }

        /// <summary>Modulus bits for RSA, field bits for EC keys.</summary>
        public int Size { get; }

        /// <summary>
        /// OpenSSL's limit for RSA keys (OPENSSL_RSA_MAX_MODULUS_BITS): a larger modulus makes each signature check slow, and
        /// no one issues for one.
        /// </summary>
        public const int MaxRsaBits = 16384;

        /// <summary>
        /// An RSA key restricted to RSASSA-PSS signatures (its algorithm is id-RSASSA-PSS, not rsaEncryption): it cannot
        /// encrypt, so a certificate for it has no keyEncipherment, and a CA does not sign PKCS#1 v1.5 with it.
        /// </summary>
        public bool PssOnly { get; private set; }

        /// <summary>Seed form for our families (RSA_2048, ECC_256, SM2_256); otherwise a readable name.</summary>
        public string Description { get; }

        /// <summary>The native key that checks RSA PKCS#1 v1.5 and ECDSA signatures; null where BouncyCastle does.</summary>
        internal AsymmetricAlgorithm? NativeKey => _native.Value;

        /// <summary>Reads a SubjectPublicKeyInfo; <paramref name="source"/> names it in errors, and anything malformed in it is KeyUnreadable.</summary>
        public static PublicKeyInfo FromSubjectPublicKeyInfo(byte[] spki, string source)
        {
            Formats.DerInput.Check(spki, source);
            try
            {
                return Read(spki, source);
            }
            catch (Exception e) when (Errors.Malformed.Is(e))
            {
                throw new Errors.PkiException(Errors.ErrorIds.KeyUnreadable, Errors.PkiErrorKind.InvalidData, source,
                    Messages.PublicKeyUnreadable.Format(source, Errors.Malformed.Reason(e, Messages.ReasonDerDamaged)), e);
            }
        }

        private static PublicKeyInfo Read(byte[] spki, string source)
        {
            var info = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(spki));
            var pssOnly = info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss);
            if (info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) || pssOnly)
            {
                // Read as signed numbers: a negative exponent is refused, not taken as the positive number of its bytes.
                var rsa = Asn1Sequence.GetInstance(info.ParsePublicKey());
                if (rsa.Count != 2) throw new ArgumentException(Messages.ReasonDerDamaged);
                var (modulus, exponent) = (DerInteger.GetInstance(rsa[0]).Value, DerInteger.GetInstance(rsa[1]).Value);
                CheckRsa(modulus, exponent, source);
                var bits = modulus.BitLength;
                return new PublicKeyInfo(spki, () => new RsaKeyParameters(false, modulus, exponent), KeyFamily.Rsa, bits,
                    (pssOnly ? "RSA-PSS_" : "RSA_") + bits.ToString(CultureInfo.InvariantCulture), () => ImportRsa(modulus, exponent))
                {
                    _rsaModulus = modulus.ToByteArrayUnsigned(),
                    _rsaExponent = exponent.ToByteArrayUnsigned(),
                    PssOnly = pssOnly,
                    _keyPssHash = pssOnly && info.Algorithm.Parameters != null ? RsassaPssParameters.GetInstance(info.Algorithm.Parameters).HashAlgorithm.Algorithm : null,
                };
            }
            var key = PublicKeyFactory.CreateKey(info);

            var algorithm = info.Algorithm.Algorithm;
            if (key is ECPublicKeyParameters ec)
            {
                var parameters = X962Parameters.GetInstance(info.Algorithm.Parameters);
                var curve = parameters.IsNamedCurve ? (DerObjectIdentifier)parameters.Parameters : null;
                var bits = ec.Parameters.Curve.FieldSize;
                if (curve != null && curve.Equals(GMObjectIdentifiers.sm2p256v1))
                {
                    return new PublicKeyInfo(spki, () => key, KeyFamily.Sm2, 256, "SM2_256");
                }
                if (curve != null && (curve.Equals(SecObjectIdentifiers.SecP256r1) || curve.Equals(SecObjectIdentifiers.SecP521r1)))
                {
                    return new PublicKeyInfo(spki, () => key, KeyFamily.Ecc, bits, "ECC_" + bits.ToString(CultureInfo.InvariantCulture),
                        () => ImportEcdsa(ec, bits))
                    {
                        _ecPoint = info.PublicKey.GetOctets(),
                    };
                }
                if (curve != null && curve.Equals(SecObjectIdentifiers.SecP384r1))
                {
                    // Verified on BouncyCastle: OpenSSL 3.0 (today's Linux distributions) has no fast P-384 code, and its
                    // import (which checks the point's order) and verify take about twice as long as BouncyCastle's verify.
                    return new PublicKeyInfo(spki, () => key, KeyFamily.Ecc, bits, "ECC_384");
                }
                var curveName = curve == null ? Messages.ReasonExplicitParameters : (ECNamedCurveTable.GetName(curve) ?? curve.Id);
                return new PublicKeyInfo(spki, () => key, null, bits, "EC " + curveName);
            }
            var name = key is DsaPublicKeyParameters ? "DSA" : key is Ed25519PublicKeyParameters ? "Ed25519" : algorithm.Id;
            return new PublicKeyInfo(spki, () => key, null, 0, name);
        }

        /// <summary>
        /// The rules for an RSA public key wherever one is taken: at most <see cref="MaxRsaBits"/> bits (RsaModulusTooLarge);
        /// a public exponent that is odd and from 3 to 2^256 - 1 (RsaExponentNotAllowed: the CA/Browser Forum's rule, whose
        /// upper bound also keeps a signature check cheap; with 1 anyone can forge signatures); and what BouncyCastle's
        /// RsaKeyParameters demands (a positive, odd modulus without a prime factor up to 743, checked with System.Numerics'
        /// gcd, some twenty times faster than BouncyCastle's).
        /// </summary>
        private static void CheckRsa(Org.BouncyCastle.Math.BigInteger modulus, Org.BouncyCastle.Math.BigInteger exponent, string source)
        {
            if (modulus.BitLength > MaxRsaBits)
            {
                throw new Errors.PkiException(Errors.ErrorIds.RsaModulusTooLarge, Errors.PkiErrorKind.InvalidData, source,
                    Messages.RsaModulusTooLarge.Format(source, modulus.BitLength, MaxRsaBits));
            }
            if (exponent.SignValue <= 0 || !exponent.TestBit(0) || exponent.BitLength < 2 || exponent.BitLength > 256)
            {
                var shown = exponent.BitLength <= 64 ? exponent.ToString() : Messages.NumberOfBits.Format(exponent.BitLength);
                throw new Errors.PkiException(Errors.ErrorIds.RsaExponentNotAllowed, Errors.PkiErrorKind.InvalidData, source,
                    Messages.RsaExponentNotAllowed.Format(source, shown));
            }
            if (modulus.SignValue <= 0 || !modulus.TestBit(0)) throw new ArgumentException(Messages.ReasonRsaModulusInvalid);
            // BouncyCastle: big-endian two's complement; System.Numerics: little-endian.
            var bigEndian = modulus.ToByteArray();
            Array.Reverse(bigEndian);
            if (!System.Numerics.BigInteger.GreatestCommonDivisor(new System.Numerics.BigInteger(bigEndian), SmallPrimesProduct).IsOne)
            {
                throw new ArgumentException(Messages.ReasonRsaModulusSmallFactor);
            }
        }

        private static System.Numerics.BigInteger OddPrimesProduct(int upTo)
        {
            var product = System.Numerics.BigInteger.One;
            for (var candidate = 3; candidate <= upTo; candidate += 2)
            {
                var prime = true;
                for (var divisor = 3; divisor * divisor <= candidate && prime; divisor += 2) prime = candidate % divisor != 0;
                if (prime) product *= candidate;
            }
            return product;
        }

        /// <summary>
        /// Whether <paramref name="signature"/> over <paramref name="data"/> verifies with this key under the
        /// DER AlgorithmIdentifier <paramref name="signatureAlgorithm"/>. SM2 uses the default user id.
        /// </summary>
        public bool Verify(byte[] signatureAlgorithm, byte[] data, byte[] signature) =>
            Verify(signatureAlgorithm, data, signature, LibCryptoVerifier.IsAvailable);

        /// <summary>
        /// <see cref="Verify(byte[], byte[], byte[])"/>, trying <see cref="LibCryptoVerifier"/> first when
        /// <paramref name="fast"/>: a signature it verifies is valid; any other goes on to the reference path, which decides.
        /// </summary>
        internal bool Verify(byte[] signatureAlgorithm, byte[] data, byte[] signature, bool fast)
        {
            try
            {
                var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(signatureAlgorithm));
                var oid = algorithm.Algorithm.Id;
                if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss)) return Family == KeyFamily.Rsa && VerifyPss(algorithm, data, signature);
                if (PssOnly) return false;
                if (fast && RsaPkcs1Hashes.TryGetValue(oid, out var fastHash) && _rsaModulus != null
                    && LibCryptoVerifier.VerifiedRsa(_rsaModulus, _rsaExponent!, fastHash, data, signature))
                {
                    return true;
                }
                if (fast && EcdsaHashes.TryGetValue(oid, out fastHash) && _ecPoint != null
                    && LibCryptoVerifier.VerifiedEcdsa(Size, _ecPoint, fastHash, data, signature))
                {
                    return true;
                }
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

        /// <summary>
        /// RSASSA-PSS (RFC 8017 §8.1) with the hash, mask generation and salt length its parameters name (RFC 4055; SHA-1,
        /// MGF1 with SHA-1 and 20 octets when left out). A key restricted to PSS by parameters of its own takes only
        /// signatures with its hash.
        /// </summary>
        private bool VerifyPss(AlgorithmIdentifier algorithm, byte[] data, byte[] signature)
        {
            var parameters = RsassaPssParameters.GetInstance(algorithm.Parameters ?? DerSequence.Empty);
            var mask = parameters.MaskGenAlgorithm;
            if (!mask.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1) || !parameters.TrailerField.HasValue(1)) return false;
            if (_keyPssHash != null && !_keyPssHash.Equals(parameters.HashAlgorithm.Algorithm)) return false;
            var saltLength = parameters.SaltLength.IntValueExact;
            if (saltLength < 0 || saltLength > (Size + 7) / 8) return false;
            var signer = new PssSigner(new Org.BouncyCastle.Crypto.Engines.RsaBlindedEngine(), DigestUtilities.GetDigest(parameters.HashAlgorithm.Algorithm),
                DigestUtilities.GetDigest(AlgorithmIdentifier.GetInstance(mask.Parameters).Algorithm), saltLength);
            signer.Init(false, _key.Value);
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }

        private bool VerifyManaged(AlgorithmIdentifier algorithm, byte[] data, byte[] signature)
        {
            ISigner signer;
            if (algorithm.Algorithm.Equals(GMObjectIdentifiers.sm2sign_with_sm3))
            {
                signer = new SM2Signer();
                signer.Init(false, new ParametersWithID(_key.Value, Sm2PrivateKey.DefaultUserId));
            }
            else
            {
                signer = SignerUtilities.GetSigner(algorithm.Algorithm);
                signer.Init(false, _key.Value);
            }
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }

        /// <summary>
        /// Runs <paramref name="import"/>, if the key has one. A key the native provider refuses (an RSA modulus below
        /// its minimum, say) is left to BouncyCastle, which verified every key before.
        /// </summary>
        private static AsymmetricAlgorithm? ImportNative(Func<AsymmetricAlgorithm>? import)
        {
            try
            {
                return import?.Invoke();
            }
            catch (CryptographicException)
            {
                return null;
            }
        }

        private static RSA ImportRsa(Org.BouncyCastle.Math.BigInteger modulus, Org.BouncyCastle.Math.BigInteger exponent)
        {
            var rsa = RsaPrivateKey.NewRsa();
            rsa.ImportParameters(new RSAParameters { Modulus = modulus.ToByteArrayUnsigned(), Exponent = exponent.ToByteArrayUnsigned() });
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
            return (_key.Value, other) switch
            {
                (RsaKeyParameters a, RsaKeyParameters b) => a.Modulus.Equals(b.Modulus) && a.Exponent.Equals(b.Exponent),
                (ECPublicKeyParameters a, ECPublicKeyParameters b) => a.Parameters.Curve.Equals(b.Parameters.Curve) && a.Q.Normalize().Equals(b.Q.Normalize()),
                _ => false,
            };
        }
    }
}
