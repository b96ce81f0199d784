using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>What an order asks a certificate for (RFC 8555 §9.7.7): a DNS name or an IP address (RFC 8738).</summary>
    public sealed class AcmeIdentifier
    {
        public const string DnsType = "dns";
        public const string IpType = "ip";

        public AcmeIdentifier(string type, string value)
        {
            Type = type;
            Value = value;
        }

        public string Type { get; }

        public string Value { get; }

        public static AcmeIdentifier Dns(string name) => new AcmeIdentifier(DnsType, name);

        public static AcmeIdentifier Ip(string address) => new AcmeIdentifier(IpType, address);

        public override string ToString() => Type + ":" + Value;

        internal JObject ToJson() => new JObject { ["type"] = Type, ["value"] = Value };

        internal static AcmeIdentifier? FromJson(JToken? token) =>
            token is JObject json && json.OptionalString("type") is { } type && json.OptionalString("value") is { } value
                ? new AcmeIdentifier(type, value)
                : null;
    }
}
