using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;

namespace PkiCmdlets.Core.Acme
{
    /// <summary>
    /// An RFC 7807 problem document as ACME uses it (RFC 8555 §6.7): the server's reason for refusing a
    /// request or for an invalid challenge or order, with per-identifier subproblems.
    /// </summary>
    public sealed class AcmeProblem
    {
        public const string ErrorNamespace = "urn:ietf:params:acme:error:";
        public const string BadNonce = ErrorNamespace + "badNonce";
        public const string RateLimited = ErrorNamespace + "rateLimited";
        public const string Unauthorized = ErrorNamespace + "unauthorized";
        public const string AccountDoesNotExist = ErrorNamespace + "accountDoesNotExist";

        /// <summary>RFC 9773 §5: the certificate a new order says it replaces was replaced already.</summary>
        public const string AlreadyReplaced = ErrorNamespace + "alreadyReplaced";

        /// <summary>RFC 8555 §7.6: the certificate a revocation names was revoked already.</summary>
        public const string AlreadyRevoked = ErrorNamespace + "alreadyRevoked";

        internal AcmeProblem(string type, string? detail, int? status, AcmeIdentifier? identifier, IReadOnlyList<AcmeProblem> subproblems)
        {
            Type = type;
            Detail = detail;
            Status = status;
            Identifier = identifier;
            Subproblems = subproblems;
        }

        /// <summary>A URN such as urn:ietf:params:acme:error:rejectedIdentifier; "about:blank" when the server gave none.</summary>
        public string Type { get; }

        public string? Detail { get; }

        public int? Status { get; }

        /// <summary>Set on subproblems: the identifier this one is about.</summary>
        public AcmeIdentifier? Identifier { get; }

        public IReadOnlyList<AcmeProblem> Subproblems { get; }

        /// <summary>Detail and type, then each subproblem with its identifier.</summary>
        public override string ToString()
        {
            var text = new StringBuilder(Describe());
            foreach (var sub in Subproblems)
            {
                text.Append(' ');
                text.Append(sub.Identifier is null
                    ? sub.Describe()
                    : Messages.AcmeSubproblemDescription.Format(sub.Identifier.Type, sub.Identifier.Value, sub.Describe()));
            }
            return text.ToString();
        }

        /// <summary>Reads a problem leniently: a server's odd problem document must not hide the problem itself.</summary>
        internal static AcmeProblem? FromJson(JToken? token)
        {
            if (!(token is JObject json)) return null;
            var subproblems = json["subproblems"] is JArray array
                ? array.Select(FromJson).Where(p => p != null).Select(p => p!).ToList()
                : new List<AcmeProblem>();
            var status = json["status"] is JValue { Type: JTokenType.Integer } value ? Convert.ToInt32(value.Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
            return new AcmeProblem(json.OptionalString("type") ?? "about:blank", json.OptionalString("detail"), status,
                AcmeIdentifier.FromJson(json["identifier"]), subproblems);
        }

        /// <summary>The problem document of an error response, or null when the body is none.</summary>
        internal static AcmeProblem? FromResponse(AcmeResponse response)
        {
            try
            {
                var json = response.JsonObject();
                return json["type"] != null || json["detail"] != null ? FromJson(json) : null;
            }
            catch (Errors.PkiException)
            {
                return null;
            }
        }

        private string Describe() =>
            Messages.AcmeProblemDescription.Format(string.IsNullOrWhiteSpace(Detail) ? Messages.AcmeProblemWithoutDetail : Detail, Type);
    }
}
