namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// What proves control of one domain of an order: for Dns the TXT record to create, for Http the file to
    /// serve. Public data: the CA reads it over DNS or plain HTTP.
    /// </summary>
    public sealed class OrderChallenge
    {
        /// <summary>The domain as ordered (a wildcard keeps its "*.").</summary>
        public string Domain { get; internal set; } = string.Empty;

        /// <summary>dns-01 or http-01.</summary>
        public string Type { get; internal set; } = string.Empty;

        /// <summary>pending, processing, valid or invalid (or expired, deactivated, revoked: the authorization's status).</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>dns-01: the TXT record's owner name, _acme-challenge.&lt;domain&gt; (no trailing dot; without a wildcard's "*.").</summary>
        public string? RecordName { get; internal set; }

        /// <summary>dns-01: TXT.</summary>
        public string? RecordType { get; internal set; }

        /// <summary>dns-01: the TXT record's value.</summary>
        public string? RecordValue { get; internal set; }

        /// <summary>http-01: the URL the CA fetches, http://&lt;domain&gt;/.well-known/acme-challenge/&lt;token&gt;.</summary>
        public string? Url { get; internal set; }

        /// <summary>http-01: the file's name (the token), under /.well-known/acme-challenge/.</summary>
        public string? FileName { get; internal set; }

        /// <summary>http-01: the file's exact content (ASCII, no newline).</summary>
        public string? FileContent { get; internal set; }

        /// <summary>http-01 with -WebRoot: where the file was written.</summary>
        public string? FilePath { get; internal set; }

        /// <summary>Why validation failed: the CA's problem detail and type.</summary>
        public string? Error { get; internal set; }

        public override string ToString() => Domain + " " + Type + " " + Status;
    }
}
