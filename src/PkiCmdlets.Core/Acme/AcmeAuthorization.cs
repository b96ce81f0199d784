using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>The server's record of whether the account controls one identifier (RFC 8555 §7.1.4).</summary>
    public sealed class AcmeAuthorization
    {
        private AcmeAuthorization(Uri url, AcmeIdentifier identifier, string status, IReadOnlyList<AcmeChallenge> challenges)
        {
            Url = url;
            Identifier = identifier;
            Status = status;
            Challenges = challenges;
        }

        public Uri Url { get; }

        /// <summary>For a wildcard order, the base domain without "*." (<see cref="Wildcard"/> is then true).</summary>
        public AcmeIdentifier Identifier { get; }

        /// <summary>pending, valid, invalid, deactivated, expired or revoked (<see cref="AcmeStatus"/>).</summary>
        public string Status { get; }

        public IReadOnlyList<AcmeChallenge> Challenges { get; }
        public bool Wildcard { get; private set; }
        public DateTimeOffset? Expires { get; private set; }

        /// <summary>The owner name of the dns-01 TXT record, without the trailing dot.</summary>
        public string DnsRecordName => "_acme-challenge." + Identifier.Value;

        /// <summary>The challenge of <paramref name="type"/> (such as <see cref="AcmeChallenge.Dns01"/>), or null when the server offers none.</summary>
        public AcmeChallenge? Challenge(string type) => Challenges.FirstOrDefault(c => c.Type == type);

        internal static AcmeAuthorization FromResponse(AcmeResponse response, Jwk jwk)
        {
            var json = response.JsonObject();
            var challenges = new List<AcmeChallenge>();
            foreach (var item in json.Array("challenges", response))
            {
                challenges.Add(AcmeChallenge.FromJson(item as JObject ?? throw response.BadResponse(Messages.AcmeReasonField.Format("challenges")), response, jwk));
            }
            var identifier = AcmeIdentifier.FromJson(json["identifier"]) ?? throw response.BadResponse(Messages.AcmeReasonField.Format("identifier"));
            return new AcmeAuthorization(response.Url, identifier, json.String("status", response), challenges)
            {
                Wildcard = json["wildcard"] is JValue { Type: JTokenType.Boolean } wildcard && (bool)wildcard,
                Expires = json.OptionalDate("expires"),
            };
        }
    }
}
