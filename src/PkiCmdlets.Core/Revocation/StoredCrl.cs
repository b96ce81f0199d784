using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Revocation
{
    /// <summary>What the next CRL must not go back on in a CRL the store published: its number and the serial numbers it lists.</summary>
    internal sealed class StoredCrl
    {
        private StoredCrl(long number, HashSet<string> serials, byte[] toBeSigned, byte[] signatureAlgorithm, byte[] signature)
        {
            Number = number;
            Serials = serials;
            ToBeSigned = toBeSigned;
            SignatureAlgorithm = signatureAlgorithm;
            Signature = signature;
        }

        /// <summary>The cRLNumber; 0 when the CRL has none.</summary>
        public long Number { get; }

        /// <summary>The serial numbers listed, as lower-case hex without leading zero bytes.</summary>
        public HashSet<string> Serials { get; }

        /// <summary>The DER that was signed, its AlgorithmIdentifier and the signature, to check who signed it.</summary>
        public byte[] ToBeSigned { get; }
        public byte[] SignatureAlgorithm { get; }
        public byte[] Signature { get; }

        /// <summary>A serial number as <see cref="Serials"/> holds it.</summary>
        public static string SerialKey(byte[] serial) => Hex.Lower(new Org.BouncyCastle.Math.BigInteger(1, serial).ToByteArrayUnsigned());

        /// <summary>Reads a CRL's DER; what BouncyCastle throws for a malformed one goes to the caller (see Errors.Malformed).</summary>
        public static StoredCrl Read(byte[] der)
        {
            var crl = CertificateList.GetInstance(Asn1Object.FromByteArray(der));
            var number = crl.TbsCertList.Extensions?.GetExtension(X509Extensions.CrlNumber);
            var serials = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var entry in crl.TbsCertList.GetRevokedCertificateEnumeration())
            {
                serials.Add(Hex.Lower(entry.UserCertificate.Value.ToByteArrayUnsigned()));
            }
            return new StoredCrl(number == null ? 0 : DerInteger.GetInstance(number.GetParsedValue()).LongValueExact, serials,
                crl.TbsCertList.GetDerEncoded(), crl.SignatureAlgorithm.GetDerEncoded(), crl.Signature.GetOctets());
        }
    }
}
