using System;
using System.Collections.Generic;
using System.Security;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What is asked of an issuance, whatever it came from: the subject's key and the names and subject attributes asked
    /// for, the issuer, the validity, and which <see cref="CertificateProfile"/> makes the certificate. Built from a CSR
    /// (<see cref="FromCsr(NewCertificateRequest)"/>), whose signature is checked first; re-issuing a certificate the store holds would build it
    /// from that certificate's key and names. Nothing here is checked against the issuer or the profile yet.
    /// </summary>
    internal sealed class IssuanceRequest
    {
        private IssuanceRequest(CertificateProfile profile, CaIdentity issuer, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> requestedNames,
            Func<IReadOnlyList<SubjectAlternativeName>> requestedIdentities)
        {
            Profile = profile;
            Issuer = issuer;
            SubjectKey = subjectKey;
            RequestedNames = requestedNames;
            _requestedIdentities = requestedIdentities;
        }

        private readonly Func<IReadOnlyList<SubjectAlternativeName>> _requestedIdentities;

        public CertificateProfile Profile { get; }

        public CaIdentity Issuer { get; }

        public SecureString? IssuerKeyPassword { get; private set; }

        public PublicKeyInfo SubjectKey { get; }

        /// <summary>The names the subject's request carries (a CSR's subjectAltName: DNS names and IP addresses).</summary>
        public IReadOnlyList<SubjectAlternativeName> RequestedNames { get; }

        /// <summary>
        /// Every name the subject's request carries that a client certificate can hold (DNS names, IP addresses, e-mail
        /// addresses, URIs, user principal names), read only when a profile asks.
        /// </summary>
        public IReadOnlyList<SubjectAlternativeName> RequestedIdentities => _requestedIdentities();

        /// <summary>More names, as the user typed them (-Domain), for the profile to read.</summary>
        public IReadOnlyList<string> AddedNames { get; private set; } = Array.Empty<string>();

        /// <summary>More identities of a client certificate, as the user typed them (-Email, -UserPrincipalName, -Uri).</summary>
        public IReadOnlyList<string> AddedEmailAddresses { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> AddedUserPrincipalNames { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> AddedUris { get; private set; } = Array.Empty<string>();

        /// <summary>The subject attributes asked for: given, else the request's; null ones get the issuer's (the common name, the first name).</summary>
        public string? CommonName { get; private set; }
        public string? Country { get; private set; }
        public string? State { get; private set; }
        public string? Locality { get; private set; }
        public string? Organization { get; private set; }
        public string? OrganizationalUnit { get; private set; }

        /// <summary>The key algorithm the user expects the subject key to be (-Algorithm), if said.</summary>
        public string? Algorithm { get; private set; }

        public int? Days { get; private set; }
        public int? Months { get; private set; }
        public int? Years { get; private set; }
        public DateTimeOffset? NotBefore { get; private set; }
        public DateTimeOffset? NotAfter { get; private set; }
        public bool EnableCrl { get; private set; }
        public bool IncludeChain { get; private set; }

        /// <summary>
        /// What <paramref name="request"/> asks for: its profile (CertificateProfileUnknown for a name not in the table),
        /// then its CSR, read and verified (the signature must hold), with the request's own values before the CSR's.
        /// </summary>
        public static IssuanceRequest FromCsr(NewCertificateRequest request)
        {
            var profile = CertificateProfiles.Get(request.Profile);
            return FromCsr(request, profile, CsrContent.FromTextOrFile(request.Csr, request.CsrPath));
        }

        /// <summary>What <paramref name="request"/> asks for, with its CSR already read and verified.</summary>
        public static IssuanceRequest FromCsr(NewCertificateRequest request, CsrContent csr) =>
            FromCsr(request, CertificateProfiles.Get(request.Profile), csr);

        private static IssuanceRequest FromCsr(NewCertificateRequest request, CertificateProfile profile, CsrContent csr)
        {
            return new IssuanceRequest(profile, request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request)), csr.PublicKeyInfo, csr.Names, () => csr.Identities)
            {
                IssuerKeyPassword = request.IssuerKeyPassword,
                AddedNames = List(request.Domains),
                AddedEmailAddresses = List(request.EmailAddresses),
                AddedUserPrincipalNames = List(request.UserPrincipalNames),
                AddedUris = List(request.Uris),
                CommonName = NullIfBlank(request.CommonName) ?? csr.CommonName,
                Country = request.Country ?? csr.Country,
                State = request.State ?? csr.State,
                Locality = request.Locality ?? csr.Locality,
                Organization = request.Organization ?? csr.Organization,
                OrganizationalUnit = request.OrganizationalUnit ?? csr.OrganizationalUnit,
                Algorithm = request.Algorithm,
                Days = request.Days,
                Months = request.Months,
                Years = request.Years,
                NotBefore = request.NotBefore,
                NotAfter = request.NotAfter,
                EnableCrl = request.EnableCrl,
                IncludeChain = request.IncludeChain,
            };
        }

        private static IReadOnlyList<string> List(IList<string>? values) => values == null ? Array.Empty<string>() : new List<string>(values);

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
