using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What kind of certificate is made (RFC 5280; the CA/Browser Forum's Baseline Requirements where they apply): the
    /// subject keys it takes, the names it covers and refuses, its default lifetime, and the extensions that make it that
    /// kind. What every certificate a CA issues shares is not a profile's (<see cref="IssuanceRules"/>: an intermediate,
    /// current, of the subject key's family, name constraints, validity within its own; subject defaults, serial, key
    /// identifiers, CRL distribution point). A new kind is one subclass and one line in <see cref="CertificateProfiles"/>.
    /// </summary>
    internal abstract class CertificateProfile
    {
        /// <summary>How a request chooses it and how an issued certificate's record names it, e.g. "Server".</summary>
        public abstract string Name { get; }

        /// <summary>The subject keys it takes.</summary>
        public virtual KeyPolicy KeyPolicy => KeyPolicy.Issuing;

        /// <summary>How long its certificates live when the request does not say (cut to the issuer's end, not refused).</summary>
        public virtual TimeSpan DefaultLifetime => TimeSpan.FromDays(365);

        /// <summary>The names it takes from what is asked, in order and each once; throws its error for a name it refuses.</summary>
        public abstract List<SubjectAlternativeName> NamesAsked(IssuanceRequest request);

        /// <summary>
        /// The names the certificate covers, given its subject's <paramref name="commonName"/> and the names
        /// <see cref="NamesAsked"/> took; throws its error when it needs a name and has none.
        /// </summary>
        public abstract IReadOnlyList<SubjectAlternativeName> Covered(string commonName, List<SubjectAlternativeName> namesAsked);

        /// <summary>
        /// The extensions that make the certificate this kind, in the order they are written: basic constraints, key usage,
        /// extended key usage, subject alternative names. The key identifiers and CRL distribution point follow them.
        /// </summary>
        public abstract void AddExtensions(X509ExtensionsGenerator extensions, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names);

        public override string ToString() => Name;
    }
}
