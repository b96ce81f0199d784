using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// Creates, reads, edits and removes CSRs in a store (seeds 000, 001, 004). Everything is validated
    /// before the store is touched; a failed call leaves the store as it was.
    /// </summary>
    public sealed class CsrService
    {
        public const int MaxRemarkLength = 1024;
        public const int MaxTagKeyLength = 128;
        public const int MaxTagValueLength = 256;

        private readonly PkiStore _store;
        private readonly Func<KeySpec, PrivateKey> _generateKey;

        public CsrService(PkiStore store)
            : this(store, PrivateKey.Generate)
        {
        }

        /// <summary>Lets tests supply pre-generated keys where key generation itself is not under test.</summary>
        internal CsrService(PkiStore store, Func<KeySpec, PrivateKey> generateKey)
        {
            _store = store;
            _generateKey = generateKey;
        }

        public CertificateSigningRequest Create(NewCsrRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            var subject = SubjectName.Create(request.CommonName, request.Country, request.State, request.Locality,
                request.Organization, request.OrganizationalUnit, request.Email);
            NameRules.CheckCommonName(request.CommonName);
            var requestedNames = NameRules.ParseList(request.SubjectAlternativeNames);
            if (!CertificateNames.NamesAServer(subject.CommonName, requestedNames))
            {
                request.Warn?.Invoke(Messages.CsrNamesNoServer.Format(subject.CommonName));
            }
            var spec = KeySpec.Parse(request.Algorithm, request.KeySize);
            var explicitName = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name; // a blank CSV cell is no name
            if (explicitName != null) RecordNames.Validate(explicitName);
            var remark = ValidateRemark(request.Remark);
            var tags = ValidateTags(request.Tags);
            KeyProtection.RequireNonEmpty(request.KeyPassword);

            var record = NewRecord(request.Draft ? CsrStatus.Draft : CsrStatus.Generated, subject, requestedNames, spec, remark, tags);
            record.CreatedAt = DateTimeOffset.UtcNow;

            // Fail fast on a taken name before paying for key generation; checked again under the lock.
            if (explicitName != null) EnsureNameFree(LoadAll(out _), explicitName, exceptId: null);

            var material = request.Draft ? null : Generate(record, subject, spec, request.KeyPassword, progress, cancellation);

            progress?.Report(Messages.ProgressWritingStore);
            _store.EnsureCreated(StoreLayout.CsrFolder, StoreLayout.KeyFolder);
            using (_store.Lock(cancellation))
            {
                var existing = LoadAll(out _);
                if (explicitName != null)
                {
                    EnsureNameFree(existing, explicitName, exceptId: null);
                    record.Name = explicitName;
                }
                else
                {
                    record.Name = RecordNames.UniqueFrom(subject.CommonName, existing.Select(r => r.Name));
                }
                record.Id = Records.NextId();
                Records.Write(record.Id, record, Files(record.Id, material), isNew: true);
            }
            return ToOutput(record);
        }

        public CertificateSigningRequest Get(int id) => ToOutput(Records.Load(id));

        /// <summary>The CSR with exactly this name (case-insensitive), or CsrNotFound.</summary>
        internal CertificateSigningRequest GetByName(string name) => ToOutput(RecordByName(name));

        /// <summary>All CSRs, or those whose name matches the wildcard pattern <paramref name="name"/>.</summary>
        public Listing<CertificateSigningRequest> Find(string? name = null) => Find(name == null ? null : new[] { name });

        /// <summary>
        /// All CSRs, or those whose name matches any of the wildcard patterns, each once, ordered by id.
        /// Damaged records are reported as problems, not fatal; so is each name without wildcards that
        /// matches nothing.
        /// </summary>
        public Listing<CertificateSigningRequest> Find(IReadOnlyList<string>? names)
        {
            var problems = new List<PkiException>();
            var items = new List<CertificateSigningRequest>();
            var matched = RecordNames.Match(LoadAll(out var loadProblems), names, r => new[] { r.Name }, out var unmatched);
            foreach (var record in matched)
            {
                try
                {
                    items.Add(ToOutput(record));
                }
                catch (PkiException e)
                {
                    problems.Add(e);
                }
            }
            problems.InsertRange(0, unmatched.Select(NotFoundByName));
            problems.AddRange(loadProblems);
            return new Listing<CertificateSigningRequest>(items, problems);
        }

        public CertificateSigningRequest Update(SetCsrRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            var current = request.Name != null ? RecordByName(request.Name) : Records.Load(request.Id);
            EnsureDraft(current);

            if (request.CommonName != null) NameRules.CheckCommonName(request.CommonName);
            var subject = SubjectName.Create(
                request.CommonName ?? current.CommonName,
                request.Country ?? current.Country,
                request.State ?? current.State,
                request.Locality ?? current.Locality,
                request.Organization ?? current.Organization,
                request.OrganizationalUnit ?? current.OrganizationalUnit,
                request.Email ?? current.Email);
            var requestedNames = request.SubjectAlternativeNames == null
                ? NameRules.ParseList(current.SubjectAlternativeNames)
                : NameRules.ParseList(request.SubjectAlternativeNames);
            var spec = request.Algorithm == null && request.KeySize == null
                ? KeySpec.FromAlgorithmName(current.Algorithm)
                : KeySpec.Parse(request.Algorithm ?? FamilyName(KeySpec.FromAlgorithmName(current.Algorithm)), request.KeySize);
            if (request.NewName != null) RecordNames.Validate(request.NewName);
            var remark = request.Remark == null ? current.Remark : ValidateRemark(request.Remark);
            var tags = request.Tags == null ? current.Tags : ValidateTags(request.Tags);
            KeyProtection.RequireNonEmpty(request.KeyPassword);
            if (request.KeyPassword != null && !request.Generate)
            {
                throw new PkiException(ErrorIds.KeyPasswordWithoutGenerate, PkiErrorKind.InvalidArgument, null, Messages.KeyPasswordWithoutGenerate);
            }

            var updated = NewRecord(request.Generate ? CsrStatus.Generated : CsrStatus.Draft, subject, requestedNames, spec, remark, tags);
            updated.Id = current.Id;
            updated.Name = request.NewName ?? current.Name;
            updated.CreatedAt = current.CreatedAt;

            var material = request.Generate ? Generate(updated, subject, spec, request.KeyPassword, progress, cancellation) : null;

            progress?.Report(Messages.ProgressWritingStore);
            using (_store.Lock(cancellation))
            {
                // Another session may have generated or renamed it since we read it.
                EnsureDraft(Records.Load(current.Id));
                if (request.NewName != null) EnsureNameFree(LoadAll(out _), request.NewName, exceptId: updated.Id);
                Records.Write(updated.Id, updated, Files(updated.Id, material), isNew: false);
            }
            return ToOutput(updated);
        }

        /// <summary>
        /// Deletes the record, its CSR and its private key; returns what was removed, or null when the
        /// record was too damaged to read (removing it is how a user clears a damaged record).
        /// </summary>
        public CertificateSigningRequest? Remove(int id, CancellationToken cancellation = default) =>
            Records.Remove(id, ToOutput, new[] { StoreLayout.CsrRequest(id), StoreLayout.CsrKey(id) }, filesBestEffort: false, recordStays: null, cancellation);

        /// <summary>The id of the CSR whose key has this SubjectPublicKeyInfo, or null when its key is not in the store.</summary>
        internal int? FindIdByPublicKey(byte[] subjectPublicKeyInfo) => PublicKeyLookup()(subjectPublicKeyInfo);

        /// <summary>
        /// Finds CSR ids by SubjectPublicKeyInfo from one reading of the store's records, so that issuing many
        /// certificates reads the CSRs once, not once per certificate.
        /// </summary>
        internal Func<byte[], int?> PublicKeyLookup()
        {
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var record in LoadAll(out _).Where(r => r.Status == CsrStatus.Generated && r.PublicKeySha256 != null))
            {
                if (!ids.ContainsKey(record.PublicKeySha256!)) ids.Add(record.PublicKeySha256!, record.Id);
            }
            return subjectPublicKeyInfo =>
            {
                using var sha256 = SHA256.Create();
                return ids.TryGetValue(Hex.Lower(sha256.ComputeHash(subjectPublicKeyInfo)), out var id) ? id : (int?)null;
            };
        }

        /// <summary>The CSR's private key as the store holds it (PEM, encrypted when <paramref name="isProtected"/>).</summary>
        internal string ReadKeyPem(int id, out bool isProtected)
        {
            var record = Records.Load(id);
            isProtected = record.KeyProtected;
            return _store.ReadKey(StoreLayout.CsrKey(id));
        }

        private NumberedRecords<CsrRecord> Records => new NumberedRecords<CsrRecord>(_store, StoreLayout.CsrFolder,
            id => new PkiException(ErrorIds.CsrNotFound, PkiErrorKind.ObjectNotFound, id, Messages.CsrNotFoundById.Format(id, _store.Root)),
            (id, record) => record.Id == id ? null : Messages.ReasonRecordIdMismatch.Format(record.Id));

        private GeneratedMaterial Generate(CsrRecord record, SubjectName subject, KeySpec spec, System.Security.SecureString? password,
            IProgress<string>? progress, CancellationToken cancellation)
        {
            using var key = spec.Generate(_generateKey, progress, cancellation);
            cancellation.ThrowIfCancellationRequestedAsPki();

            progress?.Report(Messages.ProgressSigning);
            var sans = CertificateNames.Covered(subject.CommonName, NameRules.ParseList(record.SubjectAlternativeNames));
            var csrDer = CsrBuilder.Build(subject, sans, key);
            var spki = key.ExportSubjectPublicKeyInfo();
            var keyPem = Pkcs8Pem.Encode(key, password, progress);
            cancellation.ThrowIfCancellationRequestedAsPki();

            using (var md5 = MD5.Create())
            using (var sha256 = SHA256.Create())
            {
                record.PublicKeyMd5 = Hex.Lower(md5.ComputeHash(spki));
                record.PublicKeySha256 = Hex.Lower(sha256.ComputeHash(spki));
            }
            record.KeyProtected = password != null;
            record.GeneratedAt = DateTimeOffset.UtcNow;
            return new GeneratedMaterial(Pem.Encode(Pem.CertificateRequestLabel, csrDer), keyPem);
        }

        /// <summary>The key and the CSR a record stands for, written before it; none for a draft.</summary>
        private static IEnumerable<KeyValuePair<string, byte[]>> Files(int id, GeneratedMaterial? material) => material == null
            ? Array.Empty<KeyValuePair<string, byte[]>>()
            : new[]
            {
                new KeyValuePair<string, byte[]>(StoreLayout.CsrKey(id), PkiStore.Utf8(material.KeyPem)),
                new KeyValuePair<string, byte[]>(StoreLayout.CsrRequest(id), PkiStore.Utf8(material.CsrPem)),
            };

        private CsrRecord RecordByName(string name) =>
            LoadAll(out _).FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) ?? throw NotFoundByName(name);

        /// <summary>Every readable record, ordered by id; unreadable ones are returned as problems.</summary>
        private List<CsrRecord> LoadAll(out List<PkiException> problems)
        {
            problems = new List<PkiException>();
            return Records.LoadAll(problems);
        }


        private PkiException NotFoundByName(string name) =>
            new PkiException(ErrorIds.CsrNotFound, PkiErrorKind.ObjectNotFound, name, Messages.CsrNotFoundByName.Format(name, _store.Root));

        private static void EnsureNameFree(List<CsrRecord> existing, string name, int? exceptId) =>
            RecordNames.EnsureFree(existing, name, r => r.Name, r => Messages.DuplicateName.Format(name, r.Id), r => r.Id == exceptId);

        private static void EnsureDraft(CsrRecord record)
        {
            if (record.Status != CsrStatus.Draft)
            {
                throw new PkiException(ErrorIds.CsrAlreadyGenerated, PkiErrorKind.InvalidOperation, record.Name,
                    Messages.CsrAlreadyGenerated.Format(record.Name, record.Id));
            }
        }

        private static string? ValidateRemark(string? remark)
        {
            if (string.IsNullOrEmpty(remark)) return null;
            if (remark!.Length > MaxRemarkLength)
            {
                throw new PkiException(ErrorIds.RemarkTooLong, PkiErrorKind.InvalidArgument, remark,
                    Messages.RemarkTooLong.Format(remark.Length, MaxRemarkLength));
            }
            return remark;
        }

        private static Dictionary<string, string> ValidateTags(IDictionary<string, string>? tags)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (tags == null) return result;
            foreach (var tag in tags)
            {
                if (string.IsNullOrWhiteSpace(tag.Key) || tag.Key.Length > MaxTagKeyLength || (tag.Value ?? string.Empty).Length > MaxTagValueLength)
                {
                    throw new PkiException(ErrorIds.InvalidTag, PkiErrorKind.InvalidArgument, tag.Key, Messages.InvalidTag.Format(tag.Key));
                }
                result[tag.Key] = tag.Value ?? string.Empty;
            }
            return result;
        }

        private static CsrRecord NewRecord(CsrStatus status, SubjectName subject, IEnumerable<SubjectAlternativeName> requestedNames,
            KeySpec spec, string? remark, Dictionary<string, string> tags) => new CsrRecord
        {
            Status = status,
            CommonName = subject.CommonName,
            Country = subject.Country,
            State = subject.State,
            Locality = subject.Locality,
            Organization = subject.Organization,
            OrganizationalUnit = subject.OrganizationalUnit,
            Email = subject.Email,
            SubjectAlternativeNames = requestedNames.Select(n => n.Value).ToList(),
            Algorithm = spec.AlgorithmName,
            Remark = remark,
            Tags = tags,
        };

        private static string FamilyName(KeySpec spec) => spec.AlgorithmName.Substring(0, 3);

        private CertificateSigningRequest ToOutput(CsrRecord record)
        {
            try
            {
                var spec = KeySpec.FromAlgorithmName(record.Algorithm);
                var subject = SubjectName.Create(record.CommonName, record.Country, record.State, record.Locality,
                    record.Organization, record.OrganizationalUnit, record.Email);
                var generated = record.Status == CsrStatus.Generated;
                return new CertificateSigningRequest
                {
                    Id = record.Id,
                    Name = record.Name,
                    Status = record.Status.ToString(),
                    CommonName = record.CommonName,
                    SubjectAlternativeNames = CertificateNames.Covered(record.CommonName, NameRules.ParseList(record.SubjectAlternativeNames)).Select(n => n.Value).ToArray(),
                    Subject = subject.ToString(),
                    Country = record.Country,
                    State = record.State,
                    Locality = record.Locality,
                    Organization = record.Organization,
                    OrganizationalUnit = record.OrganizationalUnit,
                    Email = record.Email,
                    Algorithm = spec.AlgorithmName,
                    KeySize = spec.Size,
                    Csr = generated ? _store.ReadText(StoreLayout.CsrRequest(record.Id)) : null,
                    PublicKeyMd5 = record.PublicKeyMd5,
                    PublicKeySha256 = record.PublicKeySha256,
                    KeyProtected = record.KeyProtected,
                    KeyPath = generated ? _store.FullPath(StoreLayout.CsrKey(record.Id)) : null,
                    CreatedAt = record.CreatedAt,
                    GeneratedAt = record.GeneratedAt,
                    Remark = record.Remark,
                    Tags = new Dictionary<string, string>(record.Tags ?? new Dictionary<string, string>()),
                    StorePath = _store.Root,
                };
            }
            catch (PkiException e) when (e.ErrorId != ErrorIds.StoreRecordCorrupt)
            {
                throw _store.Corrupt(StoreLayout.CsrRecord(record.Id), e.Message, e);
            }
        }

        private sealed class GeneratedMaterial
        {
            public GeneratedMaterial(string csrPem, string keyPem)
            {
                CsrPem = csrPem;
                KeyPem = keyPem;
            }

            public string CsrPem { get; }

            public string KeyPem { get; }
        }
    }
}
