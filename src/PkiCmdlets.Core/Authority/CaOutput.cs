using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>A CA of the store as the cmdlets show it: <see cref="CertificateAuthority"/>, from its record, certificate and chain.</summary>
    internal static class CaOutput
    {
        public static CertificateAuthority From(StoredCa authority, PkiStore store, CaRepository repository, CaKeys keys)
        {
            var record = authority.Record;
            try
            {
                var chain = repository.Chain(authority);
                var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(authority.SubjectPublicKeyInfo, StoreLayout.CaCertificate(record.Id));
                var constraints = authority.NameConstraints;
                var certificate = new X509Certificate2(authority.Der);
                var subject = authority.Certificate.Subject;
                return new CertificateAuthority
                {
                    Id = record.Id,
                    Name = record.Name,
                    Subject = certificate.Subject,
                    CommonName = CertificateContent.Attribute(subject, X509Name.CN) ?? string.Empty,
                    Organization = CertificateContent.Attribute(subject, X509Name.O),
                    OrganizationalUnit = CertificateContent.Attribute(subject, X509Name.OU),
                    Country = CertificateContent.Attribute(subject, X509Name.C),
                    State = CertificateContent.Attribute(subject, X509Name.ST),
                    Locality = CertificateContent.Attribute(subject, X509Name.L),
                    Algorithm = publicKey.Description,
                    KeySize = publicKey.Size,
                    NotBefore = authority.NotBefore,
                    NotAfter = authority.NotAfter,
                    SerialNumber = certificate.SerialNumber,
                    Thumbprint = certificate.Thumbprint,
                    IssuerName = chain.Count > 1 ? chain[1].Record.Name : record.Name,
                    IssuerSubject = certificate.Issuer,
                    IssuerId = record.IssuerId,
                    IsRoot = record.IsRoot,
                    PathLength = authority.PathLength,
                    CrlUrl = record.CrlUrl,
                    PermittedDnsDomains = constraints.PermittedDnsDomains.ToArray(),
                    ExcludedDnsDomains = constraints.ExcludedDnsDomains.ToArray(),
                    PermittedIpRanges = constraints.PermittedIpRanges.Select(r => r.ToString()).ToArray(),
                    KeyProtected = keys.IsProtected(record),
                    Unlocked = keys.IsUnlocked(record),
                    Imported = record.Imported,
                    HasKey = !record.Keyless,
                    CreatedAt = record.CreatedAt,
                    Certificate = certificate,
                    Pem = Pem.Encode(Pem.CertificateLabel, authority.Der),
                    Chain = string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der))),
                    StorePath = store.Root,
                };
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw store.Corrupt(StoreLayout.CaCertificate(record.Id), CertificateContent.Reason(e), e);
            }
        }
    }
}
