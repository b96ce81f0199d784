using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// A validated distinguished name. Each part is optional except the common name; lengths are the
    /// upper bounds of RFC 5280 Appendix A, so every name we write is one a strict parser accepts.
    /// </summary>
    public sealed class SubjectName
    {
        public const int MaxCommonName = 64;
        public const int MaxOrganization = 64;
        public const int MaxOrganizationalUnit = 64;
        public const int MaxLocality = 128;
        public const int MaxState = 128;
        public const int MaxEmail = 255;

        private SubjectName(string commonName, string? country, string? state, string? locality,
            string? organization, string? organizationalUnit, string? email)
        {
            CommonName = commonName;
            Country = country;
            State = state;
            Locality = locality;
            Organization = organization;
            OrganizationalUnit = organizationalUnit;
            Email = email;
        }

        public string CommonName { get; }
        public string? Country { get; }
        public string? State { get; }
        public string? Locality { get; }
        public string? Organization { get; }
        public string? OrganizationalUnit { get; }
        public string? Email { get; }

        /// <summary>Validates the parts; blank optional parts count as absent.</summary>
        public static SubjectName Create(string? commonName, string? country = null, string? state = null,
            string? locality = null, string? organization = null, string? organizationalUnit = null, string? email = null)
        {
            var cn = (commonName ?? string.Empty).Trim();
            RequireText("CommonName", cn);
            if (cn.Length == 0)
            {
                throw new PkiException(ErrorIds.CommonNameMissing, PkiErrorKind.InvalidArgument, commonName, Messages.CommonNameMissing);
            }
            if (cn.Length > MaxCommonName)
            {
                throw new PkiException(ErrorIds.CommonNameTooLong, PkiErrorKind.InvalidArgument, commonName,
                    Messages.CommonNameTooLong.Format(cn, cn.Length));
            }

            var c = Blank(country) ? null : CountryCodes.Normalize(country!);
            var e = Blank(email) ? null : NameRules.NormalizeEmail(email!);
            return new SubjectName(cn, c,
                Limit("State", state, MaxState),
                Limit("Locality", locality, MaxLocality),
                Limit("Organization", organization, MaxOrganization),
                Limit("OrganizationalUnit", organizationalUnit, MaxOrganizationalUnit),
                Limit("Email", e, MaxEmail));
        }

        /// <summary>
        /// DER Name, most general attribute first (C, ST, L, O, OU, CN, emailAddress) as OpenSSL writes it.
        /// C is a PrintableString and emailAddress an IA5String, as RFC 5280 requires; the rest UTF8String.
        /// </summary>
        public X509Name ToX509Name()
        {
            var rdns = new List<Asn1Encodable>();
            void Add(DerObjectIdentifier oid, Asn1Encodable value) => rdns.Add(new DerSet(new DerSequence(oid, value)));
            if (Country != null) Add(X509Name.C, new DerPrintableString(Country));
            if (State != null) Add(X509Name.ST, new DerUtf8String(State));
            if (Locality != null) Add(X509Name.L, new DerUtf8String(Locality));
            if (Organization != null) Add(X509Name.O, new DerUtf8String(Organization));
            if (OrganizationalUnit != null) Add(X509Name.OU, new DerUtf8String(OrganizationalUnit));
            Add(X509Name.CN, new DerUtf8String(CommonName));
            if (Email != null) Add(PkcsObjectIdentifiers.Pkcs9AtEmailAddress, new DerIA5String(Email));
            return X509Name.GetInstance(new DerSequence(rdns.ToArray()));
        }

        /// <summary>RFC 4514-style text, most specific first, as X509Certificate2.Subject shows it.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (Email != null) parts.Add("E=" + Escape(Email));
            parts.Add("CN=" + Escape(CommonName));
            if (OrganizationalUnit != null) parts.Add("OU=" + Escape(OrganizationalUnit));
            if (Organization != null) parts.Add("O=" + Escape(Organization));
            if (Locality != null) parts.Add("L=" + Escape(Locality));
            if (State != null) parts.Add("ST=" + Escape(State));
            if (Country != null) parts.Add("C=" + Escape(Country));
            return string.Join(", ", parts);
        }

        /// <summary>
        /// The first character a subject attribute may not hold, or null: a control character (NUL, a line break, a tab),
        /// a format character (a zero-width space, a right-to-left override), a lone surrogate, a private-use or unassigned
        /// character, or a line or paragraph separator. Such characters make one name look like another, or cut it short in C.
        /// </summary>
        internal static int? ForbiddenCharacter(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsSurrogate(value[i]) && !char.IsSurrogatePair(value, i)) return value[i];
                switch (CharUnicodeInfo.GetUnicodeCategory(value, i))
                {
                    case UnicodeCategory.Control:
                    case UnicodeCategory.Format:
                    case UnicodeCategory.PrivateUse:
                    case UnicodeCategory.OtherNotAssigned:
                    case UnicodeCategory.LineSeparator:
                    case UnicodeCategory.ParagraphSeparator:
                        return char.ConvertToUtf32(value, i);
                }
                if (char.IsSurrogatePair(value, i)) i++;
            }
            return null;
        }

        /// <summary>SubjectAttributeInvalid when the <paramref name="field"/>'s <paramref name="value"/> holds a <see cref="ForbiddenCharacter"/>.</summary>
        internal static void RequireText(string field, string value)
        {
            var forbidden = ForbiddenCharacter(value);
            if (forbidden == null) return;
            var shown = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsSurrogatePair(value, i)) shown.Append(value, i++, 2);
                else if (ForbiddenCharacter(value[i].ToString()) == null) shown.Append(value[i]);
                else shown.Append("\\u").Append(((int)value[i]).ToString("X4", CultureInfo.InvariantCulture));
            }
            throw new PkiException(ErrorIds.SubjectAttributeInvalid, PkiErrorKind.InvalidArgument, shown.ToString(),
                Messages.SubjectAttributeInvalid.Format(field, shown, "U+" + forbidden.Value.ToString("X4", CultureInfo.InvariantCulture)));
        }

        private static string? Limit(string field, string? value, int max)
        {
            if (Blank(value)) return null;
            var trimmed = value!.Trim();
            RequireText(field, trimmed);
            if (trimmed.Length > max)
            {
                throw new PkiException(ErrorIds.SubjectFieldTooLong, PkiErrorKind.InvalidArgument, value,
                    Messages.SubjectFieldTooLong.Format(field, trimmed, trimmed.Length, max));
            }
            return trimmed;
        }

        private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

        private static string Escape(string value)
        {
            var text = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                var special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '='
                    || (i == 0 && (c == '#' || c == ' ')) || (i == value.Length - 1 && c == ' ');
                if (special) text.Append('\\');
                text.Append(c);
            }
            return text.ToString();
        }
    }
}
