using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>The server's directory (RFC 8555 §7.1.1): its endpoints and what it asks of clients.</summary>
    public sealed class AcmeDirectory
    {
        private AcmeDirectory(Uri url, Uri newNonce, Uri newAccount, Uri newOrder, Uri? revokeCert, Uri? keyChange, Uri? renewalInfo)
        {
            RenewalInfo = renewalInfo;
            Url = url;
            NewNonce = newNonce;
            NewAccount = newAccount;
            NewOrder = newOrder;
            RevokeCert = revokeCert;
            KeyChange = keyChange;
        }

        public Uri Url { get; }
        public Uri NewNonce { get; }
        public Uri NewAccount { get; }
        public Uri NewOrder { get; }
        public Uri? RevokeCert { get; }
        public Uri? KeyChange { get; }

        /// <summary>Where the server tells when to renew a certificate (RFC 9773), when it does.</summary>
        public Uri? RenewalInfo { get; }

        /// <summary>A URL as the server gave it; kept as text because some servers use data: URLs.</summary>
        public string? TermsOfService { get; private set; }

        public string? Website { get; private set; }

        public IReadOnlyList<string> CaaIdentities { get; private set; } = Array.Empty<string>();

        /// <summary>True when newAccount needs an external account binding.</summary>
        public bool ExternalAccountRequired { get; private set; }

        /// <summary>Certificate profiles the server offers (draft-aaron-acme-profiles): name and description.</summary>
        public IReadOnlyDictionary<string, string> Profiles { get; private set; } = new Dictionary<string, string>();

        internal static AcmeDirectory FromJson(JObject json, AcmeResponse response)
        {
            var directory = new AcmeDirectory(response.Url,
                json.Url("newNonce", response), json.Url("newAccount", response), json.Url("newOrder", response),
                json.OptionalUrl("revokeCert", response), json.OptionalUrl("keyChange", response), json.OptionalUrl("renewalInfo", response));
            if (json["meta"] is JObject meta)
            {
                directory.TermsOfService = meta.OptionalString("termsOfService");
                directory.Website = meta.OptionalString("website");
                directory.CaaIdentities = meta.OptionalStrings("caaIdentities");
                directory.ExternalAccountRequired = meta["externalAccountRequired"] is JValue { Type: JTokenType.Boolean } required && (bool)required;
                var profiles = new Dictionary<string, string>(StringComparer.Ordinal);
                if (meta["profiles"] is JObject offered)
                {
                    foreach (var profile in offered.Properties())
                    {
                        profiles[profile.Name] = profile.Value.Type == JTokenType.String ? (string)profile.Value! : string.Empty;
                    }
                }
                directory.Profiles = profiles;
            }
            return directory;
        }
    }
}
