using System.Collections.Generic;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A TLS client certificate (mTLS, service identity, VPN users): CA:false (critical), digitalSignature (critical),
    /// clientAuth, and the identities it names as subject alternative names: e-mail addresses, user principal names, URIs
    /// such as SPIFFE IDs, and DNS names. Of what a CSR asks it takes those four kinds; -Email, -UserPrincipalName, -Uri and
    /// -DnsName add more. A common name that is an e-mail address is named as one too; a client may also be named by its
    /// common name alone (CN=alice), and then the certificate has no subjectAltName.
    /// </summary>
    internal sealed class ClientProfile : CertificateProfile
    {
        public const string ProfileName = "Client";

        public override string Name => ProfileName;

        public override List<SubjectAlternativeName> NamesAsked(IssuanceRequest request)
        {
            var names = new List<SubjectAlternativeName>();
            foreach (var name in request.RequestedIdentities)
            {
                if (name.Type != SubjectAlternativeNameType.IpAddress) NameRules.AddDistinct(names, name);
            }
            foreach (var value in Entries(request.AddedNames))
            {
                var name = NameRules.Parse(value);
                if (name.Type != SubjectAlternativeNameType.Dns)
                {
                    throw new PkiException(ErrorIds.InvalidDnsName, PkiErrorKind.InvalidArgument, value, Messages.ClientDnsNameNotDns.Format(value));
                }
                NameRules.AddDistinct(names, name);
            }
            foreach (var value in Entries(request.AddedEmailAddresses))
            {
                NameRules.AddDistinct(names, new SubjectAlternativeName(SubjectAlternativeNameType.Email, NameRules.NormalizeEmail(value)));
            }
            foreach (var value in Entries(request.AddedUserPrincipalNames))
            {
                NameRules.AddDistinct(names, new SubjectAlternativeName(SubjectAlternativeNameType.UserPrincipalName, NameRules.NormalizeUserPrincipalName(value)));
            }
            foreach (var value in request.AddedUris)
            {
                if (string.IsNullOrWhiteSpace(value)) continue;
                NameRules.AddDistinct(names, new SubjectAlternativeName(SubjectAlternativeNameType.Uri, NameRules.NormalizeUri(value)));
            }
            return names;
        }

        public override IReadOnlyList<SubjectAlternativeName> Covered(string commonName, List<SubjectAlternativeName> namesAsked)
        {
            var names = new List<SubjectAlternativeName>();
            if (commonName.IndexOf('@') > 0)
            {
                try
                {
                    names.Add(new SubjectAlternativeName(SubjectAlternativeNameType.Email, NameRules.NormalizeEmail(commonName)));
                }
                catch (PkiException)
                {
                    // A common name with an '@' that is no e-mail address is free text, as any other.
                }
            }
            foreach (var name in namesAsked) NameRules.AddDistinct(names, name);
            return names;
        }

        public override void AddExtensions(X509ExtensionsGenerator extensions, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names)
        {
            extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
            extensions.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth));
            if (names.Count > 0) extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, CertificateNames.ToGeneralNames(names));
        }

        /// <summary>Each name of values typed as an array, as comma-separated strings, or both.</summary>
        internal static IEnumerable<string> Entries(IEnumerable<string> values)
        {
            foreach (var value in values)
            {
                if (value == null) continue;
                foreach (var part in value.Split(','))
                {
                    var entry = part.Trim();
                    if (entry.Length > 0) yield return entry;
                }
            }
        }
    }
}
