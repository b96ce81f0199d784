using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace PkiCmdlets.Core.Formats
{
    /// <summary>
    /// SEQUENCE { toBeSigned, signatureAlgorithm, signature BIT STRING }, the frame of a certificate and a CRL
    /// (RFC 5280 §4.1, §5.1), put around the DER that was signed instead of encoding that structure again.
    /// </summary>
    internal static class SignedDer
    {
        public static byte[] Frame(byte[] toBeSigned, AlgorithmIdentifier signatureAlgorithm, byte[] signature)
        {
            var algorithm = signatureAlgorithm.GetDerEncoded();
            var bitString = new DerBitString(signature).GetDerEncoded();
            var length = toBeSigned.Length + algorithm.Length + bitString.Length;
            var lengthBytes = new List<byte>();
            for (var rest = length; rest > 0; rest >>= 8) lengthBytes.Insert(0, (byte)rest);
            var header = new List<byte> { 0x30 };
            if (length < 0x80)
            {
                header.Add((byte)length);
            }
            else
            {
                header.Add((byte)(0x80 | lengthBytes.Count));
                header.AddRange(lengthBytes);
            }
            var der = new byte[header.Count + length];
            header.CopyTo(der);
            Buffer.BlockCopy(toBeSigned, 0, der, header.Count, toBeSigned.Length);
            Buffer.BlockCopy(algorithm, 0, der, header.Count + toBeSigned.Length, algorithm.Length);
            Buffer.BlockCopy(bitString, 0, der, header.Count + toBeSigned.Length + algorithm.Length, bitString.Length);
            return der;
        }
    }
}
