using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>A certificate of the store as the cmdlets show it: <see cref="IssuedCertificate"/> from its journal record.</summary>
    internal static class IssuedOutput
    {
        public static IssuedCertificate From(string issuerName, string issuerId, IssuedRecord record, Func<byte[]> der, string? chainPem,
            CertificateStatus status, string storePath) => new IssuedCertificate
        {
            Identifier = record.Identifier,
            SerialNumber = record.SerialNumber,
            Subject = record.Subject,
            CommonName = record.CommonName,
            DnsNames = record.DnsNames.ToArray(),
            IpAddresses = record.IpAddresses.ToArray(),
            EmailAddresses = record.EmailAddresses?.ToArray() ?? new string[0],
            UserPrincipalNames = record.UserPrincipalNames?.ToArray() ?? new string[0],
            Uris = record.Uris?.ToArray() ?? new string[0],
            Algorithm = record.Algorithm,
            NotBefore = record.NotBefore,
            NotAfter = record.NotAfter,
            IssuerName = issuerName,
            IssuerId = issuerId,
            Thumbprint = record.Thumbprint,
            Status = status.ToString(),
            RevokedAt = record.RevokedAt,
            RevocationReason = record.RevocationReason?.ToString(),
            CsrId = record.CsrId,
            IssuedAt = record.IssuedAt,
            Profile = record.Profile ?? CertificateProfiles.Server.Name,
            ReadDer = der,
            CertificateChain = chainPem,
            StorePath = storePath,
        };

        public static CertificateStatus StatusOf(IssuedRecord record, DateTimeOffset now) =>
            record.RevokedAt.HasValue ? CertificateStatus.Revoked
            : record.NotAfter <= now ? CertificateStatus.Expired
            : CertificateStatus.Valid;

        /// <summary>The values of the names of one kind, for a record; null when there are none, so a line without them stays as it was.</summary>
        public static List<string>? NamesOf(IEnumerable<SubjectAlternativeName> names, SubjectAlternativeNameType type)
        {
            var values = names.Where(n => n.Type == type).Select(n => n.Value).ToList();
            return values.Count == 0 ? null : values;
        }

        /// <summary>PEM of a CA chain, the issuer first.</summary>
        public static string ChainPem(IEnumerable<StoredCa> chain) => string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der)));
    }
}
