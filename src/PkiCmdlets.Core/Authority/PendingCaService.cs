using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
    /// Intermediates signed outside the store (Request-SubCA, Complete-SubCA): the store makes the key and a request that
    /// asks for a CA's extensions, a CA outside it (an offline root) signs the request, and the signed certificate comes back.
    /// The intermediate becomes a CA of the store only with a certificate for its own pending key, which links to the store
    /// or to the chain that comes with it. Until then it is kept apart (StoreLayout.PendingCaFolder), unseen by the rest.
    /// </summary>
    public sealed class PendingCaService
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;
        private readonly Func<KeySpec, PrivateKey> _generateKey;

        public PendingCaService(PkiStore store)
            : this(new CaService(store), PrivateKey.Generate)
        {
        }

        /// <summary>Lets tests supply pre-generated keys.</summary>
        internal PendingCaService(CaService cas, Func<KeySpec, PrivateKey> generateKey)
        {
            _cas = cas;
            _store = cas.Store;
            _generateKey = generateKey;
        }

        /// <summary>
        /// Makes the key (encrypted with -KeyPassword, or in the clear with -NoPassword) and the request of a new intermediate;
        /// writes the request to <paramref name="csrPath"/> as well when given (0644, -Force to replace). Everything is checked
        /// before the key is made.
        /// </summary>
        public PendingCa Request(NewCaRequest request, string? csrPath = null, bool force = false, IProgress<string>? progress = null,
            CancellationToken cancellation = default)
        {
            var subject = SubjectName.Create(request.CommonName, request.Country, request.State, request.Locality, request.Organization, request.OrganizationalUnit);
            var spec = KeySpec.Parse(request.Algorithm, request.KeySize);
            var name = RecordNames.Optional(request.Name);
            var crlUrl = CaFactory.ValidateCrlUrl(request.CrlUrl);
            CaKeyPassword.Require(request.KeyPassword, request.NoPassword);
            if (request.PathLength.HasValue) CaFactory.RequireValidPathLength(request.PathLength.Value);
            if (csrPath != null) OutputFile.RequireNewOrForced(csrPath, force);
            if (name != null) EnsureNameFree(name);

            using var key = spec.Generate(_generateKey, progress, cancellation);
            progress?.Report(Messages.ProgressSigning);
            var csrPem = Pem.Encode(Pem.CertificateRequestLabel, CsrBuilder.Build(subject, key, extensions =>
            {
                // What a CA's certificate carries, asked for, so that `openssl x509 -req -copy_extensions copyall` gives it.
                extensions.AddExtension(X509Extensions.BasicConstraints, true,
                    request.PathLength.HasValue ? new BasicConstraints(request.PathLength.Value) : new BasicConstraints(true));
                extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            }));
            var keyPem = Pkcs8Pem.Encode(key, request.KeyPassword, progress);
            cancellation.ThrowIfCancellationRequestedAsPki();

            var record = new PendingCaRecord
            {
                Id = Hex.Lower(SerialNumber.Generate()),
                Algorithm = spec.AlgorithmName,
                KeyProtected = request.KeyPassword != null,
                CrlUrl = crlUrl,
                CreatedAt = _cas.Now,
            };
            progress?.Report(Messages.ProgressWritingStore);
            _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.PendingCaFolder, StoreLayout.KeyFolder);
            using (_store.Lock(cancellation))
            {
                if (name != null) EnsureNameFree(name);
                record.Name = name ?? RecordNames.UniqueFrom(subject.CommonName, TakenNames());
                _store.WriteAllOrNothing(new[]
                {
                    new KeyValuePair<string, byte[]>(StoreLayout.CaKey(record.Id), PkiStore.Utf8(keyPem)),
                    new KeyValuePair<string, byte[]>(StoreLayout.PendingCaRequest(record.Id), PkiStore.Utf8(csrPem)),
                    new KeyValuePair<string, byte[]>(StoreLayout.PendingCaRecord(record.Id), PkiStore.Json(record)),
                });
            }
            if (csrPath != null) OutputFile.Write(csrPath, PkiStore.Utf8(csrPem), OutputFile.PublicMode);
            var output = ToOutput(record);
            output.CsrPath = csrPath;
            return output;
        }

        /// <summary>
        /// Brings the signed certificate of a pending intermediate in: it must be a CA's certificate for the pending key
        /// (CaPendingKeyMismatch otherwise) and link to a CA of the store or through the chain after it in the file (which
        /// comes in too, without keys). The intermediate keeps its name, Id, key and key password.
        /// </summary>
        public CertificateAuthority Complete(CompleteSubCaRequest request, CancellationToken cancellation = default)
        {
            var pending = Find(request.Name);
            var source = request.CertificatePath;
            var all = ReadCertificates(source);
            var certificate = all[0];
            var requested = CsrContent.FromText(_store.ReadText(StoreLayout.PendingCaRequest(pending.Id)), _store.FullPath(StoreLayout.PendingCaRequest(pending.Id)));
            if (!certificate.SubjectPublicKeyInfo.SequenceEqual(requested.PublicKeyInfo.SubjectPublicKeyInfo))
            {
                throw new PkiException(ErrorIds.CaPendingKeyMismatch, PkiErrorKind.InvalidData, source, Messages.CaPendingKeyMismatch.Format(source, pending.Name));
            }
            CaChainLinks.RequireCa(certificate, source);
            // A damaged record or certificate of another CA is Get-CA's to report; it stands in the way of no completion.
            var already = _cas.Repository.LoadAll(new List<PkiException>()).FirstOrDefault(r => _cas.Repository.HasCertificate(r, certificate.Der));
            if (already != null)
            {
                throw new PkiException(ErrorIds.CaAlreadyInStore, PkiErrorKind.ResourceExists, source, Messages.CaAlreadyInStore.Format(already.Name, already.Id));
            }
            var stored = _cas.Repository.LoadReadable();
            CaChainLinks.Plan plan;
            try
            {
                plan = CaChainLinks.Link(certificate, all.Skip(1).ToList(), stored, source);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw Unreadable(source, e);
            }

            var record = new CaRecord
            {
                Id = pending.Id,
                Name = pending.Name,
                Algorithm = pending.Algorithm,
                KeyProtected = pending.KeyProtected,
                CrlUrl = pending.CrlUrl,
                CreatedAt = pending.CreatedAt,
            };
            // Every CA to be written is read as Get-CA will read it before the first file is: nothing is left half completed.
            foreach (var above in plan.Above) _cas.Preview(new CaRecord { Id = Hex.Lower(SerialNumber.Generate()), Keyless = true }, above, e => Unreadable(source, e));
            _cas.Preview(record, certificate, e => Unreadable(source, e));
            using (_store.Lock(cancellation))
            {
                var current = _cas.Repository.LoadAll(new List<PkiException>());
                CaRepository.EnsureNameFree(current, record.Name);
                var names = current.Select(r => r.Name).Append(record.Name).ToList();
                var authorities = new List<(CaRecord Record, byte[] CertificateDer, string? KeyPem)>();
                var issuerId = plan.StoreIssuerId;
                foreach (var above in plan.Above.Reverse())
                {
                    var chainRecord = new CaRecord
                    {
                        Id = Hex.Lower(SerialNumber.Generate()),
                        IssuerId = issuerId,
                        IsRoot = issuerId == null,
                        Algorithm = PublicKeyInfo.FromSubjectPublicKeyInfo(above.SubjectPublicKeyInfo, source).Description,
                        Imported = true,
                        Keyless = true,
                        CreatedAt = _cas.Now,
                        Name = RecordNames.UniqueFrom(CertificateContent.Attribute(above.Structure.Subject, X509Name.CN) ?? Messages.ImportedCaName, names),
                    };
                    names.Add(chainRecord.Name);
                    authorities.Add((chainRecord, above.Der, null));
                    issuerId = chainRecord.Id;
                }
                record.IssuerId = issuerId;
                record.IsRoot = issuerId == null;
                // The key is already where the CA's key is kept: only the certificate and the record are new.
                authorities.Add((record, certificate.Der, null));
                _cas.Repository.WriteNewChain(authorities);
                _store.DeleteFile(StoreLayout.PendingCaRecord(pending.Id));
                _store.DeleteFile(StoreLayout.PendingCaRequest(pending.Id));
            }
            return _cas.ToOutput(_cas.Repository.Load(record));
        }

        /// <summary>Pending intermediates whose Name or Id matches any pattern (wildcards), or all; unmatched plain names are problems.</summary>
        public Listing<PendingCa> FindAll(IReadOnlyList<string>? patterns = null)
        {
            var problems = new List<PkiException>();
            var records = LoadAll(problems).OrderBy(r => r.CreatedAt);
            var matched = RecordNames.Match(records, patterns, r => new[] { r.Name, r.Id }, out var unmatched);
            var items = new List<PendingCa>();
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
            problems.InsertRange(0, unmatched.Select(NotFound));
            return new Listing<PendingCa>(items, problems);
        }

        /// <summary>The pending intermediate with this Id, or else this Name; null when there is none.</summary>
        internal PendingCaRecord? TryFind(string nameOrId)
        {
            var value = nameOrId.Trim();
            var records = LoadAll(null);
            return records.FirstOrDefault(r => string.Equals(r.Id, value, StringComparison.OrdinalIgnoreCase))
                ?? records.FirstOrDefault(r => string.Equals(r.Name, value, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Whether <paramref name="nameOrId"/> names an intermediate waiting for its certificate.</summary>
        public bool IsPending(string nameOrId) => TryFind(nameOrId) != null;

        /// <summary>Removes a pending intermediate (its request, its key and its record); PendingCaNotFound when there is none.</summary>
        public PendingCa Remove(string nameOrId, CancellationToken cancellation = default)
        {
            var record = Find(nameOrId);
            var output = ToOutput(record);
            using (_store.Lock(cancellation))
            {
                // Completed meanwhile: the key is the CA's now.
                if (_store.Exists(StoreLayout.CaRecord(record.Id))) throw NotFound(nameOrId);
                _store.DeleteFile(StoreLayout.PendingCaRecord(record.Id));
                _store.DeleteFile(StoreLayout.PendingCaRequest(record.Id));
                _store.DeleteFile(StoreLayout.CaKey(record.Id));
            }
            return output;
        }

        /// <summary>Every pending intermediate's record (Test-PkiStore); a damaged one is a problem.</summary>
        internal IReadOnlyList<PendingCaRecord> Records(List<PkiException> problems) => LoadAll(problems);

        private PendingCaRecord Find(string nameOrId) => TryFind(nameOrId) ?? throw NotFound(nameOrId);

        private List<PendingCaRecord> LoadAll(List<PkiException>? problems)
        {
            var records = new List<PendingCaRecord>();
            foreach (var path in _store.ListFiles(StoreLayout.PendingCaFolder, StoreLayout.RecordFiles))
            {
                // One that is a CA already is what a crash in Complete-SubCA left (StoreLayout.ReplacedFiles): not pending.
                if (_store.Exists(StoreLayout.CaRecord(Path.GetFileNameWithoutExtension(path)))) continue;
                try
                {
                    records.Add(_store.ReadJson<PendingCaRecord>(path));
                }
                catch (PkiException e) when (problems != null && e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    problems.Add(e);
                }
            }
            return records;
        }

        private IEnumerable<string> TakenNames() => _cas.Repository.LoadAll(null).Select(r => r.Name).Concat(LoadAll(null).Select(r => r.Name));

        /// <summary>DuplicateCaName when a CA or a pending intermediate already has <paramref name="name"/>.</summary>
        private void EnsureNameFree(string name)
        {
            CaRepository.EnsureNameFree(_cas.Repository.LoadAll(null), name);
            var pending = LoadAll(null).FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
            if (pending != null)
            {
                throw new PkiException(ErrorIds.DuplicateName, PkiErrorKind.ResourceExists, name, Messages.DuplicatePendingCaName.Format(name, pending.Id));
            }
        }

        private PendingCa ToOutput(PendingCaRecord record)
        {
            var csrPem = _store.ReadText(StoreLayout.PendingCaRequest(record.Id));
            var csr = CsrContent.FromText(csrPem, _store.FullPath(StoreLayout.PendingCaRequest(record.Id)));
            var subject = SubjectName.Create(csr.CommonName, csr.Country, csr.State, csr.Locality, csr.Organization, csr.OrganizationalUnit);
            return new PendingCa
            {
                Id = record.Id,
                Name = record.Name,
                Subject = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(subject.ToX509Name().GetDerEncoded()).Name,
                CommonName = subject.CommonName,
                Algorithm = record.Algorithm,
                KeyProtected = record.KeyProtected,
                Csr = csrPem,
                CreatedAt = record.CreatedAt,
                StorePath = _store.Root,
            };
        }

        /// <summary>The certificates of a file, the first the one brought in: PEM (one or more) or DER.</summary>
        private static List<CertificateContent> ReadCertificates(string path)
        {
            var bytes = InputFile.Read(path, e => new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.ImportFileUnreadable.Format(path, e.Message), e));
            try
            {
                var all = InputFile.IsDer(bytes) ? new[] { bytes } : Pem.DecodeAll(InputFile.Text(bytes), Pem.CertificateLabel);
                if (all.Count == 0) all = new[] { CertificateContent.FirstCertificate(bytes) };
                return all.Select(d => CertificateContent.FromDer(d, path, e => Unreadable(path, e))).ToList();
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem)
            {
                throw Unreadable(path, e);
            }
        }

        private static PkiException Unreadable(string path, Exception e) =>
            new PkiException(ErrorIds.ImportFileUnreadable, PkiErrorKind.InvalidData, path,
                Messages.ImportFileUnreadable.Format(path, CertificateContent.Reason(e)), e);

        private PkiException NotFound(string value) =>
            new PkiException(ErrorIds.PendingCaNotFound, PkiErrorKind.ObjectNotFound, value, Messages.PendingCaNotFound.Format(value, _store.Root));
    }
}
