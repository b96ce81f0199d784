using System;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Keys
{
    /// <summary>
    /// Which public keys are accepted where, one named policy per purpose, each refusing with the error that purpose
    /// has always had: a certificate we issue, a certificate ordered from a public CA over ACME, and a CA brought into
    /// the store.
    /// </summary>
    internal sealed class KeyPolicy
    {
        /// <summary>A certificate we issue: one of our families, RSA of 2048 bits or more (CsrKeyUnsupported, CsrKeyTooWeak).</summary>
        public static readonly KeyPolicy Issuing = new KeyPolicy(nameof(Issuing), (key, source) =>
            key.Family == null
                ? new PkiException(ErrorIds.CsrKeyUnsupported, PkiErrorKind.InvalidData, key.Description, Messages.CsrKeyUnsupported.Format(key.Description))
            : key.Family == KeyFamily.Rsa && key.Size < KeySpec.RsaSizes[0]
                ? new PkiException(ErrorIds.CsrKeyTooWeak, PkiErrorKind.InvalidData, key.Description, Messages.CsrKeyTooWeak.Format(key.Size, KeySpec.RsaSizes[0]))
            : null);

        /// <summary>
        /// A certificate ordered over ACME: ECDSA, or RSA of 2048 bits or more; public CAs take no SM2 and no key restricted
        /// to RSA-PSS (KeyAlgorithmNotAllowed).
        /// </summary>
        public static readonly KeyPolicy AcmeOrder = new KeyPolicy(nameof(AcmeOrder), (key, source) =>
            key.Family == KeyFamily.Ecc || (key.Family == KeyFamily.Rsa && !key.PssOnly && key.Size >= KeySpec.RsaSizes[0])
                ? null
                : new PkiException(ErrorIds.KeyAlgorithmNotAllowed, PkiErrorKind.InvalidData, key.Description, Messages.KeyAlgorithmNotAllowed.Format(key.Description)));

        /// <summary>
        /// A CA brought into the store: a key of a family and size we generate ourselves, and sign with as we do (not an RSA
        /// key restricted to PSS) (CaKeyUnsupported).
        /// </summary>
        public static readonly KeyPolicy CaImport = new KeyPolicy(nameof(CaImport), (key, source) =>
            key.Family == null || (key.Family == KeyFamily.Rsa && (key.PssOnly || !KeySpec.RsaSizes.Contains(key.Size)))
                ? new PkiException(ErrorIds.CaKeyUnsupported, PkiErrorKind.InvalidData, source, Messages.CaKeyUnsupported.Format(source, key.Description))
                : null);

        private readonly Func<PublicKeyInfo, string, PkiException?> _refusal;

        private KeyPolicy(string name, Func<PublicKeyInfo, string, PkiException?> refusal)
        {
            Name = name;
            _refusal = refusal;
        }

        public string Name { get; }

        /// <summary>Throws this policy's error unless it accepts <paramref name="key"/>, which came from <paramref name="source"/> (a file, a request).</summary>
        public void Require(PublicKeyInfo key, string source)
        {
            var refusal = _refusal(key, source);
            if (refusal != null) throw refusal;
        }

        public override string ToString() => Name;
    }
}
