namespace PkiCmdlets.Core.Requests
{
    public enum SubjectAlternativeNameType
    {
        Dns,
        IpAddress,
        Email,
        /// <summary>A uniformResourceIdentifier, such as a SPIFFE ID (spiffe://example.org/ns/prod/sa/api).</summary>
        Uri,
        /// <summary>A Microsoft user principal name (otherName 1.3.6.1.4.1.311.20.2.3), as Windows smart-card and VPN logons read it.</summary>
        UserPrincipalName,
    }

    /// <summary>One validated, normalized entry of a subjectAltName extension.</summary>
    public sealed class SubjectAlternativeName
    {
        public SubjectAlternativeName(SubjectAlternativeNameType type, string value)
        {
            Type = type;
            Value = value;
        }

        public SubjectAlternativeNameType Type { get; }

        /// <summary>Punycode DNS name in lower case, canonical IP text, the e-mail address, the URI, or the user principal name.</summary>
        public string Value { get; }

        public override string ToString() => Value;
    }
}
