using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Revocation
{
    /// <summary>An RFC 5280 §5 version 2 CRL, with cRLNumber and authorityKeyIdentifier, signed by the CA's key.</summary>
    internal static class CrlBuilder
    {
        public static byte[] Build(X509Name issuer, byte[] issuerSubjectPublicKeyInfo, PrivateKey issuerKey, long crlNumber,
            DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, IEnumerable<RevocationEntry> entries)
        {
            var signatureAlgorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(issuerKey.SignatureAlgorithm));
            var tbs = new V2TbsCertListGenerator();
            tbs.SetSignature(signatureAlgorithm);
            tbs.SetIssuer(issuer);
            tbs.SetThisUpdate(new Time(thisUpdate.UtcDateTime));
            tbs.SetNextUpdate(new Time(nextUpdate.UtcDateTime));
            foreach (var entry in entries)
            {
                var serial = new DerInteger(new Org.BouncyCastle.Math.BigInteger(1, entry.Serial));
                var revoked = new Time(entry.RevokedAt.UtcDateTime);
                // RFC 5280 §5.3.1: the reason code unspecified SHOULD be absent.
                if (entry.Reason == RevocationReason.Unspecified)
                {
                    tbs.AddCrlEntry(serial, revoked, null);
                }
                else
                {
                    tbs.AddCrlEntry(serial, revoked, (int)entry.Reason);
                }
            }
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, KeyIdentifier.OfIssuer(issuerSubjectPublicKeyInfo));
            extensions.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(Org.BouncyCastle.Math.BigInteger.ValueOf(crlNumber)));
            tbs.SetExtensions(extensions.Generate());
            var toBeSigned = tbs.GenerateTbsCertList().GetDerEncoded();
            return SignedDer.Frame(toBeSigned, signatureAlgorithm, issuerKey.Sign(toBeSigned));
        }
    }
}
