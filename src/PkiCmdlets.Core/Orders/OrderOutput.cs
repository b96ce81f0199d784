using System;
using System.Linq;
using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>An order as the cmdlets show it: <see cref="CertificateOrder"/> from its record, with what each domain must prove.</summary>
    internal static class OrderOutput
    {
        public static CertificateOrder From(OrderRecord record, string storePath) => new CertificateOrder
        {
            OrderId = record.Id,
            Status = OrderStatuses.FromAcme(record.Status).ToString(),
            Domains = record.Domains.ToArray(),
            ValidationMethod = ValidationMethods.FromChallengeType(record.ChallengeType).ToString(),
            Challenges = record.Challenges.Select(Challenge).ToArray(),
            Expires = record.Expires,
            Server = record.Server,
            Profile = record.Profile,
            CertificateIdentifier = record.CertificateIdentifier,
            NotAfter = record.CertificateNotAfter,
            Error = record.Error,
            CommonName = record.CommonName,
            CsrId = record.CsrId,
            Email = record.Email,
            Username = record.Username,
            Phone = record.Phone,
            AccountUrl = record.AccountUrl,
            OrderUrl = record.OrderUrl,
            SkipCertificateCheck = record.SkipCertificateCheck,
            WebRoot = record.WebRoot,
            PreferredChain = record.PreferredChain,
            CreatedAt = record.CreatedAt,
            CheckedAt = record.CheckedAt,
            StorePath = storePath,
            ReplacesOrderId = record.ReplacesOrderId,
            ReplacedByOrderId = record.ReplacedByOrderId,
        };

        private static OrderChallenge Challenge(ChallengeRecord record)
        {
            var challenge = new OrderChallenge { Domain = record.Domain, Type = record.Type, Status = record.Status, Error = record.Error };
            if (record.Type == AcmeChallenge.Dns01 && record.TxtValue != null)
            {
                // A wildcard's TXT record sits at the base domain (RFC 8555 §8.4).
                var domain = record.Domain.StartsWith("*.", StringComparison.Ordinal) ? record.Domain.Substring(2) : record.Domain;
                challenge.RecordName = "_acme-challenge." + domain;
                challenge.RecordType = "TXT";
                challenge.RecordValue = record.TxtValue;
            }
            else if (record.Type == AcmeChallenge.Http01 && record.Token != null)
            {
                var host = record.IdentifierType == AcmeIdentifier.IpType && record.Domain.IndexOf(':') >= 0 ? "[" + record.Domain + "]" : record.Domain;
                challenge.Url = "http://" + host + "/.well-known/acme-challenge/" + record.Token;
                challenge.FileName = record.Token;
                challenge.FileContent = record.KeyAuthorization;
                challenge.FilePath = record.FilePath;
            }
            return challenge;
        }
    }
}
