using System;
using System.Linq;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>What the certificate authority says about an order, written into its record: status, expiry, each challenge.</summary>
    internal static class OrderState
    {
        /// <summary>The challenge of the order's type in one authorization; an authorization already valid may have been won another way.</summary>
        public static ChallengeRecord ChallengeFor(AcmeAuthorization authorization, ValidationMethod method)
        {
            var type = method.ChallengeType();
            var domain = (authorization.Wildcard ? "*." : string.Empty) + authorization.Identifier.Value;
            var challenge = authorization.Challenge(type);
            if (challenge == null && authorization.Status == AcmeStatus.Valid)
            {
                challenge = authorization.Challenges.FirstOrDefault(c => c.Status == AcmeStatus.Valid);
            }
            if (challenge == null)
            {
                throw new PkiException(ErrorIds.ValidationMethodNotAllowed, PkiErrorKind.InvalidArgument, domain,
                    Messages.ValidationMethodNotOffered.Format(type, domain, string.Join(", ", authorization.Challenges.Select(c => c.Type))));
            }
            var record = new ChallengeRecord
            {
                Domain = domain,
                IdentifierType = authorization.Identifier.Type,
                AuthorizationUrl = authorization.Url.AbsoluteUri,
                Type = challenge.Type,
                Url = challenge.Url.AbsoluteUri,
                Token = challenge.Token.Length == 0 ? null : challenge.Token,
                KeyAuthorization = challenge.Type == AcmeChallenge.Http01 && challenge.Token.Length > 0 ? challenge.KeyAuthorization : null,
                TxtValue = challenge.Token.Length > 0 ? challenge.DnsTxtValue : null,
            };
            Apply(record, authorization);
            return record;
        }

        public static void Apply(OrderRecord record, AcmeOrder order)
        {
            record.Status = order.Status;
            record.Expires = order.Expires ?? record.Expires;
            record.CertificateUrl = order.Certificate?.AbsoluteUri ?? record.CertificateUrl;
            record.CheckedAt = DateTimeOffset.UtcNow;
        }

        public static void Apply(ChallengeRecord record, AcmeAuthorization authorization)
        {
            var challenge = authorization.Challenge(record.Type);
            record.Status = authorization.Status == AcmeStatus.Pending && challenge != null ? challenge.Status : authorization.Status;
            var problem = challenge?.Error ?? authorization.Challenges.Select(c => c.Error).FirstOrDefault(e => e != null);
            record.Error = problem == null ? null : Messages.AcmeChallengeFailed.Format(challenge?.Type ?? record.Type, OrderProblems.Redacted(problem.ToString(), record.Token));
        }

        public static bool IsFinished(OrderRecord record) =>
            record.Status == AcmeStatus.Invalid || (record.Status == AcmeStatus.Valid && record.CertificateIdentifier != null);
    }
}
