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

        public IssuedCertificate Issue(NewServerCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            progress?.Report(Messages.ProgressCheckingCsr);
            var csr = ReadCsr(request);
            var issuer = _cas.Load(_cas.Resolve(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request))));
            if (issuer.Record.IsRoot)
            {
                throw new PkiException(ErrorIds.IssuerNotIntermediate, PkiErrorKind.InvalidArgument, issuer.Record.Name,
                    Messages.IssuerNotIntermediate.Format(issuer.Record.Name));
            }
            CaService.RequireCurrent(issuer, _cas.Now);
            CheckKey(csr.PublicKeyInfo, request.Algorithm, issuer);

            var names = Names(csr, request);
            var subject = SubjectName.Create(
                NullIfBlank(request.CommonName) ?? csr.CommonName ?? names.FirstOrDefault()?.Value,
                request.Country ?? csr.Country ?? CaService.First(issuer.Certificate.Subject, X509Name.C),
                request.State ?? csr.State ?? CaService.First(issuer.Certificate.Subject, X509Name.ST),
                request.Locality ?? csr.Locality ?? CaService.First(issuer.Certificate.Subject, X509Name.L),
                request.Organization ?? csr.Organization ?? CaService.First(issuer.Certificate.Subject, X509Name.O),
                request.OrganizationalUnit ?? csr.OrganizationalUnit ?? CaService.First(issuer.Certificate.Subject, X509Name.OU));
            var fromCommonName = NameRules.FromCommonName(subject.CommonName);
            if (fromCommonName != null && fromCommonName.Type != SubjectAlternativeNameType.Email)
            {
                names.Insert(0, fromCommonName);
                names = names.GroupBy(n => n.Type + "|" + n.Value.ToLowerInvariant()).Select(g => g.First()).ToList();
            }
            if (names.Count == 0)
            {
                throw new PkiException(ErrorIds.NoServerName, PkiErrorKind.InvalidArgument, subject.CommonName, Messages.NoServerName.Format(subject.CommonName));
            }
            var chain = _cas.Chain(issuer);
            foreach (var authority in chain)
            {
                var denied = names.FirstOrDefault(n => !authority.NameConstraints.Permits(n));
                if (denied != null)
                {
                    throw new PkiException(ErrorIds.NameNotPermitted, PkiErrorKind.InvalidArgument, denied.Value,
                        Messages.NameNotPermitted.Format(denied.Value, authority.Record.Name, authority.NameConstraints));
                }
            }
            var validity = ValidityPeriod.ForServer(request.Days, request.Months, request.Years, request.NotBefore, request.NotAfter,
                _cas.Now, issuer.NotBefore, issuer.NotAfter);
            if (request.EnableCrl && issuer.Record.CrlUrl == null)
            {
                throw new PkiException(ErrorIds.CrlUrlMissing, PkiErrorKind.InvalidOperation, issuer.Record.Name, Messages.CrlUrlMissing.Format(issuer.Record.Name));
            }

            using var key = _cas.OpenKey(issuer.Record, request.IssuerKeyPassword);
            var signer = new CertificateBuilder.Issuer(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, key);
            var x509Subject = subject.ToX509Name();
            var crlUrl = request.EnableCrl ? issuer.Record.CrlUrl : null;
            var csrId = new CsrService(_store).FindIdByPublicKey(csr.PublicKeyInfo.SubjectPublicKeyInfo);
            cancellation.ThrowIfCancellationRequestedAsPki();

            progress?.Report(Messages.ProgressSigning);
            var serial = SerialNumber.Generate();
            var der = CertificateBuilder.Server(x509Subject, csr.PublicKeyInfo, names, signer, serial, validity, crlUrl);
            var record = new IssuedRecord
            {
                Identifier = Hex.Lower(SerialNumber.Generate()),
                CommonName = subject.CommonName,
                DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                Algorithm = csr.PublicKeyInfo.Description,
                NotBefore = validity.NotBefore,
                NotAfter = validity.NotAfter,
                CsrId = csrId,
            };

            progress?.Report(Messages.ProgressWritingStore);
            _store.EnsureCreated(Folder, IssuerFolder(issuer.Record.Id));
            using (_store.Lock(cancellation))
            {
                var index = LoadIndex(issuer.Record.Id);
                // 127 random bits make a repeat all but impossible; the check under the lock makes it impossible.
                while (index.Certificates.Any(c => c.SerialNumber == SerialNumber.ToHex(serial)))
                {
                    serial = SerialNumber.Generate();
                    der = CertificateBuilder.Server(x509Subject, csr.PublicKeyInfo, names, signer, serial, validity, crlUrl);
                }
                record.SerialNumber = SerialNumber.ToHex(serial);
                var issued = new X509Certificate2(der);
                record.Thumbprint = issued.Thumbprint;
                record.Subject = issued.Subject;
                record.IssuedAt = _cas.Now;
                index.Certificates.Add(record);
                _store.WriteAllOrNothing(new[]
                {
                    new KeyValuePair<string, byte[]>(CertificatePath(issuer.Record.Id, record.Identifier), PkiStore.Utf8(Pem.Encode(Pem.CertificateLabel, der))),
                    new KeyValuePair<string, byte[]>(IndexPath(issuer.Record.Id), PkiStore.Json(index)),
                });
            }
            return ToOutput(issuer.Record.Name, issuer.Record.Id, record, der, request.IncludeChain ? ChainPem(chain) : null);
        }

        /// <summary>
        /// Certificates matching every filter given: those of the store's intermediates and, unless an issuer is
        /// named, those ordered from outside CAs. Damaged indexes are reported, not fatal.
        /// </summary>
        public Listing<IssuedCertificate> Find(CertificateQuery query)
        {
            var problems = new List<PkiException>();
            var items = new List<IssuedCertificate>();
            var sources = query.Issuer != null
                ? new List<IndexSource> { IndexSource.Of(this, _cas.Load(_cas.Resolve(query.Issuer))) }
                : _cas.LoadAll(problems).Where(r => !r.IsRoot).Select(r => TryLoad(r, problems)).Where(c => c != null)
                    .Select(c => IndexSource.Of(this, c!)).Append(IndexSource.External(this)).ToList();
            var identifiers = Normalized(query.Identifiers, i => i.Trim().ToLowerInvariant());
            var serials = Normalized(query.SerialNumbers, SerialNumber.Normalize);
            var namePatterns = query.DnsNames?.Select(p => new NamePattern(p)).ToList();
            var now = _cas.Now;
            var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var source in sources)
            {
                IssuedIndex index;
                try
                {
                    index = LoadIndex(source.Folder);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    problems.Add(e);
                    continue;
                }
                foreach (var record in index.Certificates)
                {
                    if (identifiers != null && !identifiers.Contains(record.Identifier)) continue;
                    if (serials != null && !serials.Contains(record.SerialNumber)) continue;
                    if (namePatterns != null && !namePatterns.Any(p => record.DnsNames.Concat(record.IpAddresses).Append(record.CommonName).Any(p.IsMatch))) continue;
                    var status = StatusOf(record, now);
                    if (query.Status.HasValue && status != query.Status.Value) continue;
                    if (query.ExpiresWithinDays.HasValue && (status != CertificateStatus.Valid || record.NotAfter > now.AddDays(query.ExpiresWithinDays.Value))) continue;
                    try
                    {
                        items.Add(ToOutput(source.IssuerName ?? record.IssuerName ?? string.Empty, source.IssuerId, record,
                            ReadCertificate(source.Folder, record.Identifier), source.Chain(record)));
                        found.Add(record.Identifier);
                        found.Add(record.SerialNumber);
                    }
                    catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                    {
                        problems.Add(e);
                    }
                }
            }
            // A certificate asked for by identifier or serial that is not there is an error of its own, as Get-Item's would be.
            foreach (var missing in (identifiers ?? new HashSet<string>()).Concat(serials ?? new HashSet<string>()).Where(v => !found.Contains(v)))
            {
                problems.Insert(0, NotFound(missing));
            }
            return new Listing<IssuedCertificate>(items, problems);
        }

        /// <summary>
        /// Keeps a certificate an outside CA issued (an ACME order's) with its chain, so that Get-, Export- and
        /// the rest work on it as on our own. Its key is found in the store when a CSR made here asked for it.
        /// </summary>
        public IssuedCertificate RecordExternal(byte[] leafDer, IReadOnlyList<byte[]> chainDer, CancellationToken cancellation = default)
        {
            X509Certificate2 certificate;
            X509CertificateStructure structure;
            try
            {
                structure = X509CertificateStructure.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(leafDer));
                certificate = new X509Certificate2(leafDer);
            }
            catch (Exception e) when (e is ArgumentException || e is IOException || e is InvalidCastException || e is CryptographicException)
            {
                throw new PkiException(ErrorIds.CertificateUnreadable, PkiErrorKind.InvalidData, null, Messages.CertificateUnreadable.Format(e.Message), e);
            }
            var names = CsrBuilder.ServerNames(structure.TbsCertificate.Extensions);
            var spki = structure.SubjectPublicKeyInfo.GetDerEncoded();
            var record = new IssuedRecord
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
            };
            _store.EnsureCreated(Folder, IssuerFolder(ExternalFolder));
            using (_store.Lock(cancellation))
            {
                var index = LoadIndex(ExternalFolder);
                record.IssuedAt = _cas.Now;
                index.Certificates.Add(record);
                _store.WriteAllOrNothing(new[]
                {
                    new KeyValuePair<string, byte[]>(CertificatePath(ExternalFolder, record.Identifier), PkiStore.Utf8(Pem.Encode(Pem.CertificateLabel, leafDer))),
                    new KeyValuePair<string, byte[]>(ChainPath(record.Identifier), PkiStore.Utf8(string.Concat(chainDer.Select(c => Pem.Encode(Pem.CertificateLabel, c))))),
                    new KeyValuePair<string, byte[]>(IndexPath(ExternalFolder), PkiStore.Json(index)),
                });
            }
            return ToOutput(record.IssuerName, ExternalFolder, record, leafDer, _store.ReadText(ChainPath(record.Identifier)));
        }

        /// <summary>The certificate with this identifier, anywhere in the store.</summary>
        public IssuedCertificate Get(string identifier)
        {
            var listing = Find(new CertificateQuery { Identifiers = new[] { identifier } });
            if (listing.Items.Count == 0) throw listing.Problems.FirstOrDefault() ?? NotFound(identifier);
            return listing.Items[0];
        }

        /// <summary>Marks the certificate revoked in its issuer's index; Publish-Crl puts it on the next CRL.</summary>
        public IssuedCertificate Revoke(string identifier, RevocationReason reason, CancellationToken cancellation = default)
        {
            if (!Enum.IsDefined(typeof(RevocationReason), reason))
            {
                throw new PkiException(ErrorIds.InvalidRevocationReason, PkiErrorKind.InvalidArgument, reason,
                    Messages.InvalidRevocationReason.Format(reason, string.Join(", ", Enum.GetNames(typeof(RevocationReason)))));
            }
            var found = Get(identifier);
            if (found.IssuerId == ExternalFolder)
            {
                throw new PkiException(ErrorIds.CertificateNotRevocable, PkiErrorKind.InvalidOperation, identifier,
                    Messages.CertificateNotRevocable.Format(identifier, found.IssuerName));
            }
            var issuer = _cas.Load(_cas.Resolve(new CaIdentity(found.IssuerId)));
            using (_store.Lock(cancellation))
            {
                var index = LoadIndex(issuer.Record.Id);
                var record = index.Certificates.First(c => c.Identifier == found.Identifier);
                if (record.RevokedAt.HasValue)
                {
                    throw new PkiException(ErrorIds.CertificateAlreadyRevoked, PkiErrorKind.InvalidOperation, identifier,
                        Messages.CertificateAlreadyRevoked.Format(record.Identifier, record.SerialNumber, ValidityPeriod.Text(record.RevokedAt.Value), record.RevocationReason));
                }
                record.RevokedAt = _cas.Now;
                record.RevocationReason = reason;
                _store.WriteJson(IndexPath(issuer.Record.Id), index);
                found.Status = CertificateStatus.Revoked;
                found.RevokedAt = record.RevokedAt;
                found.RevocationReason = reason;
                return found;
            }
        }

        /// <summary>The revoked entries of one issuer's index, for its CRL.</summary>
        internal IReadOnlyList<IssuedRecord> Revoked(string issuerId) =>
            LoadIndex(issuerId).Certificates.Where(c => c.RevokedAt.HasValue).ToList();

        internal static string IssuerFolder(string issuerId) => Path.Combine(Folder, issuerId);

        internal static string IndexPath(string issuerId) => Path.Combine(Folder, issuerId, "index.json");

        internal static string CertificatePath(string issuerId, string identifier) => Path.Combine(Folder, issuerId, identifier + ".crt.pem");

        internal byte[] ReadCertificate(string issuerId, string identifier)
        {
            var path = CertificatePath(issuerId, identifier);
            try
            {
                return Pem.Decode(_store.ReadText(path), Pem.CertificateLabel);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem)
            {
                throw _store.Corrupt(path, e.Message, e);
            }
        }

        internal static string ChainPath(string identifier) => Path.Combine(Folder, ExternalFolder, identifier + ".chain.pem");

        internal static string ChainPem(IEnumerable<StoredCa> chain) => string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der)));

        private static CsrContent ReadCsr(NewServerCertificateRequest request) => CsrContent.FromTextOrFile(request.Csr, request.CsrPath);

        /// <summary>RSA ≥ 2048 or one of our curves, the -Algorithm asked for, and the issuer's family (seed 002).</summary>
        private static void CheckKey(PublicKeyInfo key, string? algorithm, StoredCa issuer)
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
        private static List<SubjectAlternativeName> Names(CsrContent csr, NewServerCertificateRequest request)
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

        private IssuedIndex LoadIndex(string issuerId) =>
            _store.Exists(IndexPath(issuerId)) ? _store.ReadJson<IssuedIndex>(IndexPath(issuerId)) : new IssuedIndex();

        /// <summary>One issuer's index as Find reads it: a CA of the store, or the outside CAs' certificates.</summary>
        private sealed class IndexSource
        {
            private readonly Func<IssuedRecord, string?> _chain;

            private IndexSource(string folder, string? issuerName, string issuerId, Func<IssuedRecord, string?> chain)
            {
                Folder = folder;
                IssuerName = issuerName;
                IssuerId = issuerId;
                _chain = chain;
            }

            public string Folder { get; }

            /// <summary>The CA's name, or null when each record names its own issuer.</summary>
            public string? IssuerName { get; }

            public string IssuerId { get; }

            public string? Chain(IssuedRecord record) => _chain(record);

            public static IndexSource Of(ServerCertificateService service, StoredCa issuer)
            {
                string? chainPem = null;
                return new IndexSource(issuer.Record.Id, issuer.Record.Name, issuer.Record.Id, _ => chainPem ??= ChainPem(service._cas.Chain(issuer)));
            }

            public static IndexSource External(ServerCertificateService service) =>
                new IndexSource(ExternalFolder, null, ExternalFolder, r => service._store.Exists(ChainPath(r.Identifier)) ? service._store.ReadText(ChainPath(r.Identifier)) : null);
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

        private IssuedCertificate ToOutput(string issuerName, string issuerId, IssuedRecord record, byte[] der, string? chainPem) => new IssuedCertificate
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
            Status = StatusOf(record, _cas.Now),
            RevokedAt = record.RevokedAt,
            RevocationReason = record.RevocationReason,
            CsrId = record.CsrId,
            IssuedAt = record.IssuedAt,
            Certificate = new X509Certificate2(der),
            X509Certificate = Pem.Encode(Pem.CertificateLabel, der),
            CertificateChain = chainPem,
            StorePath = _store.Root,
        };

        private static CertificateStatus StatusOf(IssuedRecord record, DateTimeOffset now) =>
            record.RevokedAt.HasValue ? CertificateStatus.Revoked
            : record.NotAfter <= now ? CertificateStatus.Expired
            : CertificateStatus.Valid;

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        private static HashSet<string>? Normalized(IList<string>? values, Func<string, string> normalize) =>
            values == null || values.Count == 0 ? null : new HashSet<string>(values.Select(normalize), StringComparer.OrdinalIgnoreCase);

        private PkiException NotFound(string value) =>
            new PkiException(ErrorIds.CertificateNotFound, PkiErrorKind.ObjectNotFound, value, Messages.CertificateNotFound.Format(value, _store.Root));
    }
}
