using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Issues server certificates from CSRs with an intermediate (seed 002), finds them through each
    /// issuer's index, and revokes them. Every rule is checked before the store is touched.
    /// </summary>
    public sealed class ServerCertificateService
    {
        internal const string Folder = "issued";

        /// <summary>Where certificates from outside CAs (ACME orders) are kept; also their IssuerId.</summary>
        public const string ExternalFolder = "acme";

        private readonly CaService _cas;
        private readonly PkiStore _store;

        public ServerCertificateService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal ServerCertificateService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>Issues one certificate: a batch of one, durable in the store when it returns.</summary>
        public IssuedCertificate Issue(NewServerCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
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
        /// <see cref="Find"/> one certificate at a time, as Get-ServerCertificate writes them: memory stays flat however
        /// many there are. <paramref name="problems"/> is complete once the enumeration ends.
        /// </summary>
        public IEnumerable<IssuedCertificate> FindEach(CertificateQuery query, List<PkiException> problems)
        {
            var sources = query.Issuer != null
                ? new List<IssuerSource> { IssuerSource.Of(this, _cas.Load(_cas.Resolve(query.Issuer))) }
                : _cas.LoadAll(problems).Where(r => !r.IsRoot).Select(r => TryLoad(r, problems)).Where(c => c != null)
                    .Select(c => IssuerSource.Of(this, c!)).Append(IssuerSource.External(this)).ToList();
            var identifiers = Normalized(query.Identifiers, i => i.Trim().ToLowerInvariant());
            // An identifier may also be a serial number, in any case, with or without colons, as openssl and .NET show it.
            var identifierSerials = query.Identifiers == null ? null
                : new HashSet<string>(query.Identifiers.Select(SerialOrNull).Where(v => v != null)!, StringComparer.OrdinalIgnoreCase);
            var serials = Normalized(query.SerialNumbers, SerialNumber.Normalize);
            var namePatterns = query.DnsNames?.Select(p => new NamePattern(p)).ToList();
            var now = _cas.Now;
            var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            bool IdentifierWanted(string identifier, string serial) =>
                identifiers == null || identifiers.Contains(identifier) || identifierSerials!.Contains(serial);
            bool WantedKey(string identifier, string serial) =>
                IdentifierWanted(identifier, serial) && (serials == null || serials.Contains(serial));
            bool Wanted(IssuedRecord record) =>
                IdentifierWanted(record.Identifier, record.SerialNumber)
                && (serials == null || serials.Contains(record.SerialNumber))
                && (namePatterns == null || namePatterns.Any(p => record.DnsNames.Concat(record.IpAddresses).Append(record.CommonName).Any(p.IsMatch)));
            foreach (var source in sources)
            {
                using var certificates = new IssuedJournal(_store, source.IssuerId).Read(problems, Wanted, WantedKey).GetEnumerator();
                while (true)
                {
                    IssuedCertificate output;
                    try
                    {
                        if (!certificates.MoveNext()) break;
                        var certificate = certificates.Current;
                        var record = certificate.Record;
                        var status = StatusOf(record, now);
                        if (query.Status.HasValue && status != query.Status.Value) continue;
                        if (query.ExpiresWithinDays.HasValue && (status != CertificateStatus.Valid || record.NotAfter > now.AddDays(query.ExpiresWithinDays.Value))) continue;
                        output = ToOutput(source.IssuerName ?? record.IssuerName ?? string.Empty, source.IssuerId, record,
                            certificate.DerReader(), source.Chain(certificate), status, _store.Root);
                        found.Add(record.Identifier);
                        found.Add(record.SerialNumber);
                    }
                    catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt || e.ErrorId == ErrorIds.StoreVersionUnsupported)
                    {
                        // A damaged file of an old store spoils one certificate. A damaged or newer header ends the journal's
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
                problems.Insert(0, NotFound(value.Trim()));
            }
        }

        /// <summary>
        /// Keeps a certificate an outside CA issued (an ACME order's) with its chain, so that Get-, Export- and
        /// the rest work on it as on our own. Its key is found in the store when a CSR made here asked for it.
        /// </summary>
        public IssuedCertificate RecordExternal(byte[] leafDer, IReadOnlyList<byte[]> chainDer, CancellationToken cancellation = default)
        {
            IssuedRecord record;
            try
            {
                record = ReadExternal(leafDer, chainDer);
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, null,
                    Messages.CertificateUnreadable.Format(e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonCertificateDamaged)), e);
            }
            using (_store.Lock(cancellation))
            {
                record.IssuedAt = _cas.Now;
                new IssuedJournal(_store, ExternalFolder).AppendIssued(new[] { new KeyValuePair<IssuedRecord, byte[]>(record, leafDer) });
            }
            return ToOutput(record.IssuerName ?? string.Empty, ExternalFolder, record, () => leafDer, string.Concat(chainDer.Select(c => Pem.Encode(Pem.CertificateLabel, c))),
                StatusOf(record, _cas.Now), _store.Root);
        }

        /// <summary>The record of a certificate an outside CA issued, read from its DER; throws what the parsers throw.</summary>
        private IssuedRecord ReadExternal(byte[] leafDer, IReadOnlyList<byte[]> chainDer)
        {
            var structure = X509CertificateStructure.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(leafDer));
            var certificate = new X509Certificate2(leafDer);
            var names = CsrBuilder.ServerNames(structure.TbsCertificate.Extensions);
            var spki = structure.SubjectPublicKeyInfo.GetDerEncoded();
            return new IssuedRecord
            {
                Identifier = Hex.Lower(SerialNumber.Generate()),
                SerialNumber = certificate.SerialNumber,
                Subject = certificate.Subject,
                CommonName = CaService.First(structure.Subject, X509Name.CN) ?? names.Select(n => n.Value).FirstOrDefault() ?? string.Empty,
                DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                Algorithm = PublicKeyInfo.FromSubjectPublicKeyInfo(spki, "certificate").Description,
                NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Thumbprint = certificate.Thumbprint,
                CsrId = new CsrService(_store).FindIdByPublicKey(spki),
                IssuerName = CaService.First(structure.Issuer, X509Name.CN) ?? certificate.Issuer,
                Chain = chainDer.Select(Convert.ToBase64String).ToList(),
            };
        }

        /// <summary>The certificate with this identifier, anywhere in the store.</summary>
        public IssuedCertificate Get(string identifier)
        {
            var listing = Find(new CertificateQuery { Identifiers = new[] { identifier } });
            if (listing.Items.Count == 0) throw listing.Problems.FirstOrDefault() ?? NotFound(identifier);
            return listing.Items[0];
        }

        /// <summary>Marks the certificate revoked in its issuer's journal; Publish-Crl puts it on the next CRL.</summary>
        public IssuedCertificate Revoke(string identifier, RevocationReason reason, CancellationToken cancellation = default)
        {
            var result = RevokeMany(new[] { identifier }, reason, cancellation);
            if (result.Problems.Count > 0) throw result.Problems[0];
            return result.Items[0];
        }

        /// <summary>
        /// Revokes each certificate named, with one durable append per issuer: one reading of the store finds them
        /// all (Revoke-ServerCertificate's pipeline). Each one that cannot be revoked is a problem of its own; the rest are.
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
            var listing = Find(new CertificateQuery { Identifiers = identifiers.ToArray() });
            var problems = listing.Problems.Where(p => p.ErrorId == ErrorIds.CertificateNotFound).ToList();
            var revoked = new List<IssuedCertificate>();
            var byIdentifier = new Dictionary<string, IssuedCertificate>(StringComparer.OrdinalIgnoreCase);
            foreach (var found in listing.Items)
            {
                if (found.IssuerId == ExternalFolder)
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

        /// <summary>
        /// The revoked certificates of one issuer, for its CRL. A damaged line might be a revocation, and a CRL that
        /// silently left one out would vouch for a revoked certificate, so damage is an error here, not a warning.
        /// </summary>
        internal IReadOnlyList<CrlBuilder.Entry> Revoked(string issuerId)
        {
            var problems = new List<PkiException>();
            var entries = new IssuedJournal(_store, issuerId).RevokedEntries(problems);
            if (problems.Count > 0) throw problems[0];
            return entries;
        }

        internal static string IssuerFolder(string issuerId) => Path.Combine(Folder, issuerId);

        internal static string ChainPem(IEnumerable<StoredCa> chain) => string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der)));

        /// <summary>RSA ≥ 2048 or one of our curves, the -Algorithm asked for, and the issuer's family (seed 002).</summary>
        internal static void CheckKey(PublicKeyInfo key, string? algorithm, StoredCa issuer)
        {
            if (key.Family == null)
            {
                throw new PkiException(ErrorIds.CsrKeyUnsupported, PkiErrorKind.InvalidData, key.Description, Messages.CsrKeyUnsupported.Format(key.Description));
            }
            if (key.Family == KeyFamily.Rsa && key.Size < KeySpec.RsaSizes[0])
            {
                throw new PkiException(ErrorIds.CsrKeyTooWeak, PkiErrorKind.InvalidData, key.Description, Messages.CsrKeyTooWeak.Format(key.Size, KeySpec.RsaSizes[0]));
            }
            if (!string.IsNullOrWhiteSpace(algorithm))
            {
                var spec = KeySpec.Parse(algorithm, null);
                if (spec.Family != key.Family || spec.Size != key.Size)
                {
                    throw new PkiException(ErrorIds.KeyAlgorithmMismatch, PkiErrorKind.InvalidArgument, algorithm,
                        Messages.AlgorithmDoesNotMatchCsr.Format(algorithm, key.Description));
                }
            }
            var issuerKey = PublicKeyInfo.FromSubjectPublicKeyInfo(issuer.SubjectPublicKeyInfo, issuer.Record.Name);
            if (issuerKey.Family != key.Family)
            {
                throw new PkiException(ErrorIds.KeyAlgorithmMismatch, PkiErrorKind.InvalidArgument, key.Description,
                    Messages.KeyAlgorithmMismatch.Format(key.Description, issuer.Record.Name, issuerKey.Description));
            }
        }

        /// <summary>The CSR's DNS names and IP addresses, then -Domain's (an e-mail address is not a server name).</summary>
        internal static List<SubjectAlternativeName> Names(CsrContent csr, NewServerCertificateRequest request)
        {
            var names = new List<SubjectAlternativeName>(csr.Names);
            foreach (var name in NameRules.ParseList(request.Domains))
            {
                if (name.Type == SubjectAlternativeNameType.Email)
                {
                    throw new PkiException(ErrorIds.InvalidDomain, PkiErrorKind.InvalidArgument, name.Value, Messages.InvalidDomain.Format(name.Value));
                }
                NameRules.AddDistinct(names, name);
            }
            return names;
        }

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

            public static IssuerSource Of(ServerCertificateService service, StoredCa issuer)
            {
                string? chainPem = null;
                return new IssuerSource(issuer.Record.Name, issuer.Record.Id, _ => chainPem ??= ChainPem(service._cas.Chain(issuer)));
            }

            public static IssuerSource External(ServerCertificateService service) => new IssuerSource(null, ExternalFolder, c => c.ChainPem());
        }

        private StoredCa? TryLoad(CaRecord record, List<PkiException> problems)
        {
            try
            {
                return _cas.Load(record);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
            {
                problems.Add(e);
                return null;
            }
        }

        internal static IssuedCertificate ToOutput(string issuerName, string issuerId, IssuedRecord record, Func<byte[]> der, string? chainPem,
            CertificateStatus status, string storePath) => new IssuedCertificate
        {
            Identifier = record.Identifier,
            SerialNumber = record.SerialNumber,
            Subject = record.Subject,
            CommonName = record.CommonName,
            DnsNames = record.DnsNames.ToArray(),
            IpAddresses = record.IpAddresses.ToArray(),
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
            ReadDer = der,
            CertificateChain = chainPem,
            StorePath = storePath,
        };

        private static CertificateStatus StatusOf(IssuedRecord record, DateTimeOffset now) =>
            record.RevokedAt.HasValue ? CertificateStatus.Revoked
            : record.NotAfter <= now ? CertificateStatus.Expired
            : CertificateStatus.Valid;

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

        private PkiException NotFound(string value) =>
            new PkiException(ErrorIds.CertificateNotFound, PkiErrorKind.ObjectNotFound, value, Messages.CertificateNotFound.Format(value, _store.Root));
    }
}
