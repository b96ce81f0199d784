using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Links a CA certificate from outside the store (Import-CA, Complete-SubCA) to the CA that signed it: a CA of the store,
    /// or the certificates that came with it in the same file (its chain), up to a self-signed root or a CA of the store.
    /// Every link is a name that matches and a signature that holds; every certificate of the file must be on the chain.
    /// </summary>
    internal static class CaChainLinks
    {
        private const int MaxDepth = 16;

        /// <summary>Where a certificate's chain ends in the store, and the certificates of its file that come in with it.</summary>
        public sealed class Plan
        {
            public Plan(string? storeIssuerId, IReadOnlyList<CertificateContent> above)
            {
                StoreIssuerId = storeIssuerId;
                Above = above;
            }

            /// <summary>The store CA the top of the chain links to; null when the top is a self-signed root.</summary>
            public string? StoreIssuerId { get; }

            /// <summary>The file's certificates above the one imported, its issuer first, the top last; none are in the store yet.</summary>
            public IReadOnlyList<CertificateContent> Above { get; }
        }

        /// <summary>
        /// The chain of <paramref name="certificate"/> through <paramref name="others"/> (the rest of its file) to the store.
        /// CaImportIssuerMissing when it came alone and its issuer is not in the store; CaChainBroken when the file's chain
        /// does not link (an issuer neither in the file nor in the store, a signature that does not hold, a certificate that
        /// is on no link); CaImportNotCa for a certificate of the chain that is not a CA's.
        /// </summary>
        public static Plan Link(CertificateContent certificate, IReadOnlyList<CertificateContent> others, IReadOnlyList<StoredCa> store, string source)
        {
            var remaining = others.Where(o => !o.Der.SequenceEqual(certificate.Der) && !store.Any(s => s.Der.SequenceEqual(o.Der))).ToList();
            var above = new List<CertificateContent>();
            var current = certificate;
            string? storeIssuer = null;
            while (!IsSelfSigned(current, source))
            {
                var inStore = store.FirstOrDefault(s => s.Certificate.Subject.Equivalent(current.Structure.Issuer) && Signed(s.SubjectPublicKeyInfo, current, s.Record.Name));
                if (inStore != null)
                {
                    storeIssuer = inStore.Record.Id;
                    break;
                }
                var next = remaining.FirstOrDefault(c => c.Structure.Subject.Equivalent(current.Structure.Issuer) && Signed(c.SubjectPublicKeyInfo, current, source));
                if (next == null)
                {
                    if (others.Count == 0)
                    {
                        throw new PkiException(ErrorIds.CaImportIssuerMissing, PkiErrorKind.ObjectNotFound, source,
                            Messages.CaImportIssuerMissing.Format(source, current.Structure.Issuer.ToString()));
                    }
                    throw Broken(source, Messages.ReasonChainIssuerMissing.Format(current.Structure.Subject.ToString(), current.Structure.Issuer.ToString()));
                }
                RequireCa(next, source);
                above.Add(next);
                remaining.Remove(next);
                current = next;
                if (above.Count > MaxDepth) throw Broken(source, Messages.ReasonChainTooLong.Format(MaxDepth));
            }
            if (remaining.Count > 0)
            {
                throw Broken(source, Messages.ReasonChainExtraCertificate.Format(remaining[0].Structure.Subject.ToString()));
            }
            return new Plan(storeIssuer, above);
        }

        /// <summary>CaImportNotCa unless the certificate says it is a CA's (basicConstraints CA:TRUE).</summary>
        public static void RequireCa(CertificateContent certificate, string source)
        {
            var basic = certificate.Structure.TbsCertificate.Extensions?.GetExtension(X509Extensions.BasicConstraints);
            if (basic == null || !BasicConstraints.GetInstance(basic.GetParsedValue()).IsCA())
            {
                throw new PkiException(ErrorIds.CaImportNotCa, PkiErrorKind.InvalidData, source,
                    Messages.CaImportNotCa.Format(source + " (" + certificate.Structure.Subject + ")"));
            }
        }

        /// <summary>A root: issued by its own subject and signed by its own key.</summary>
        public static bool IsSelfSigned(CertificateContent certificate, string source) =>
            certificate.Structure.Issuer.Equivalent(certificate.Structure.Subject) && Signed(certificate.SubjectPublicKeyInfo, certificate, source);

        private static bool Signed(byte[] issuerSubjectPublicKeyInfo, CertificateContent certificate, string source)
        {
            var key = PublicKeyInfo.FromSubjectPublicKeyInfo(issuerSubjectPublicKeyInfo, source);
            var structure = certificate.Structure;
            return key.Verify(structure.SignatureAlgorithm.GetDerEncoded(), structure.TbsCertificate.GetDerEncoded(), structure.Signature.GetOctets());
        }

        private static PkiException Broken(string source, string reason) =>
            new PkiException(ErrorIds.CaChainBroken, PkiErrorKind.InvalidData, source, Messages.CaChainBroken.Format(source, reason));
    }
}
