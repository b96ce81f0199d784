using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// The CAs of the store as files: reading their records, finding one by Name or Id, loading its certificate and its
    /// chain, and writing a new one (key, certificate, record). Nothing here checks a rule of CA creation.
    /// </summary>
    internal sealed class CaRepository
    {
        private readonly PkiStore _store;

        public CaRepository(PkiStore store)
        {
            _store = store;
        }

        /// <summary>Every record that can be read; a damaged one goes to <paramref name="problems"/>, or throws when that is null.</summary>
        public List<CaRecord> LoadAll(List<PkiException>? problems)
        {
            var records = new List<CaRecord>();
            foreach (var path in _store.ListFiles(StoreLayout.CaFolder, StoreLayout.RecordFiles))
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

        /// <summary>
        /// Every CA whose record and certificate read, for the checks that look at the others (duplicates, issuers): one that
        /// cannot be read signs nothing and links nothing, and listing reports it.
        /// </summary>
        public List<StoredCa> LoadReadable()
        {
            var readable = new List<StoredCa>();
            foreach (var record in LoadAll(new List<PkiException>()))
            {
                try
                {
                    readable.Add(Load(record));
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    // Left out, as above.
                }
            }
            return readable;
        }

        /// <summary>The Ids of the CAs whose record files <see cref="LoadAll"/> reported as damaged in <paramref name="damaged"/>.</summary>
        public IEnumerable<string> IdsOfDamaged(IEnumerable<PkiException> damaged)
        {
            foreach (var path in _store.ListFiles(StoreLayout.CaFolder, StoreLayout.RecordFiles))
            {
                if (damaged.Any(e => e.Target is string file && string.Equals(file, _store.FullPath(path), StringComparison.Ordinal)))
                {
                    yield return System.IO.Path.GetFileNameWithoutExtension(path);
                }
            }
        }

        /// <summary>The record of the CA with this Id, or else this Name (case-insensitive); CaNotFound otherwise.</summary>
        public CaRecord Resolve(CaIdentity identity)
        {
            var value = identity.Value;
            // A damaged record elsewhere in the store must not hide the CA asked for; Get-CA reports it.
            var damaged = new List<PkiException>();
            var records = LoadAll(damaged);
            var found = records.FirstOrDefault(r => string.Equals(r.Id, value, StringComparison.OrdinalIgnoreCase))
                ?? records.FirstOrDefault(r => string.Equals(r.Name, value, StringComparison.OrdinalIgnoreCase));
            if (found != null) return found;
            // Asked for by Id (an issuer link, a pipeline object) and that record is the damaged one: say so.
            throw damaged.FirstOrDefault(e => e.Target is string file && string.Equals(file, _store.FullPath(StoreLayout.CaRecord(value)), StringComparison.OrdinalIgnoreCase))
                ?? NotFound(value);
        }

        /// <summary>The record with its certificate, parsed; StoreRecordCorrupt naming the certificate file when it does not parse.</summary>
        public StoredCa Load(CaRecord record)
        {
            var path = StoreLayout.CaCertificate(record.Id);
            try
            {
                var der = Pem.Decode(_store.ReadText(path), Pem.CertificateLabel);
                return new StoredCa(record, CertificateContent.FromDer(der, path, e => _store.Corrupt(path, CertificateContent.Reason(e), e)).Structure, der);
            }
            catch (Exception e) when (Malformed.Is(e) || (e is PkiException p && p.ErrorId == ErrorIds.InvalidPem))
            {
                throw _store.Corrupt(path, CertificateContent.Reason(e), e);
            }
        }

        /// <summary>Whether the CA's certificate file holds exactly <paramref name="der"/>; false when it cannot be read (Get-CA reports that).</summary>
        public bool HasCertificate(CaRecord record, byte[] der)
        {
            try
            {
                return Pem.Decode(_store.ReadText(StoreLayout.CaCertificate(record.Id)), Pem.CertificateLabel).SequenceEqual(der);
            }
            catch (PkiException)
            {
                return false;
            }
        }

        /// <summary>This CA and its issuers up to the root, each once.</summary>
        public IReadOnlyList<StoredCa> Chain(StoredCa authority)
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

        /// <summary>Under the lock: key, certificate, then the record that makes the CA exist; on failure removes what it wrote.</summary>
        public void WriteNew(CaRecord record, byte[] certificateDer, string keyPem) =>
            _store.WriteAllOrNothing(Files(record, certificateDer, keyPem));

        /// <summary>
        /// Under the lock: several new CAs at once (a chain, its top first), each as one is written, a CA without a key (a
        /// null KeyPem) without a key file; all or nothing.
        /// </summary>
        public void WriteNewChain(IEnumerable<(CaRecord Record, byte[] CertificateDer, string? KeyPem)> authorities) =>
            _store.WriteAllOrNothing(authorities.SelectMany(a => Files(a.Record, a.CertificateDer, a.KeyPem)).ToList());

        /// <summary>The files of a new CA, in the order that makes it exist last: key (when there is one), certificate, record.</summary>
        public static List<KeyValuePair<string, byte[]>> Files(CaRecord record, byte[] certificateDer, string? keyPem)
        {
            var files = new List<KeyValuePair<string, byte[]>>();
            if (keyPem != null) files.Add(new KeyValuePair<string, byte[]>(StoreLayout.CaKey(record.Id), PkiStore.Utf8(keyPem)));
            files.Add(new KeyValuePair<string, byte[]>(StoreLayout.CaCertificate(record.Id), PkiStore.Utf8(Pem.Encode(Pem.CertificateLabel, certificateDer))));
            files.Add(new KeyValuePair<string, byte[]>(StoreLayout.CaRecord(record.Id), PkiStore.Json(record)));
            return files;
        }

        /// <summary>DuplicateName when a CA of <paramref name="existing"/> already has <paramref name="name"/>.</summary>
        public static void EnsureNameFree(IEnumerable<CaRecord> existing, string name) =>
            RecordNames.EnsureFree(existing, name, r => r.Name, r => Messages.DuplicateCaName.Format(name, r.Id));

        public PkiException NotFound(string value) =>
            new PkiException(ErrorIds.CaNotFound, PkiErrorKind.ObjectNotFound, value, Messages.CaNotFound.Format(value, _store.Root));
    }
}
