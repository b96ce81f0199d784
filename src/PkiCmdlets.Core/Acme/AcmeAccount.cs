using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>An account (RFC 8555 §7.1.2). Its URL is the "kid" of every later request.</summary>
    public sealed class AcmeAccount
    {
        private AcmeAccount(Uri url, string status, IReadOnlyList<string> contact, Uri? orders, bool created)
        {
            Url = url;
            Status = status;
            Contact = contact;
            Orders = orders;
            Created = created;
        }

        public Uri Url { get; }
        public string Status { get; }

        /// <summary>Contact URLs, such as mailto:admin@example.com.</summary>
        public IReadOnlyList<string> Contact { get; }

        public Uri? Orders { get; }

        /// <summary>True when this request created the account; false when the key already had one.</summary>
        public bool Created { get; }

        internal static AcmeAccount FromResponse(AcmeResponse response)
        {
            var json = response.JsonObject();
            return new AcmeAccount(response.RequiredLocation(), json.String("status", response), json.OptionalStrings("contact"),
                json.OptionalUrl("orders", response), response.Status == 201);
        }
    }
}
