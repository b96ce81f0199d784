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
    /// Revokes certificates in their issuers' journals, with one durable append per issuer, each unless it is already
    /// revoked or is not the store's to revoke (an outside CA's).
    /// </summary>
    internal sealed class CertificateRevocation
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;
        private readonly CertificateListing _listing;

        public CertificateRevocation(CaService cas, CertificateListing listing)
        {
            _cas = cas;
            _store = cas.Store;
            _listing = listing;
        }

        /// <summary>
        /// Revokes each certificate named, with one durable append per issuer: one reading of the store finds them
        /// all (Revoke-IssuedCertificate's pipeline). Each one that cannot be revoked is a problem of its own; the rest are.
        /// <paramref name="confirm"/>, when given, is asked for each certificate found, before the store is locked, with the
        /// certificate itself so that the question can name it (common name, serial number, issuer); one it declines is left as it is.
        /// </summary>
        public Listing<IssuedCertificate> RevokeMany(IReadOnlyList<string> identifiers, RevocationReason reason, CancellationToken cancellation = default,
            Func<IssuedCertificate, bool>? confirm = null)
        {
            if (!Enum.IsDefined(typeof(RevocationReason), reason))
            {
                throw new PkiException(ErrorIds.InvalidRevocationReason, PkiErrorKind.InvalidArgument, reason,
                    Messages.InvalidRevocationReason.Format(reason, string.Join(", ", Enum.GetNames(typeof(RevocationReason)))));
            }
            var problemsFound = new List<PkiException>();
            var listing = new Listing<IssuedCertificate>(_listing.FindEach(new CertificateQuery { Identifiers = identifiers.ToArray() }, problemsFound).ToList(), problemsFound);
            var problems = listing.Problems.Where(p => p.ErrorId == ErrorIds.CertificateNotFound).ToList();
            var revoked = new List<IssuedCertificate>();
            var byIdentifier = new Dictionary<string, IssuedCertificate>(StringComparer.OrdinalIgnoreCase);
            foreach (var found in listing.Items)
            {
                if (found.IssuerId == CertificateService.ExternalIssuerId)
                {
                    problems.Add(new PkiException(ErrorIds.CertificateNotRevocable, PkiErrorKind.InvalidOperation, found.Identifier,
                        Messages.CertificateNotRevocable.Format(found.Identifier, found.IssuerName)));
                    continue;
                }
                if (confirm != null && !confirm(found)) continue;
                byIdentifier[found.Identifier] = found;
            }
            using (_store.Lock(cancellation))
            {
                foreach (var group in byIdentifier.Values.GroupBy(c => c.IssuerId))
                {
                    try
                    {
                        revoked.AddRange(RevokeInJournal(group.Key, group.ToList(), reason, problems));
                    }
                    catch (PkiException e)
                    {
                        // This issuer's journal could not be written: none of its certificates were revoked; other issuers' were.
                        problems.Add(e);
                    }
                }
            }
            return new Listing<IssuedCertificate>(revoked, problems);
        }

        /// <summary>Revokes certificates of one issuer with one append, each unless it is already revoked. The caller holds the lock.</summary>
        private List<IssuedCertificate> RevokeInJournal(string issuerId, IReadOnlyList<IssuedCertificate> certificates, RevocationReason reason, List<PkiException> problems)
        {
            // Read again under the lock: another session may have revoked one since the listing.
            var journal = new IssuedJournal(_store, issuerId);
            var wanted = new HashSet<string>(certificates.Select(c => c.Identifier), StringComparer.Ordinal);
            var records = journal.ReadAll(new List<PkiException>(), r => wanted.Contains(r.Identifier), (id, _) => wanted.Contains(id))
                .ToDictionary(c => c.Record.Identifier, c => c.Record);
            var now = _cas.Now;
            var appended = new List<IssuedRecord>();
            var revoked = new List<IssuedCertificate>();
            foreach (var found in certificates)
            {
                var record = records[found.Identifier];
                if (record.RevokedAt.HasValue)
                {
                    problems.Add(new PkiException(ErrorIds.CertificateAlreadyRevoked, PkiErrorKind.InvalidOperation, found.Identifier,
                        Messages.CertificateAlreadyRevoked.Format(record.Identifier, record.SerialNumber, ValidityPeriod.Text(record.RevokedAt.Value), record.RevocationReason)));
                    continue;
                }
                record.RevokedAt = now;
                record.RevocationReason = reason;
                appended.Add(record);
                revoked.Add(found);
            }
            if (appended.Count > 0) journal.AppendRevoked(appended);
            foreach (var found in revoked)
            {
                found.Status = CertificateStatus.Revoked.ToString();
                found.RevokedAt = now;
                found.RevocationReason = reason.ToString();
            }
            return revoked;
        }
    }
}
