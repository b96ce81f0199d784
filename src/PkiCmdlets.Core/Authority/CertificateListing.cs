using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Finds certificates in the issuers' journals, one at a time: every store intermediate's and the outside CAs', or
    /// one issuer's, with the query's filters; what a query names by identifier or serial and does not find is a problem.
    /// </summary>
    internal sealed class CertificateListing
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;

        public CertificateListing(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// The certificates matching every filter of <paramref name="query"/>, one at a time, so memory stays flat however
        /// many there are. <paramref name="problems"/> is complete once the enumeration ends.
        /// </summary>
        public IEnumerable<IssuedCertificate> FindEach(CertificateQuery query, List<PkiException> problems)
        {
            var sources = query.Issuer != null ? new List<IssuerSource> { IssuerSource.Of(_cas, _cas.Load(query.Issuer)) } : AllIssuers(problems);
            var identifiers = Normalized(query.Identifiers, i => i.Trim().ToLowerInvariant());
            // An identifier may also be a serial number, in any case, with or without colons, as openssl and .NET show it.
            var identifierSerials = query.Identifiers == null ? null
                : new HashSet<string>(query.Identifiers.Select(SerialOrNull).Where(v => v != null)!, StringComparer.OrdinalIgnoreCase);
            var serials = Normalized(query.SerialNumbers, SerialNumber.Normalize);
            var namePatterns = query.DnsNames?.Select(p => new NamePattern(p)).ToList();
            var profiles = query.Profiles == null || query.Profiles.Count == 0 ? null
                : new HashSet<string>(query.Profiles.Select(p => CertificateProfiles.Get(p).Name), StringComparer.OrdinalIgnoreCase);
            var now = _cas.Now;
            var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            // A certificate asked for whose line is damaged is named as damaged, not as missing.
            var damaged = new Dictionary<string, PkiException>(StringComparer.OrdinalIgnoreCase);
            void DamagedKey(string identifier, string serial, PkiException problem)
            {
                damaged[identifier] = problem;
                damaged[serial] = problem;
            }
            bool IdentifierWanted(string identifier, string serial) =>
                identifiers == null || identifiers.Contains(identifier) || identifierSerials!.Contains(serial);
            bool WantedKey(string identifier, string serial) =>
                IdentifierWanted(identifier, serial) && (serials == null || serials.Contains(serial));
            bool Wanted(IssuedRecord record) =>
                IdentifierWanted(record.Identifier, record.SerialNumber)
                && (serials == null || serials.Contains(record.SerialNumber))
                && (namePatterns == null || namePatterns.Any(p => record.DnsNames.Concat(record.IpAddresses).Append(record.CommonName).Any(p.IsMatch)))
                && (profiles == null || profiles.Contains(record.Profile ?? CertificateProfiles.Server.Name));
            foreach (var source in sources)
            {
                using var certificates = new IssuedJournal(_store, source.IssuerId).Read(problems, Wanted, WantedKey, DamagedKey).GetEnumerator();
                while (true)
                {
                    IssuedCertificate output;
                    try
                    {
                        if (!certificates.MoveNext()) break;
                        var certificate = certificates.Current;
                        var record = certificate.Record;
                        var status = IssuedOutput.StatusOf(record, now);
                        if (query.Status.HasValue && status != query.Status.Value) continue;
                        if (query.Current && record.ReplacedBy != null) continue;
                        if (query.ExpiresWithinDays.HasValue && (status != CertificateStatus.Valid || record.NotAfter > now.AddDays(query.ExpiresWithinDays.Value))) continue;
                        output = IssuedOutput.From(source.IssuerName ?? record.IssuerName ?? string.Empty, source.IssuerId, record,
                            certificate.Der, source.Chain(certificate), status, _store.Root);
                        found.Add(record.Identifier);
                        found.Add(record.SerialNumber);
                    }
                    catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt || e.ErrorId == ErrorIds.StoreVersionUnsupported)
                    {
                        // A damaged CA certificate spoils its chain. A damaged or newer header ends the journal's
                        // enumeration (an iterator that threw is finished), and the next issuer is read.
                        problems.Add(e);
                        continue;
                    }
                    yield return output;
                }
            }
            // A certificate asked for by identifier or serial that is not there is an error of its own, as Get-Item's would be.
            // Named as the user wrote it, not as it was compared.
            var missing = (query.Identifiers ?? Array.Empty<string>())
                .Where(v => !found.Contains(v.Trim()) && (SerialOrNull(v) is not string serial || !found.Contains(serial)))
                .Concat((query.SerialNumbers ?? Array.Empty<string>()).Where(v => !found.Contains(SerialNumber.Normalize(v))))
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var value in missing.Reverse())
            {
                var key = value.Trim();
                if (damaged.TryGetValue(key, out var problem) || SerialOrNull(key) is string serial && damaged.TryGetValue(serial, out problem))
                {
                    problems.Remove(problem);
                    problems.Insert(0, problem);
                    continue;
                }
                problems.Insert(0, NotFound(key));
            }
        }

        /// <summary>
        /// Every issuer whose journal may hold certificates: the store's intermediates, the outside CAs, and CAs whose
        /// record or certificate is damaged (reported once, in <paramref name="problems"/>), whose certificates are still
        /// listed and revocable by their Id rather than hidden as if they did not exist.
        /// </summary>
        private List<IssuerSource> AllIssuers(List<PkiException> problems)
        {
            var damagedRecords = new List<PkiException>();
            var records = _cas.Repository.LoadAll(damagedRecords);
            problems.AddRange(damagedRecords);
            var sources = new List<IssuerSource>();
            foreach (var record in records.Where(r => !r.IsRoot))
            {
                var authority = TryLoad(record, problems);
                sources.Add(authority == null ? IssuerSource.Damaged(record.Id, record.Name) : IssuerSource.Of(_cas, authority));
            }
            foreach (var id in _cas.Repository.IdsOfDamaged(damagedRecords))
            {
                sources.Add(IssuerSource.Damaged(id, id));
            }
            sources.Add(IssuerSource.External());
            return sources;
        }

        public PkiException NotFound(string value) =>
            new PkiException(ErrorIds.CertificateNotFound, PkiErrorKind.ObjectNotFound, value, Messages.CertificateNotFound.Format(value, _store.Root));

        private StoredCa? TryLoad(CaRecord record, List<PkiException> problems)
        {
            try
            {
                return _cas.Repository.Load(record);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
            {
                problems.Add(e);
                return null;
            }
        }

        /// <summary>The serial number <paramref name="value"/> would be, or null when it is not one.</summary>
        private static string? SerialOrNull(string value)
        {
            try
            {
                return SerialNumber.Normalize(value);
            }
            catch (PkiException)
            {
                return null;
            }
        }

        private static HashSet<string>? Normalized(IList<string>? values, Func<string, string> normalize) =>
            values == null || values.Count == 0 ? null : new HashSet<string>(values.Select(normalize), StringComparer.OrdinalIgnoreCase);

        /// <summary>One issuer's certificates as Find reads them: a CA of the store, or the outside CAs' certificates.</summary>
        private sealed class IssuerSource
        {
            private readonly Func<JournalCertificate, string?> _chain;

            private IssuerSource(string? issuerName, string issuerId, Func<JournalCertificate, string?> chain)
            {
                IssuerName = issuerName;
                IssuerId = issuerId;
                _chain = chain;
            }

            /// <summary>The CA's name, or null when each record names its own issuer.</summary>
            public string? IssuerName { get; }

            public string IssuerId { get; }

            public string? Chain(JournalCertificate certificate) => _chain(certificate);

            public static IssuerSource Of(CaService cas, StoredCa issuer)
            {
                string? chainPem = null;
                return new IssuerSource(issuer.Record.Name, issuer.Record.Id, _ => chainPem ??= IssuedOutput.ChainPem(cas.Repository.Chain(issuer)));
            }

            public static IssuerSource External() => new IssuerSource(null, CertificateService.ExternalIssuerId, c => c.ChainPem());

            /// <summary>A store CA whose record or certificate cannot be read: named as far as it can be, without a chain.</summary>
            public static IssuerSource Damaged(string issuerId, string name) => new IssuerSource(name, issuerId, _ => null);
        }
    }
}
