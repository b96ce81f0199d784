using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Certificates outside CAs issued (ACME orders'), kept beside the store's own in one journal, with the chain their
    /// CA sent, so that Get-, Export- and the rest work on them too.
    /// </summary>
    internal sealed class ExternalCertificates
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;

        public ExternalCertificates(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// Keeps a certificate an outside CA issued (an ACME order's) with its chain, so that Get-, Export- and
        /// the rest work on it as on our own. Its key is found in the store when a CSR made here asked for it.
        /// </summary>
        public IssuedCertificate Keep(byte[] leafDer, IReadOnlyList<byte[]> chainDer, CancellationToken cancellation = default)
        {
            IssuedRecord record;
            try
            {
                record = Read(leafDer, chainDer);
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw Unreadable(e);
            }
            using (_store.Lock(cancellation))
            {
                record.IssuedAt = _cas.Now;
                new IssuedJournal(_store, CertificateService.ExternalIssuerId).AppendIssued(new[] { new KeyValuePair<IssuedRecord, byte[]>(record, leafDer) });
            }
            return IssuedOutput.From(record.IssuerName ?? string.Empty, CertificateService.ExternalIssuerId, record, () => leafDer, string.Concat(chainDer.Select(c => Pem.Encode(Pem.CertificateLabel, c))),
                IssuedOutput.StatusOf(record, _cas.Now), _store.Root);
        }

        private static PkiException Unreadable(Exception e) =>
            new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, null, Messages.CertificateUnreadable.Format(CertificateContent.Reason(e)), e);

        /// <summary>The record of a certificate an outside CA issued, read from its DER; CertificateUnreadable, or what the parsers throw, when it does not read.</summary>
        private IssuedRecord Read(byte[] leafDer, IReadOnlyList<byte[]> chainDer)
        {
            var content = CertificateContent.FromDer(leafDer, "certificate", Unreadable);
            var certificate = new X509Certificate2(leafDer);
            var names = content.ServerNames;
            var spki = content.SubjectPublicKeyInfo;
            return new IssuedRecord
            {
                Identifier = Hex.Lower(SerialNumber.Generate()),
                SerialNumber = certificate.SerialNumber,
                Subject = certificate.Subject,
                CommonName = content.SubjectAttribute(X509Name.CN) ?? names.Select(n => n.Value).FirstOrDefault() ?? string.Empty,
                DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                Algorithm = PublicKeyInfo.FromSubjectPublicKeyInfo(spki, "certificate").Description,
                NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Thumbprint = certificate.Thumbprint,
                CsrId = new CsrService(_store).FindIdByPublicKey(spki),
                IssuerName = content.IssuerAttribute(X509Name.CN) ?? certificate.Issuer,
                Chain = chainDer.Select(Convert.ToBase64String).ToList(),
                Profile = CertificateProfiles.Server.Name, // what ACME orders are
            };
        }
    }
}
