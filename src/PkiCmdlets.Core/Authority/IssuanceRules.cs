using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// The rules every certificate a CA issues follows, whatever its profile (seed 002's for server certificates): the
    /// subject key is one the profile takes, is the -Algorithm expected, and is of the issuer's family; the subject
    /// attributes not asked for are the issuer's; every name is one the chain's name constraints permit; a CRL
    /// distribution point only where the issuer publishes a CRL.
    /// </summary>
    internal static class IssuanceRules
    {
        public static void CheckKey(IssuanceRequest request, StoredCa issuer)
        {
            var key = request.SubjectKey;
            request.Profile.KeyPolicy.Require(key, "-Csr");
            var algorithm = request.Algorithm;
            if (!string.IsNullOrWhiteSpace(algorithm))
            {
                var spec = KeySpec.Parse(algorithm, null);
                if (spec.Family != key.Family || spec.Size != key.Size)
                {
                    throw new PkiException(ErrorIds.KeyAlgorithmMismatch, PkiErrorKind.InvalidArgument, algorithm,
                        Messages.AlgorithmDoesNotMatchCsr.Format(algorithm, key.Description));
                }
            }
            var issuerKey = issuer.PublicKey;
            if (issuerKey.Family != key.Family)
            {
                throw new PkiException(ErrorIds.KeyAlgorithmMismatch, PkiErrorKind.InvalidArgument, key.Description,
                    Messages.KeyAlgorithmMismatch.Format(key.Description, issuer.Record.Name, issuerKey.Description));
            }
        }

        /// <summary>The subject: what was asked, else the issuer's attributes; the common name, else the first name asked for.</summary>
        public static SubjectName Subject(IssuanceRequest request, StoredCa issuer, IReadOnlyList<SubjectAlternativeName> namesAsked)
        {
            var from = issuer.Certificate.Subject;
            return SubjectName.Create(
                request.CommonName ?? namesAsked.FirstOrDefault()?.Value,
                request.Country ?? CertificateContent.Attribute(from, X509Name.C),
                request.State ?? CertificateContent.Attribute(from, X509Name.ST),
                request.Locality ?? CertificateContent.Attribute(from, X509Name.L),
                request.Organization ?? CertificateContent.Attribute(from, X509Name.O),
                request.OrganizationalUnit ?? CertificateContent.Attribute(from, X509Name.OU));
        }

        /// <summary>NameNotPermitted for the first name a CA of the chain does not permit.</summary>
        public static void CheckNameConstraints(IReadOnlyList<SubjectAlternativeName> names, IEnumerable<StoredCa> chain)
        {
            foreach (var authority in chain)
            {
                var denied = names.FirstOrDefault(n => !authority.NameConstraints.Permits(n));
                if (denied != null)
                {
                    throw new PkiException(ErrorIds.NameNotPermitted, PkiErrorKind.InvalidArgument, denied.Value,
                        Messages.NameNotPermitted.Format(denied.Value, authority.Record.Name, authority.NameConstraints));
                }
            }
        }

        /// <summary>The CRL URL to point to when asked for (CrlUrlMissing when the issuer has none), or null.</summary>
        public static string? CrlUrl(IssuanceRequest request, StoredCa issuer)
        {
            if (!request.EnableCrl) return null;
            return issuer.Record.CrlUrl
                ?? throw new PkiException(ErrorIds.CrlUrlMissing, PkiErrorKind.InvalidOperation, issuer.Record.Name, Messages.CrlUrlMissing.Format(issuer.Record.Name));
        }
    }
}
