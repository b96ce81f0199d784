using System;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A CA at work in the core: its <see cref="CaRecord"/> with its certificate, parsed once, and what issuing needs from
    /// it (validity, path length, name constraints, public key). Never shown to users: <see cref="CertificateAuthority"/> is.
    /// </summary>
    internal sealed class StoredCa
    {
        public StoredCa(CaRecord record, X509CertificateStructure certificate, byte[] der)
        {
            Record = record;
            Certificate = certificate;
            Der = der;
            var extensions = certificate.TbsCertificate.Extensions;
            var basic = extensions?.GetExtension(X509Extensions.BasicConstraints);
            var pathLength = basic == null ? null : BasicConstraints.GetInstance(basic.GetParsedValue()).PathLenConstraint;
            PathLength = pathLength == null ? (int?)null : pathLength.IntValue;
            var constraints = extensions?.GetExtension(X509Extensions.NameConstraints);
            NameConstraints = constraints == null ? NameConstraintSet.None : NameConstraintSet.FromExtension(constraints.GetParsedValue());
            NotBefore = new DateTimeOffset(certificate.StartDate.ToDateTime().ToUniversalTime(), TimeSpan.Zero);
            NotAfter = new DateTimeOffset(certificate.EndDate.ToDateTime().ToUniversalTime(), TimeSpan.Zero);
        }

        public CaRecord Record { get; }

        public X509CertificateStructure Certificate { get; }

        public byte[] Der { get; }

        public DateTimeOffset NotBefore { get; }

        public DateTimeOffset NotAfter { get; }

        public int? PathLength { get; }

        public NameConstraintSet NameConstraints { get; }

        /// <summary>The DER SubjectPublicKeyInfo, encoded once (issuing reads it for every certificate); not to be changed.</summary>
        public byte[] SubjectPublicKeyInfo => _subjectPublicKeyInfo ??= Certificate.SubjectPublicKeyInfo.GetDerEncoded();

        /// <summary>The CA's public key, read once.</summary>
        public PublicKeyInfo PublicKey => _publicKey ??= PublicKeyInfo.FromSubjectPublicKeyInfo(SubjectPublicKeyInfo, Record.Name);

        // Made on first use; a race only makes the same value twice.
        private byte[]? _subjectPublicKeyInfo;
        private PublicKeyInfo? _publicKey;

        /// <summary>IssuerExpired unless the CA's certificate is valid at <paramref name="now"/>: a CA outside its window signs nothing.</summary>
        public void RequireCurrent(DateTimeOffset now)
        {
            if (NotAfter <= now || NotBefore > now)
            {
                throw new PkiException(ErrorIds.IssuerExpired, PkiErrorKind.InvalidOperation, Record.Name,
                    Messages.IssuerExpired.Format(Record.Name, ValidityPeriod.Text(NotBefore), ValidityPeriod.Text(NotAfter)));
            }
        }
    }
}
