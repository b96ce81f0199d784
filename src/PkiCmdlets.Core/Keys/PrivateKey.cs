using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// A private key and the one way everything in the product signs with it: CSRs, certificates, CRLs
    /// and ACME requests. RSA and ECDSA run on System.Security.Cryptography, which is native
    /// (OpenSSL on Linux, CNG on Windows) and far faster than managed code; SM2 runs on BouncyCastle.
    /// </summary>
    public abstract class PrivateKey : IDisposable
    {
        protected PrivateKey(KeySpec spec)
        {
            Spec = spec;
        }

        public KeySpec Spec { get; }

        /// <summary>DER AlgorithmIdentifier of the signatures <see cref="Sign"/> makes.</summary>
        public abstract byte[] SignatureAlgorithm { get; }

        /// <summary>Signs <paramref name="data"/> with the hash that belongs to this key (see DESIGN.md).</summary>
        public abstract byte[] Sign(byte[] data);

        /// <summary>DER SubjectPublicKeyInfo.</summary>
        public abstract byte[] ExportSubjectPublicKeyInfo();

        /// <summary>DER PKCS#8 PrivateKeyInfo, unencrypted; see <see cref="KeyProtection"/> to encrypt it.</summary>
        public abstract byte[] ExportPkcs8();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
        }

        /// <summary>Makes a new key pair from the operating system's CSPRNG.</summary>
        public static PrivateKey Generate(KeySpec spec) => spec.Family switch
        {
            KeyFamily.Rsa => RsaPrivateKey.Create(spec),
            KeyFamily.Ecc => EcdsaPrivateKey.Create(spec),
            _ => Sm2PrivateKey.Create(),
        };

        /// <summary>Reads an unencrypted PKCS#8 PrivateKeyInfo; anything malformed in it, outside or in the key inside, is KeyUnreadable.</summary>
        public static PrivateKey FromPkcs8(byte[] der, string source)
        {
            try
            {
                return ReadPkcs8(der, source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e);
            }
        }

        /// <summary>
        /// Parses <paramref name="der"/> once and clears the parser's copies of the private key (the PKCS#8 privateKey
        /// and an EC key's scalar) when the provider holds the key: they would otherwise stay in freed memory.
        /// </summary>
        private static PrivateKey ReadPkcs8(byte[] der, string source)
        {
            var info = PrivateKeyInfo.GetInstance(Formats.DerInput.Read(der, source));
            try
            {
                var algorithm = info.PrivateKeyAlgorithm.Algorithm;
                if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
                {
                    return RsaPrivateKey.FromStructure(RsaPrivateKeyStructure.GetInstance(info.ParsePrivateKey()));
                }
                if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
                {
                    var curve = X962Parameters.GetInstance(info.PrivateKeyAlgorithm.Parameters);
                    if (!curve.IsNamedCurve)
                    {
                        throw Unreadable(source, new NotSupportedException(Messages.ReasonExplicitCurve));
                    }
                    return ReadEc(ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey()), (DerObjectIdentifier)curve.Parameters, source);
                }
                throw Unreadable(source, new NotSupportedException(Messages.ReasonKeyAlgorithmUnsupported.Format(algorithm.Id)));
            }
            finally
            {
                var octets = info.PrivateKey.GetOctets();
                Array.Clear(octets, 0, octets.Length);
            }
        }

        private static PrivateKey ReadEc(ECPrivateKeyStructure structure, DerObjectIdentifier curveOid, string source)
        {
            var scalar = Asn1OctetString.GetInstance(((Asn1Sequence)structure.ToAsn1Object())[1]).GetOctets();
            try
            {
                var ecKey = new ECPrivateKeyParameters("EC", new Org.BouncyCastle.Math.BigInteger(1, scalar), curveOid);
                if (curveOid.Equals(Sm2PrivateKey.CurveOid)) return Sm2PrivateKey.FromScalar(ecKey.D);
                var q = structure.PublicKey == null ? null : ecKey.Parameters.Curve.DecodePoint(structure.PublicKey.GetOctets());
                return EcdsaPrivateKey.FromBouncyCastle(curveOid, ecKey.D, source, q);
            }
            finally
            {
                Array.Clear(scalar, 0, scalar.Length);
            }
        }

        internal static PkiException Unreadable(string source, Exception cause) =>
            new PkiException(ErrorIds.KeyUnreadable, PkiErrorKind.InvalidData, source,
                Messages.KeyUnreadable.Format(source, Malformed.Reason(cause, Messages.ReasonKeyDamaged)), cause);

        /// <summary>Big-endian unsigned bytes left-padded to <paramref name="length"/>, as .NET's key parameters need.</summary>
        internal static byte[] FixedLength(Org.BouncyCastle.Math.BigInteger value, int length)
        {
            var bytes = value.ToByteArrayUnsigned();
            if (bytes.Length == length) return bytes;
            if (bytes.Length > length) throw new CryptographicException(Messages.ReasonKeyComponentTooLong);
            var padded = new byte[length];
            Buffer.BlockCopy(bytes, 0, padded, length - bytes.Length, bytes.Length);
            return padded;
        }

        internal static Org.BouncyCastle.Math.BigInteger Unsigned(byte[] bytes) => new Org.BouncyCastle.Math.BigInteger(1, bytes);
    }
}
