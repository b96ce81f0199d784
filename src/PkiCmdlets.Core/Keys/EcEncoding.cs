using System;
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

        /// <summary>
        /// A DER ECDSA-Sig-Value SEQUENCE { r, s } as IEEE P1363 r||s, each left-padded to
        /// <paramref name="fieldLength"/>: the form .NET verifies. Null unless it is strict DER (minimal lengths,
        /// non-negative integers that fit the field, nothing after), as BouncyCastle demanded before.
        /// </summary>
        public static byte[]? P1363Signature(byte[] der, int fieldLength)
        {
            var position = 0;
            if (!ReadHeader(der, ref position, 0x30, out var length) || position + length != der.Length) return null;
            var p1363 = new byte[2 * fieldLength];
            return ReadInteger(der, ref position, p1363, 0, fieldLength)
                && ReadInteger(der, ref position, p1363, fieldLength, fieldLength)
                && position == der.Length
                ? p1363
                : null;
        }

        /// <summary>Tag and definite length in the shortest form; lengths here never need more than one length byte.</summary>
        private static bool ReadHeader(byte[] der, ref int position, byte tag, out int length)
        {
            length = 0;
            if (position + 2 > der.Length || der[position++] != tag) return false;
            int first = der[position++];
            if (first < 0x80)
            {
                length = first;
            }
            else if (first == 0x81 && position < der.Length && der[position] >= 0x80)
            {
                length = der[position++];
            }
            else
            {
                return false;
            }
            return position + length <= der.Length;
        }

        /// <summary>Copies a non-negative, minimally encoded INTEGER right-aligned into its half of the P1363 form.</summary>
        private static bool ReadInteger(byte[] der, ref int position, byte[] p1363, int offset, int fieldLength)
        {
            if (!ReadHeader(der, ref position, 0x02, out var length) || length == 0) return false;
            var start = position;
            position += length;
            if (der[start] >= 0x80) return false; // negative
            if (der[start] == 0)
            {
                if (length == 1 || der[start + 1] < 0x80) return false; // zero, or a sign byte that was not needed
                start++;
                length--;
            }
            if (length > fieldLength) return false;
            Buffer.BlockCopy(der, start, p1363, offset + fieldLength - length, length);
            return true;
        }

        private static AlgorithmIdentifier Algorithm(DerObjectIdentifier curve) =>
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve);
    }
}
