using System;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>What the renewal cmdlets show: <see cref="CertificateRenewal"/> and <see cref="RenewalResult"/> from a <see cref="Lineage"/>.</summary>
    internal static class RenewalOutput
    {
        public const string FromRenewalInfo = "RenewalInfo";
        public const string FromLifetime = "Lifetime";

        public static CertificateRenewal From(Lineage lineage, DateTimeOffset now, string storePath)
        {
            var certificate = lineage.Certificate;
            var entry = lineage.Entry;
            var window = lineage.Order != null ? entry?.RenewalInfo : null;
            var renewAt = window?.RenewAt ?? RenewalTiming.ByLifetime(certificate.NotBefore, certificate.NotAfter, entry?.RenewAfterPercent);
            return new CertificateRenewal
            {
                Identifier = certificate.Identifier,
                CommonName = certificate.CommonName,
                Names = certificate.Names,
                IssuerName = certificate.IssuerName,
                IssuerId = certificate.IssuerId,
                NotBefore = certificate.NotBefore,
                NotAfter = certificate.NotAfter,
                Enabled = lineage.Enabled,
                RenewAfterPercent = entry?.RenewAfterPercent,
                NewKey = entry?.NewKey ?? false,
                RenewAt = renewAt,
                RenewAtFrom = window != null ? FromRenewalInfo : FromLifetime,
                Due = renewAt <= now,
                OrderId = lineage.Order?.Id,
                Server = lineage.Order?.Server,
                WindowStart = window?.Start,
                WindowEnd = window?.End,
                ExplanationUrl = window?.ExplanationUrl,
                NextCheck = window?.CheckAfter,
                LastAttempt = entry?.LastAttempt,
                LastStatus = entry?.LastStatus,
                LastMessage = entry?.LastMessage,
                StorePath = storePath,
            };
        }

        public static RenewalResult Result(Lineage lineage, RenewalStatus status, string storePath) => new RenewalResult
        {
            Status = status.ToString(),
            Identifier = lineage.Certificate.Identifier,
            CommonName = lineage.Certificate.CommonName,
            Names = lineage.Certificate.Names,
            IssuerName = lineage.Certificate.IssuerName,
            NotAfter = lineage.Certificate.NotAfter,
            OrderId = lineage.Order?.Id,
            StorePath = storePath,
        };
    }
}
