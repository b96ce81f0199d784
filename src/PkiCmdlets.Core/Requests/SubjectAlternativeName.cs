namespace PkiCmdlets.Core.Requests
{
    public enum SubjectAlternativeNameType
    {
        Dns,
        IpAddress,
        Email,
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

        /// <summary>Punycode DNS name in lower case, canonical IP text, or the e-mail address.</summary>
        public string Value { get; }

        public override string ToString() => Value;
    }
}
