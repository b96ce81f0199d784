using System;
using System.Globalization;
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
    /// what it is, in our terms, and signature verification for the algorithms we sign with.
    /// </summary>
    public sealed class PublicKeyInfo
    {
        private readonly AsymmetricKeyParameter _key;

        private PublicKeyInfo(byte[] spki, AsymmetricKeyParameter key, KeyFamily? family, int size, string description)
        {
            SubjectPublicKeyInfo = spki;
            _key = key;
            Family = family;
            Size = size;
            Description = description;
        }

        /// <summary>The DER SubjectPublicKeyInfo as it was read.</summary>
        public byte[] SubjectPublicKeyInfo { get; }

        /// <summary>RSA, ECC (P-256/384/521) or SM2; null for a key we do not issue for (DSA, Ed25519, brainpool, …).</summary>
        public KeyFamily? Family { get; }

        /// <summary>Modulus bits for RSA, field bits for EC keys.</summary>
        public int Size { get; }

        /// <summary>Seed form for our families (RSA_2048, ECC_256, SM2_256); otherwise a readable name.</summary>
        public string Description { get; }

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
            catch (Exception e) when (e is ArgumentException || e is System.IO.IOException || e is InvalidCastException
                || e is SecurityUtilityException || e is InvalidOperationException || e is CryptoException || e is InvalidKeyException)
            {
                // InvalidKeyException: the algorithm is for another kind of key (an ECDSA signature on an RSA key).
                return false;
            }
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
