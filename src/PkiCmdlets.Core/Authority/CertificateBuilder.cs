using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// The certificate profiles of DESIGN.md (RFC 5280, CA/Browser Forum Baseline Requirements): builds the
    /// TBSCertificate and signs it with the issuer's key, whose family decides the signature algorithm.
    /// </summary>
    internal static class CertificateBuilder
    {
        public sealed class Issuer
        {
            public Issuer(X509Name name, byte[] subjectPublicKeyInfo, PrivateKey key)
            {
                Name = name;
                SubjectPublicKeyInfo = subjectPublicKeyInfo;
                Key = key;
            }

            public X509Name Name { get; }
            public byte[] SubjectPublicKeyInfo { get; }
            public PrivateKey Key { get; }

            /// <summary>What everything it signs names it by; made once per issuer object, which a batch keeps.</summary>
            public AuthorityKeyIdentifier AuthorityKeyIdentifier => _authorityKeyIdentifier ??= KeyIdentifier.OfIssuer(SubjectPublicKeyInfo);

            /// <summary>The AlgorithmIdentifier of its key's signatures, parsed once.</summary>
            public AlgorithmIdentifier SignatureAlgorithm => _signatureAlgorithm ??= AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(Key.SignatureAlgorithm));

            private AuthorityKeyIdentifier? _authorityKeyIdentifier;
            private AlgorithmIdentifier? _signatureAlgorithm;
        }

        /// <summary>Self-signed root: CA critical (optional path length), keyCertSign+cRLSign critical, SKI.</summary>
        public static byte[] Root(X509Name subject, PrivateKey key, byte[] serial, ValidityPeriod validity, int? pathLength)
        {
            var spki = key.ExportSubjectPublicKeyInfo();
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.BasicConstraints, true, CaConstraints(pathLength));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, KeyIdentifier.OfSubject(spki));
            return Sign(serial, subject, validity, subject, spki, extensions, key);
        }

        /// <summary>Intermediate: as a root, plus path length, AKI, name constraints (critical) and the issuer's CRL DP.</summary>
        public static byte[] Intermediate(X509Name subject, byte[] subjectPublicKeyInfo, Issuer issuer, byte[] serial, ValidityPeriod validity,
            int pathLength, NameConstraintSet constraints, string? issuerCrlUrl)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.BasicConstraints, true, CaConstraints(pathLength));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, KeyIdentifier.OfSubject(subjectPublicKeyInfo));
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, KeyIdentifier.OfIssuer(issuer.SubjectPublicKeyInfo));
            if (!constraints.IsEmpty) extensions.AddExtension(X509Extensions.NameConstraints, true, constraints.ToExtension());
            if (issuerCrlUrl != null) extensions.AddExtension(X509Extensions.CrlDistributionPoints, false, CrlDistributionPoint(issuerCrlUrl));
            return Sign(serial, subject, validity, issuer.Name, subjectPublicKeyInfo, extensions, issuer.Key);
        }

        /// <summary>
        /// An end-entity certificate as <paramref name="profile"/> makes it (its extensions: for the server profile CA:false,
        /// digitalSignature (+ keyEncipherment for RSA), serverAuth, the SANs), then SKI, AKI, and the issuer's CRL DP when asked for.
        /// </summary>
        public static byte[] Issued(CertificateProfile profile, X509Name subject, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names,
            Issuer issuer, byte[] serial, ValidityPeriod validity, string? crlUrl)
        {
            var spki = subjectKey.SubjectPublicKeyInfo;
            var extensions = new X509ExtensionsGenerator();
            profile.AddExtensions(extensions, subjectKey, names);
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, KeyIdentifier.OfSubject(spki));
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, issuer.AuthorityKeyIdentifier);
            if (crlUrl != null) extensions.AddExtension(X509Extensions.CrlDistributionPoints, false, CrlDistributionPoint(crlUrl));
            return Sign(serial, subject, validity, issuer.Name, spki, extensions, issuer.Key, issuer.SignatureAlgorithm);
        }

        /// <summary>
        /// A new certificate for what <paramref name="current"/> certifies: its subject, key and every extension as they are
        /// (so its key identifiers stay), with a new serial number and validity, signed by <paramref name="issuer"/>.
        /// </summary>
        public static byte[] Renewed(X509CertificateStructure current, Issuer issuer, byte[] serial, ValidityPeriod validity)
        {
            var extensions = new X509ExtensionsGenerator();
            var old = current.TbsCertificate.Extensions;
            if (old != null)
            {
                foreach (var oid in old.ExtensionOids)
                {
                    var extension = old.GetExtension(oid);
                    extensions.AddExtension(oid, extension.IsCritical, extension.GetParsedValue());
                }
            }
            return Sign(serial, current.Subject, validity, issuer.Name, current.SubjectPublicKeyInfo.GetDerEncoded(), extensions, issuer.Key);
        }

        private static BasicConstraints CaConstraints(int? pathLength) =>
            pathLength.HasValue ? new BasicConstraints(pathLength.Value) : new BasicConstraints(true);

        private static CrlDistPoint CrlDistributionPoint(string url)
        {
            var name = new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, url)));
            return new CrlDistPoint(new[] { new DistributionPoint(name, null, null) });
        }

        private static byte[] Sign(byte[] serial, X509Name subject, ValidityPeriod validity, X509Name issuer, byte[] spki,
            X509ExtensionsGenerator extensions, PrivateKey issuerKey, AlgorithmIdentifier? algorithm = null)
        {
            var signatureAlgorithm = algorithm ?? AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(issuerKey.SignatureAlgorithm));
            var tbs = new V3TbsCertificateGenerator();
            tbs.SetSerialNumber(new DerInteger(new Org.BouncyCastle.Math.BigInteger(1, serial)));
            tbs.SetSignature(signatureAlgorithm);
            tbs.SetIssuer(issuer);
            tbs.SetStartDate(new Time(validity.NotBefore.UtcDateTime));
            tbs.SetEndDate(new Time(validity.NotAfter.UtcDateTime));
            tbs.SetSubject(subject);
            tbs.SetSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(spki)));
            tbs.SetExtensions(extensions.Generate());
            var toBeSigned = tbs.GenerateTbsCertificate().GetDerEncoded();
            return SignedDer.Frame(toBeSigned, signatureAlgorithm, issuerKey.Sign(toBeSigned));
        }
    }
}
