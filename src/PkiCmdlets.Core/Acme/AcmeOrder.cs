using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>An order (RFC 8555 §7.1.3): identifiers, their authorizations, and in the end a certificate.</summary>
    public sealed class AcmeOrder
    {
        private AcmeOrder(Uri url, string status, IReadOnlyList<AcmeIdentifier> identifiers, IReadOnlyList<Uri> authorizations, Uri finalize)
        {
            Url = url;
            Status = status;
            Identifiers = identifiers;
            Authorizations = authorizations;
            Finalize = finalize;
        }

        public Uri Url { get; }

        /// <summary>pending, ready, processing, valid or invalid (<see cref="AcmeStatus"/>).</summary>
        public string Status { get; }

        public IReadOnlyList<AcmeIdentifier> Identifiers { get; }
        public IReadOnlyList<Uri> Authorizations { get; }
        public Uri Finalize { get; }

        /// <summary>Where to download the certificate once the order is valid.</summary>
        public Uri? Certificate { get; private set; }

        public DateTimeOffset? Expires { get; private set; }
        public string? Profile { get; private set; }

        /// <summary>Why the order is invalid, when the server says.</summary>
        public AcmeProblem? Error { get; private set; }

        /// <summary>Reads an order; <paramref name="url"/> is its own URL, which only newOrder's Location header tells.</summary>
        internal static AcmeOrder FromResponse(AcmeResponse response, Uri url)
        {
            var json = response.JsonObject();
            var identifiers = new List<AcmeIdentifier>();
            foreach (var item in json.Array("identifiers", response))
            {
                identifiers.Add(AcmeIdentifier.FromJson(item) ?? throw response.BadResponse(Messages.AcmeReasonField.Format("identifiers")));
            }
            return new AcmeOrder(url, json.String("status", response), identifiers,
                json.Urls("authorizations", response), json.Url("finalize", response))
            {
                Certificate = json.OptionalUrl("certificate", response),
                Expires = json.OptionalDate("expires"),
                Profile = json.OptionalString("profile"),
                Error = AcmeProblem.FromJson(json["error"]),
            };
        }
    }
}
