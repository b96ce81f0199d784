using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>The key identifiers certificates and CRLs carry (RFC 5280 §4.2.1.1, §4.2.1.2).</summary>
    internal static class KeyIdentifier
    {
        /// <summary>Method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey BIT STRING's value.</summary>
        public static SubjectKeyIdentifier OfSubject(byte[] subjectPublicKeyInfo)
        {
            var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(subjectPublicKeyInfo));
            return new SubjectKeyIdentifier(DigestUtilities.CalculateDigest("SHA-1", info.PublicKey.GetBytes()));
        }

        /// <summary>The issuer's subject key identifier, as the authorityKeyIdentifier of what it signs.</summary>
        public static AuthorityKeyIdentifier OfIssuer(byte[] issuerSubjectPublicKeyInfo) =>
            new AuthorityKeyIdentifier(OfSubject(issuerSubjectPublicKeyInfo).GetKeyIdentifier());
    }
}
