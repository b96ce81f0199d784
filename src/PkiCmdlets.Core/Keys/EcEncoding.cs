using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Key encodings for elliptic-curve keys (ECDSA and SM2) that name the curve by OID. BouncyCastle
    /// 1.8.10's factories write explicit curve parameters, which RFC 5480 forbids in certificates and
    /// which .NET and many tools refuse.
    /// </summary>
    internal static class EcEncoding
    {
        public static byte[] SubjectPublicKeyInfo(DerObjectIdentifier curve, Org.BouncyCastle.Math.EC.ECPoint q) =>
            new SubjectPublicKeyInfo(Algorithm(curve), q.Normalize().GetEncoded(false)).GetDerEncoded();

        /// <summary>PKCS#8 wrapping an RFC 5915 ECPrivateKey that carries the public key, as OpenSSL writes it.</summary>
        public static byte[] PrivateKeyInfo(DerObjectIdentifier curve, int fieldBits, Org.BouncyCastle.Math.BigInteger d, Org.BouncyCastle.Math.EC.ECPoint q)
        {
            var ecPrivateKey = new ECPrivateKeyStructure(fieldBits, d, new DerBitString(q.Normalize().GetEncoded(false)), null);
            return new PrivateKeyInfo(Algorithm(curve), ecPrivateKey).GetDerEncoded();
        }

        private static AlgorithmIdentifier Algorithm(DerObjectIdentifier curve) =>
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve);
    }
}
