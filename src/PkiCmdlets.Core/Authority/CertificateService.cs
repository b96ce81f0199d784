using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// The certificates of the store, of every profile, as New-ServerCertificate, Get- and Revoke-IssuedCertificate use them: a thin
    /// front over issuing (<see cref="IssuanceBatch"/>), finding (<see cref="CertificateListing"/>), keeping those of
    /// outside CAs (<see cref="ExternalCertificates"/>) and revoking (<see cref="CertificateRevocation"/>). Every rule
    /// is checked before the store is touched.
    /// </summary>
    public sealed class CertificateService
    {
        /// <summary>The IssuerId of certificates from outside CAs (ACME orders), which share one journal.</summary>
        public const string ExternalIssuerId = "acme";

        private readonly CaService _cas;
        private readonly CertificateListing _listing;

        public CertificateService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CertificateService(CaService cas)
        {
            _cas = cas;
            _listing = new CertificateListing(cas);
        }

        /// <summary>Issues one certificate: a batch of one, durable in the store when it returns.</summary>
        internal IssuedCertificate Issue(NewCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            using var batch = BeginBatch();
            batch.Add(request, progress, cancellation);
            progress?.Report(Messages.ProgressWritingStore);
            return batch.Commit(cancellation)[0];
        }

        /// <summary>Starts issuing many certificates with one durable store write per issuer and commit (New-ServerCertificate's pipeline).</summary>
        public IssuanceBatch BeginBatch() => new IssuanceBatch(_cas);

        /// <summary>
        /// Certificates matching every filter given: those of the store's intermediates and, unless an issuer is
        /// named, those ordered from outside CAs. Damaged journal lines are reported, not fatal.
        /// </summary>
        public Listing<IssuedCertificate> Find(CertificateQuery query)
        {
            var problems = new List<PkiException>();
            var items = FindEach(query, problems).ToList();
            return new Listing<IssuedCertificate>(items, problems);
        }

        /// <summary>
        /// <see cref="Find"/> one certificate at a time, as Get-IssuedCertificate writes them: memory stays flat however
        /// many there are. <paramref name="problems"/> is complete once the enumeration ends.
        /// </summary>
        public IEnumerable<IssuedCertificate> FindEach(CertificateQuery query, List<PkiException> problems) => _listing.FindEach(query, problems);

        /// <summary>The certificate with this identifier, anywhere in the store.</summary>
        public IssuedCertificate Get(string identifier)
        {
            var listing = Find(new CertificateQuery { Identifiers = new[] { identifier } });
            // The first problem is about this certificate: not found, or its damaged line (see CertificateListing.FindEach).
            if (listing.Items.Count == 0) throw listing.Problems.FirstOrDefault() ?? _listing.NotFound(identifier);
            return listing.Items[0];
        }

        /// <summary>
        /// Keeps a certificate an outside CA issued (an ACME order's) with its chain, so that Get-, Export- and
        /// the rest work on it as on our own. Its key is found in the store when a CSR made here asked for it.
        /// <paramref name="replaces"/> names the certificate of the same journal it renews, if any.
        /// </summary>
        public IssuedCertificate RecordExternal(byte[] leafDer, IReadOnlyList<byte[]> chainDer, CancellationToken cancellation = default, string? replaces = null) =>
            new ExternalCertificates(_cas).Keep(leafDer, chainDer, replaces, cancellation);

        /// <summary>
        /// Records that the outside CA of a certificate ordered over ACME revoked it, in the outside CAs' journal, so that
        /// listings show it revoked. Returns the certificate as it now stands.
        /// </summary>
        internal IssuedCertificate RecordExternalRevocation(IssuedCertificate certificate, RevocationReason reason, CancellationToken cancellation)
        {
            var now = _cas.Now;
            using (_cas.Store.Lock(cancellation))
            {
                new IssuedJournal(_cas.Store, ExternalIssuerId).AppendRevoked(new[] { new IssuedRecord { Identifier = certificate.Identifier, RevokedAt = now, RevocationReason = reason } });
            }
            certificate.Status = CertificateStatus.Revoked.ToString();
            certificate.RevokedAt = now;
            certificate.RevocationReason = reason.ToString();
            return certificate;
        }

        /// <summary>Marks the certificate revoked in its issuer's journal; Publish-Crl puts it on the next CRL.</summary>
        internal IssuedCertificate Revoke(string identifier, RevocationReason reason, CancellationToken cancellation = default)
        {
            var result = RevokeMany(new[] { identifier }, reason, cancellation);
            if (result.Problems.Count > 0) throw result.Problems[0];
            return result.Items[0];
        }

        /// <summary>
        /// Revokes each certificate named, with one durable append per issuer: one reading of the store finds them
        /// all (Revoke-IssuedCertificate's pipeline). Each one that cannot be revoked is a problem of its own; the rest are.
        /// <paramref name="confirm"/>, when given, is asked for each certificate found before anything is written; one it
        /// declines is left as it is.
        /// </summary>
        public Listing<IssuedCertificate> RevokeMany(IReadOnlyList<string> identifiers, RevocationReason reason, CancellationToken cancellation = default,
            Func<IssuedCertificate, bool>? confirm = null) =>
            new CertificateRevocation(_cas, _listing).RevokeMany(identifiers, reason, cancellation, confirm);
    }
}
