using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Roots and intermediates in the store: creation (seed 002's CreateRootCACertificate and
    /// CreateSubCACertificate), lookup (DescribeCACertificate), import, and the CA key's protection.
    /// </summary>
    public sealed class CaService
    {
        public static readonly TimeSpan DefaultUnlockTimeout = TimeSpan.FromSeconds(900);

        internal const string Folder = "cas";

        private readonly PkiStore _store;
        private readonly Func<KeySpec, PrivateKey> _generateKey;
        private readonly Func<DateTimeOffset> _clock;

        public CaService(PkiStore store)
            : this(store, PrivateKey.Generate, () => DateTimeOffset.UtcNow)
        {
        }

        /// <summary>Lets tests supply pre-generated keys and a clock.</summary>
        internal CaService(PkiStore store, Func<KeySpec, PrivateKey> generateKey, Func<DateTimeOffset> clock)
        {
            _store = store;
            _generateKey = generateKey;
            _clock = clock;
        }

        internal PkiStore Store => _store;

        internal DateTimeOffset Now => _clock();

        public CertificateAuthority CreateRoot(NewCaRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            var plan = Plan(request, ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultRootYears, _clock()));
            if (request.PathLength.HasValue) RequireValidPathLength(request.PathLength.Value);
            return Create(plan, progress, cancellation, key =>
                CertificateBuilder.Root(plan.Subject.ToX509Name(), key, SerialNumber.Generate(), plan.Validity, request.PathLength));
        }

        public CertificateAuthority CreateSubordinate(NewCaRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            var issuer = Load(Resolve(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request))));
            RequireCurrent(issuer);
            var pathLength = request.PathLength ?? 0;
            RequireValidPathLength(pathLength);
            if (issuer.PathLength.HasValue && pathLength >= issuer.PathLength.Value)
            {
                throw new PkiException(ErrorIds.PathLengthExceeded, PkiErrorKind.InvalidArgument, pathLength,
                    (issuer.PathLength.Value == 0 ? Messages.PathLengthZero : Messages.PathLengthExceeded).Format(issuer.Record.Name, issuer.PathLength.Value, pathLength));
            }
            var constraints = NameConstraintSet.Create(request.PermittedDnsDomains, request.ExcludedDnsDomains, request.PermittedIpRanges);
            var validity = ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultSubCaYears, _clock(),
                issuer.NotBefore, issuer.NotAfter);
            var plan = Plan(request, validity);
            plan.IssuerId = issuer.Record.Id;
            using var issuerKey = OpenKey(issuer.Record, request.IssuerKeyPassword);
            var signer = new CertificateBuilder.Issuer(issuer.Certificate.Subject, issuer.Certificate.SubjectPublicKeyInfo.GetDerEncoded(), issuerKey);
            return Create(plan, progress, cancellation, key => CertificateBuilder.Intermediate(plan.Subject.ToX509Name(), key.ExportSubjectPublicKeyInfo(),
                signer, SerialNumber.Generate(), validity, pathLength, constraints, issuer.Record.CrlUrl));
        }

        /// <summary>The CA with this Name (case-insensitive) or Id.</summary>
        public CertificateAuthority Get(CaIdentity identity) => ToOutput(Load(Resolve(identity)));

        /// <summary>CAs whose Name or Id matches any pattern (wildcards), or all; roots, intermediates or both.</summary>
        public Listing<CertificateAuthority> Find(IReadOnlyList<string>? patterns = null, bool? roots = null)
        {
            var compiled = patterns?.Select(p => (Text: p, Pattern: new NamePattern(p))).ToList();
            var matched = new HashSet<string>(StringComparer.Ordinal);
            var items = new List<CertificateAuthority>();
            var problems = new List<PkiException>();
            foreach (var record in LoadAll(problems).OrderBy(r => r.CreatedAt).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
            {
                var hits = compiled?.Where(p => p.Pattern.IsMatch(record.Name) || p.Pattern.IsMatch(record.Id)).ToList();
                if (hits != null && hits.Count == 0) continue;
                hits?.ForEach(h => matched.Add(h.Text));
                if (roots.HasValue && record.IsRoot != roots.Value) continue;
                try
                {
                    items.Add(ToOutput(Load(record)));
                }
                catch (PkiException e)
                {
                    problems.Add(e);
                }
            }
            if (compiled != null)
            {
                problems.InsertRange(0, compiled.Where(p => p.Pattern.IsLiteral && !matched.Contains(p.Text)).Select(p => NotFound(p.Text)));
            }
            return new Listing<CertificateAuthority>(items, problems);
        }

        /// <summary>Checks the password and keeps the decrypted key usable in this process until <paramref name="timeout"/> passes.</summary>
        public CertificateAuthority Unlock(CaIdentity identity, SecureString password, TimeSpan? timeout = null)
        {
            var span = timeout ?? DefaultUnlockTimeout;
            if (span <= TimeSpan.Zero)
            {
                throw new PkiException(ErrorIds.InvalidUnlockTimeout, PkiErrorKind.InvalidArgument, span.TotalSeconds,
                    Messages.InvalidUnlockTimeout.Format(span.TotalSeconds));
            }
            KeyProtection.RequireNonEmpty(password);
            var record = Resolve(identity);
            var authority = Load(record);
            if (!record.KeyProtected) return ToOutput(authority);
            var pkcs8 = DecryptKey(record, password);
            try
            {
                CaKeyCache.Put(_store.Root, record.Id, pkcs8, _clock() + span);
                return ToOutput(authority);
            }
            catch
            {
                CaKeyCache.Forget(_store.Root, record.Id); // a failed Unlock-CA leaves nothing unlocked
                throw;
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        /// <summary>Forgets an unlocked key; returns the CA.</summary>
        public CertificateAuthority Lock(CaIdentity identity)
        {
            var record = Resolve(identity);
            CaKeyCache.Forget(_store.Root, record.Id);
            return ToOutput(Load(record));
        }

        internal CaRecord Resolve(CaIdentity identity)
        {
            var value = identity.Value;
            // A damaged record elsewhere in the store must not hide the CA asked for; Get-CA reports it.
            var damaged = new List<PkiException>();
            var records = LoadAll(damaged);
            var found = records.FirstOrDefault(r => string.Equals(r.Id, value, StringComparison.OrdinalIgnoreCase))
                ?? records.FirstOrDefault(r => string.Equals(r.Name, value, StringComparison.OrdinalIgnoreCase));
            if (found != null) return found;
            // Asked for by Id (an issuer link, a pipeline object) and that record is the damaged one: say so.
            throw damaged.FirstOrDefault(e => e.Target is string file && Path.GetFileName(file).Equals(value + ".json", StringComparison.OrdinalIgnoreCase))
                ?? NotFound(value);
        }

        internal StoredCa Load(CaRecord record)
        {
            var path = CertificatePath(record.Id);
            try
            {
                var der = Pem.Decode(_store.ReadText(path), Pem.CertificateLabel);
                return new StoredCa(record, X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)), der);
            }
            catch (Exception e) when (Malformed.Is(e) || (e is PkiException p && p.ErrorId == ErrorIds.InvalidPem))
            {
                throw _store.Corrupt(path, e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonCertificateDamaged), e);
            }
        }

        /// <summary>This CA and its issuers up to the root, each once (DER).</summary>
        internal IReadOnlyList<StoredCa> Chain(StoredCa authority)
        {
            var chain = new List<StoredCa> { authority };
            var current = authority;
            while (current.Record.IssuerId != null && chain.Count < 16)
            {
                current = Load(Resolve(new CaIdentity(current.Record.IssuerId)));
                chain.Add(current);
            }
            return chain;
        }

        /// <summary>
        /// The CA's private key: unencrypted, or decrypted with <paramref name="password"/>, or the copy
        /// Unlock-CA keeps; otherwise CaLocked, naming both ways to supply the password.
        /// </summary>
        internal PrivateKey OpenKey(CaRecord record, SecureString? password)
        {
            var source = _store.FullPath(KeyPath(record.Id));
            byte[]? pkcs8 = null;
            try
            {
                if (!record.KeyProtected)
                {
                    pkcs8 = Pem.Decode(_store.ReadText(KeyPath(record.Id)), Pem.PrivateKeyLabel);
                }
                else if (password != null)
                {
                    KeyProtection.RequireNonEmpty(password);
                    pkcs8 = DecryptKey(record, password);
                }
                else
                {
                    pkcs8 = CaKeyCache.Get(_store.Root, record.Id, _clock())
                        ?? throw new PkiException(ErrorIds.CaLocked, PkiErrorKind.SecurityError, record.Name, Messages.CaLocked.Format(record.Name));
                }
                return PrivateKey.FromPkcs8(pkcs8, source);
            }
            finally
            {
                if (pkcs8 != null) Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        internal static string RecordPath(string id) => Path.Combine(Folder, id + ".json");

        internal static string CertificatePath(string id) => Path.Combine(Folder, id + ".crt.pem");

        internal static string KeyPath(string id) => Path.Combine(CsrService.KeyFolder, "ca-" + id + ".key.pem");

        internal static void RequireCurrent(StoredCa authority, DateTimeOffset now)
        {
            if (authority.NotAfter <= now || authority.NotBefore > now)
            {
                throw new PkiException(ErrorIds.IssuerExpired, PkiErrorKind.InvalidOperation, authority.Record.Name,
                    Messages.IssuerExpired.Format(authority.Record.Name, ValidityPeriod.Text(authority.NotBefore), ValidityPeriod.Text(authority.NotAfter)));
            }
        }

        internal CertificateAuthority ToOutput(StoredCa authority)
        {
            var record = authority.Record;
            try
            {
                var chain = Chain(authority);
                var publicKey = PublicKeyInfo.FromSubjectPublicKeyInfo(authority.Certificate.SubjectPublicKeyInfo.GetDerEncoded(), CertificatePath(record.Id));
                var constraints = authority.NameConstraints;
                var certificate = new X509Certificate2(authority.Der);
                return new CertificateAuthority
                {
                    Id = record.Id,
                    Name = record.Name,
                    Subject = certificate.Subject,
                    CommonName = First(authority.Certificate.Subject, X509Name.CN) ?? string.Empty,
                    Organization = First(authority.Certificate.Subject, X509Name.O),
                    OrganizationalUnit = First(authority.Certificate.Subject, X509Name.OU),
                    Country = First(authority.Certificate.Subject, X509Name.C),
                    State = First(authority.Certificate.Subject, X509Name.ST),
                    Locality = First(authority.Certificate.Subject, X509Name.L),
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
                    KeyProtected = record.KeyProtected,
                    Unlocked = record.KeyProtected && CaKeyCache.IsUnlocked(_store.Root, record.Id, _clock()),
                    Imported = record.Imported,
                    CreatedAt = record.CreatedAt,
                    Certificate = certificate,
                    Pem = Pem.Encode(Pem.CertificateLabel, authority.Der),
                    Chain = string.Concat(chain.Select(c => Pem.Encode(Pem.CertificateLabel, c.Der))),
                    StorePath = _store.Root,
                };
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.KeyUnreadable })
            {
                throw _store.Corrupt(CertificatePath(record.Id), e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonCertificateDamaged), e);
            }
        }

        internal static string? First(X509Name name, DerObjectIdentifier oid)
        {
            var values = name.GetValueList(oid);
            return values.Count > 0 ? (string)values[0]! : null;
        }

        private void RequireCurrent(StoredCa authority) => RequireCurrent(authority, _clock());

        private byte[] DecryptKey(CaRecord record, SecureString password) =>
            KeyProtection.Decrypt(Pem.Decode(_store.ReadText(KeyPath(record.Id)), Pem.EncryptedPrivateKeyLabel), password, record.Name);

        /// <summary>Everything about a new CA that can be checked before a key is generated.</summary>
        private CaPlan Plan(NewCaRequest request, ValidityPeriod validity)
        {
            var subject = SubjectName.Create(request.CommonName, request.Country, request.State, request.Locality,
                request.Organization, request.OrganizationalUnit);
            var spec = KeySpec.Parse(request.Algorithm, request.KeySize);
            var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name!.Trim();
            if (name != null) RecordNames.Validate(name);
            var crlUrl = ValidateCrlUrl(request.CrlUrl);
            if (request.KeyPassword != null && request.NoPassword)
            {
                throw new PkiException(ErrorIds.KeyPasswordConflict, PkiErrorKind.InvalidArgument, null, Messages.KeyPasswordConflict);
            }
            if (request.KeyPassword == null && !request.NoPassword)
            {
                throw new PkiException(ErrorIds.CaKeyPasswordRequired, PkiErrorKind.InvalidArgument, null, Messages.CaKeyPasswordRequired);
            }
            KeyProtection.RequireNonEmpty(request.KeyPassword);
            if (name != null) EnsureNameFree(LoadAll(null), name);
            return new CaPlan(subject, spec, name, crlUrl, validity, request.KeyPassword);
        }

        private CertificateAuthority Create(CaPlan plan, IProgress<string>? progress, CancellationToken cancellation, Func<PrivateKey, byte[]> build)
        {
            cancellation.ThrowIfCancellationRequestedAsPki();
            progress?.Report((plan.Spec.IsSlowToGenerate ? Messages.ProgressGeneratingSlowKey : Messages.ProgressGeneratingKey).Format(plan.Spec));
            using var key = _generateKey(plan.Spec);
            cancellation.ThrowIfCancellationRequestedAsPki();
            progress?.Report(Messages.ProgressSigning);
            var der = build(key);
            var keyPem = ProtectKey(key, plan.Password, progress);
            cancellation.ThrowIfCancellationRequestedAsPki();

            var record = new CaRecord
            {
                Id = Hex.Lower(SerialNumber.Generate()),
                IsRoot = plan.IssuerId == null,
                IssuerId = plan.IssuerId,
                Algorithm = plan.Spec.SeedName,
                KeyProtected = plan.Password != null,
                CrlUrl = plan.CrlUrl,
                CreatedAt = _clock(),
            };
            progress?.Report(Messages.ProgressWritingStore);
            _store.EnsureCreated(Folder, CsrService.KeyFolder);
            using (_store.Lock(cancellation))
            {
                var existing = LoadAll(null);
                if (plan.Name != null) EnsureNameFree(existing, plan.Name);
                record.Name = plan.Name ?? RecordNames.UniqueFrom(plan.Subject.CommonName, existing.Select(r => r.Name));
                WriteNew(record, der, keyPem);
            }
            return ToOutput(Load(record));
        }

        /// <summary>Key, certificate, then the record that makes the CA exist; on failure removes what it wrote.</summary>
        internal void WriteNew(CaRecord record, byte[] certificateDer, string keyPem)
        {
            _store.WriteAllOrNothing(new[]
            {
                new KeyValuePair<string, byte[]>(KeyPath(record.Id), PkiStore.Utf8(keyPem)),
                new KeyValuePair<string, byte[]>(CertificatePath(record.Id), PkiStore.Utf8(Pem.Encode(Pem.CertificateLabel, certificateDer))),
                new KeyValuePair<string, byte[]>(RecordPath(record.Id), PkiStore.Json(record)),
            });
        }

        internal static string ProtectKey(PrivateKey key, SecureString? password, IProgress<string>? progress)
        {
            var pkcs8 = key.ExportPkcs8();
            try
            {
                if (password == null) return Pem.Encode(Pem.PrivateKeyLabel, pkcs8);
                progress?.Report(Messages.ProgressEncryptingKey);
                return Pem.Encode(Pem.EncryptedPrivateKeyLabel, KeyProtection.Encrypt(pkcs8, password));
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        internal List<CaRecord> LoadAll(List<PkiException>? problems)
        {
            var records = new List<CaRecord>();
            foreach (var path in _store.ListFiles(Folder, "*.json"))
            {
                try
                {
                    records.Add(_store.ReadJson<CaRecord>(path));
                }
                catch (PkiException e) when (problems != null && e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    problems.Add(e);
                }
            }
            return records;
        }

        internal static void EnsureNameFree(IEnumerable<CaRecord> existing, string name)
        {
            var taken = existing.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
            if (taken != null)
            {
                throw new PkiException(ErrorIds.DuplicateName, PkiErrorKind.ResourceExists, name, Messages.DuplicateCaName.Format(name, taken.Id));
            }
        }

        internal static string? ValidateCrlUrl(string? url)
        {
            if (string.IsNullOrWhiteSpace(url)) return null;
            var text = url!.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != "ldap")
                || text.Any(c => c > 0x7E || c < 0x21))
            {
                throw new PkiException(ErrorIds.InvalidCrlUrl, PkiErrorKind.InvalidArgument, url, Messages.InvalidCrlUrl.Format(url));
            }
            return text;
        }

        private static void RequireValidPathLength(int pathLength)
        {
            if (pathLength < 0 || pathLength > 16)
            {
                throw new PkiException(ErrorIds.InvalidPathLength, PkiErrorKind.InvalidArgument, pathLength, Messages.InvalidPathLength.Format(pathLength));
            }
        }

        private PkiException NotFound(string value) =>
            new PkiException(ErrorIds.CaNotFound, PkiErrorKind.ObjectNotFound, value, Messages.CaNotFound.Format(value, _store.Root));

        private sealed class CaPlan
        {
            public CaPlan(SubjectName subject, KeySpec spec, string? name, string? crlUrl, ValidityPeriod validity, SecureString? password)
            {
                Subject = subject;
                Spec = spec;
                Name = name;
                CrlUrl = crlUrl;
                Validity = validity;
                Password = password;
            }

            public SubjectName Subject { get; }
            public KeySpec Spec { get; }
            public string? Name { get; }
            public string? CrlUrl { get; }
            public ValidityPeriod Validity { get; }
            public SecureString? Password { get; }
            public string? IssuerId { get; set; }
        }
    }
}
