using System.Collections.Generic;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A TLS server certificate: CA:false (critical), digitalSignature (+ keyEncipherment for RSA, critical), serverAuth,
    /// and the DNS names and IP addresses it covers as subject alternative names, never none (the common name copied in).
    /// Of what a CSR asks it takes DNS names and IP addresses; -Domain adds more, and an e-mail address there is refused.
    /// A kind that is a server certificate and more (a server that is also a TLS client) derives from it and names its
    /// extended key usages.
    /// </summary>
    internal class ServerProfile : CertificateProfile
    {
        public const string ProfileName = "Server";

        public override string Name => ProfileName;

        /// <summary>The extended key usages it writes: serverAuth.</summary>
        protected virtual KeyPurposeID[] ExtendedKeyUsages => new[] { KeyPurposeID.id_kp_serverAuth };

        public override List<SubjectAlternativeName> NamesAsked(IssuanceRequest request)
        {
            var names = new List<SubjectAlternativeName>(request.RequestedNames);
            foreach (var name in NameRules.ParseList(request.AddedNames))
            {
                if (name.Type == SubjectAlternativeNameType.Email)
                {
                    throw new PkiException(ErrorIds.InvalidDomain, PkiErrorKind.InvalidArgument, name.Value, Messages.InvalidDomain.Format(name.Value));
                }
                NameRules.AddDistinct(names, name);
            }
            foreach (var value in request.AddedUris)
            {
                if (string.IsNullOrWhiteSpace(value)) continue;
                if (!TakesUris)
                {
                    throw new PkiException(ErrorIds.UriNotTaken, PkiErrorKind.InvalidArgument, value, Messages.UriNotTaken.Format(value, Name));
                }
                NameRules.AddDistinct(names, new SubjectAlternativeName(SubjectAlternativeNameType.Uri, NameRules.NormalizeUri(value)));
            }
            return names;
        }

        /// <summary>Whether -Uri adds URIs (a service's SPIFFE ID): not for a server certificate alone.</summary>
        protected virtual bool TakesUris => false;

        public override IReadOnlyList<SubjectAlternativeName> Covered(string commonName, List<SubjectAlternativeName> namesAsked)
        {
            var names = CertificateNames.Covered(commonName, namesAsked);
            CertificateNames.RequireAtMostMax(names.Count, commonName);
            if (names.Count == 0)
            {
                throw new PkiException(ErrorIds.NoServerName, PkiErrorKind.InvalidArgument, commonName, Messages.NoServerName.Format(commonName));
            }
            return names;
        }

        public override void AddExtensions(X509ExtensionsGenerator extensions, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names)
        {
            // An RSA key restricted to PSS signs only; it cannot encipher.
            var usage = subjectKey.Family == KeyFamily.Rsa && !subjectKey.PssOnly ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature;
            extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
            extensions.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(ExtendedKeyUsages));
            extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, CertificateNames.ToGeneralNames(names));
        }
    }
}
