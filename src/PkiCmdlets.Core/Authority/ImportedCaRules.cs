using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// What a CA certificate brought into the store must be for what it signs to verify elsewhere (RFC 5280, and what
    /// openssl verify -x509_strict demands of a CA): a CA (basicConstraints CA:TRUE, else CaImportNotCa), and, else
    /// CaImportUnusable, with that extension critical and readable, a keyUsage with keyCertSign and cRLSign (the store's
    /// CAs sign certificates and CRLs), no critical extension a verifier may not know, name constraints only of the kinds
    /// issuing checks (DNS names, IP ranges), and validity dates that can be read, notBefore before notAfter.
    /// </summary>
    internal static class ImportedCaRules
    {
        /// <summary>The extensions RFC 5280 defines for certificates and verifiers process: a CA may mark any of them critical.</summary>
        private static readonly HashSet<DerObjectIdentifier> Understood = new HashSet<DerObjectIdentifier>
        {
            X509Extensions.BasicConstraints, X509Extensions.KeyUsage, X509Extensions.ExtendedKeyUsage, X509Extensions.SubjectAlternativeName,
            X509Extensions.IssuerAlternativeName, X509Extensions.NameConstraints, X509Extensions.CertificatePolicies, X509Extensions.PolicyMappings,
            X509Extensions.PolicyConstraints, X509Extensions.InhibitAnyPolicy, X509Extensions.SubjectKeyIdentifier, X509Extensions.AuthorityKeyIdentifier,
            X509Extensions.CrlDistributionPoints, X509Extensions.FreshestCrl, X509Extensions.AuthorityInfoAccess, X509Extensions.SubjectInfoAccess,
        };

        /// <summary>CaImportNotCa or CaImportUnusable, naming <paramref name="source"/>, unless the certificate is a CA that can sign.</summary>
        public static void Require(CertificateContent content, string source)
        {
            var certificate = content.Structure;
            var extensions = certificate.TbsCertificate.Extensions;
            var basic = extensions?.GetExtension(X509Extensions.BasicConstraints);
            var constraints = basic == null ? null : Read(() => BasicConstraints.GetInstance(basic.GetParsedValue()), source, Messages.ReasonBasicConstraintsUnreadable);
            if (constraints == null || !constraints.IsCA())
            {
                throw new PkiException(ErrorIds.CaImportNotCa, PkiErrorKind.InvalidData, source, Messages.CaImportNotCa.Format(source));
            }
            if (!basic!.IsCritical) throw Unusable(source, Messages.ReasonBasicConstraintsNotCritical);
            var pathLength = constraints.PathLenConstraint;
            if (pathLength != null && (pathLength.SignValue < 0 || pathLength.BitLength > 31)) throw Unusable(source, Messages.ReasonPathLengthInvalid);

            var usage = extensions!.GetExtension(X509Extensions.KeyUsage) ?? throw Unusable(source, Messages.ReasonKeyUsageMissing);
            var usages = Read(() => KeyUsage.GetInstance(usage.GetParsedValue()), source, Messages.ReasonKeyUsageUnreadable);
            if ((usages.IntValue & KeyUsage.KeyCertSign) == 0 || (usages.IntValue & KeyUsage.CrlSign) == 0) throw Unusable(source, Messages.ReasonKeyUsageWithoutSigning);

            var unknown = extensions.ExtensionOids.FirstOrDefault(oid => extensions.GetExtension(oid).IsCritical && !Understood.Contains(oid));
            if (unknown != null) throw Unusable(source, Messages.ReasonCriticalExtensionUnknown.Format(unknown.Id));

            var nameConstraints = extensions.GetExtension(X509Extensions.NameConstraints);
            if (nameConstraints != null)
            {
                var value = Read(() => NameConstraints.GetInstance(nameConstraints.GetParsedValue()), source, Messages.ReasonNameConstraintsUnsupported);
                var checkable = Read(() => (value.PermittedSubtreesValue?.GetElements() ?? new GeneralSubtree[0]).Concat(value.ExcludedSubtreesValue?.GetElements() ?? new GeneralSubtree[0])
                    .All(t => t.Base.TagNo == GeneralName.DnsName || (t.Base.TagNo == GeneralName.IPAddress && Asn1OctetString.GetInstance(t.Base.Name).GetOctets().Length is 8 or 32)),
                    source, Messages.ReasonNameConstraintsUnsupported);
                if (!checkable) throw Unusable(source, Messages.ReasonNameConstraintsUnsupported);
                Read(() => NameConstraintSet.FromExtension(value), source, Messages.ReasonNameConstraintsUnsupported);
            }

            var (notBefore, notAfter) = Read(() => (certificate.StartDate.ToDateTime(), certificate.EndDate.ToDateTime()), source, Messages.ReasonValidityUnreadable);
            if (notBefore >= notAfter)
            {
                throw Unusable(source, Messages.ReasonValidityReversed.Format(ValidityPeriod.Text(new DateTimeOffset(notBefore.ToUniversalTime(), TimeSpan.Zero)),
                    ValidityPeriod.Text(new DateTimeOffset(notAfter.ToUniversalTime(), TimeSpan.Zero))));
            }
        }

        /// <summary>
        /// For a certificate that does not parse: whether what broke it is its validity, a notBefore or notAfter that is no
        /// UTCTime or GeneralizedTime of a real moment (month 13, hour 25, a digit missing). The parser only says the
        /// encoding is damaged; this finds the two times by their place in the DER and reads them.
        /// </summary>
        public static bool ValidityUnreadable(byte[] der)
        {
            var at = 0;
            if (!Enter(der, ref at, 0x30) || !Enter(der, ref at, 0x30)) return false;
            if (at < der.Length && der[at] == 0xA0 && !Skip(der, ref at)) return false;
            for (var field = 0; field < 3; field++)
            {
                if (!Skip(der, ref at)) return false; // serial number, signature algorithm, issuer
            }
            if (!Enter(der, ref at, 0x30)) return false;
            for (var time = 0; time < 2; time++)
            {
                var tag = at < der.Length ? der[at] : 0;
                var start = at;
                if ((tag != 0x17 && tag != 0x18) || !Skip(der, ref at)) return true;
                var text = System.Text.Encoding.ASCII.GetString(der, start + 2, at - start - 2);
                if (!DateTime.TryParseExact(text, tag == 0x17 ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out _))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Moves past a value's header into its content, if it has the tag and a short or one- or two-byte length.</summary>
        private static bool Enter(byte[] der, ref int at, byte tag)
        {
            if (at >= der.Length || der[at] != tag || !Length(der, at + 1, out var header, out _)) return false;
            at += 1 + header;
            return true;
        }

        private static bool Skip(byte[] der, ref int at)
        {
            if (at >= der.Length || !Length(der, at + 1, out var header, out var length) || at + 1 + header + length > der.Length) return false;
            at += 1 + header + length;
            return true;
        }

        private static bool Length(byte[] der, int at, out int header, out int length)
        {
            header = 0;
            length = 0;
            if (at >= der.Length) return false;
            var first = der[at];
            var count = first < 0x80 ? 0 : first & 0x7F;
            if (count > 2 || at + count >= der.Length) return false;
            length = count == 0 ? first : count == 1 ? der[at + 1] : (der[at + 1] << 8) | der[at + 2];
            header = 1 + count;
            return true;
        }

        public static PkiException Unusable(string source, string reason, Exception? inner = null) =>
            new PkiException(ErrorIds.CaImportUnusable, PkiErrorKind.InvalidData, source, Messages.CaImportUnusable.Format(source, reason), inner);

        private static T Read<T>(Func<T> read, string source, string reason)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException)
            {
                throw Unusable(source, reason, e);
            }
        }

    }
}
