using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Everything one issuer (a store CA, or the outside CAs of ACME orders) has issued and revoked:
    /// issued/&lt;issuer id&gt;/certificates.journal, one line per event. An issue line is the record's JSON,
    /// a tab, and the certificate's base64 DER, so that listing reads the JSON without decoding any
    /// certificate; a revocation line is JSON only. A store written before the journal existed keeps its
    /// index.json and one PEM file per certificate: those are read as the journal's first records and
    /// never rewritten.
    /// </summary>
    internal sealed class IssuedJournal
    {
        public const int FormatVersion = 1;

        private const byte Tab = (byte)'\t';

        /// <summary>Per process: each journal's serial numbers and how far they were read, so that issuing reads only what others appended since.</summary>
        private static readonly ConcurrentDictionary<string, SerialCache> SerialCaches = new ConcurrentDictionary<string, SerialCache>(StringComparer.Ordinal);

        private static readonly byte[] Header = PkiStore.JsonLine(new JournalHeader { Journal = JournalHeader.Name, FormatVersion = FormatVersion });

        private readonly PkiStore _store;
        private readonly Journal _journal;

        public IssuedJournal(PkiStore store, string issuerId)
        {
            _store = store;
            IssuerId = issuerId;
            _journal = new Journal(store, PathOf(issuerId));
        }

        public string IssuerId { get; }

        public static string PathOf(string issuerId) => Path.Combine(ServerCertificateService.Folder, issuerId, "certificates.journal");

        internal static string LegacyIndexPath(string issuerId) => Path.Combine(ServerCertificateService.Folder, issuerId, "index.json");

        internal static string LegacyCertificatePath(string issuerId, string identifier) => Path.Combine(ServerCertificateService.Folder, issuerId, identifier + ".crt.pem");

        internal static string LegacyChainPath(string identifier) => Path.Combine(ServerCertificateService.Folder, ServerCertificateService.ExternalFolder, identifier + ".chain.pem");

        /// <summary>
        /// Every certificate <paramref name="keep"/> accepts, in the order issued, with its revocation applied.
        /// A damaged line goes to <paramref name="problems"/> (naming the file and line) and the rest is read.
        /// </summary>
        public List<JournalCertificate> ReadAll(List<PkiException> problems, Func<IssuedRecord, bool>? keep = null)
        {
            var certificates = new List<JournalCertificate>();
            var byIdentifier = new Dictionary<string, JournalCertificate>(StringComparer.Ordinal);
            foreach (var legacy in ReadLegacyIndex(problems))
            {
                if (keep != null && !keep(legacy)) continue;
                var certificate = new JournalCertificate(legacy, null, this);
                certificates.Add(certificate);
                byIdentifier[legacy.Identifier] = certificate;
            }
            foreach (var line in _journal.Read())
            {
                if (line.Number == 1)
                {
                    CheckHeader(line);
                    continue;
                }
                try
                {
                    var tab = Array.IndexOf(line.Buffer, Tab, line.Start, line.Length);
                    var jsonLength = tab < 0 ? line.Length : tab - line.Start;
                    var entry = JournalEntry.Parse(line.Buffer, line.Start, jsonLength);
                    if (entry.Op == JournalEntry.Issued)
                    {
                        var record = entry.Certificate ?? throw new JsonSerializationException("an issue line has no certificate record");
                        if (tab < 0) throw new JsonSerializationException("an issue line has no certificate after its record");
                        if (keep != null && !keep(record)) continue;
                        // Decoded now: the DER is under half the size of its base64 text, and the text dies young.
                        var der = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(line.Buffer, tab + 1, line.Start + line.Length - tab - 1));
                        var certificate = new JournalCertificate(record, der, this);
                        certificates.Add(certificate);
                        byIdentifier[record.Identifier] = certificate;
                    }
                    else if (entry.Op == JournalEntry.Revoked)
                    {
                        if (entry.Identifier == null || entry.RevokedAt == null) throw new JsonSerializationException("a revocation line needs identifier and revokedAt");
                        if (byIdentifier.TryGetValue(entry.Identifier, out var revoked) && !revoked.Record.RevokedAt.HasValue)
                        {
                            revoked.Record.RevokedAt = entry.RevokedAt;
                            revoked.Record.RevocationReason = entry.RevocationReason ?? RevocationReason.Unspecified;
                        }
                    }
                    else
                    {
                        throw new JsonSerializationException("unknown op '" + entry.Op + "'");
                    }
                }
                catch (Exception e) when (e is JsonException || e is FormatException)
                {
                    problems.Add(Damaged(line.Number, e.Message, e));
                }
            }
            return certificates;
        }

        /// <summary>Appends issued certificates with one flush to disk. The caller holds the store lock.</summary>
        public void AppendIssued(IReadOnlyList<KeyValuePair<IssuedRecord, byte[]>> issued)
        {
            _store.EnsureCreated(ServerCertificateService.Folder, ServerCertificateService.IssuerFolder(IssuerId));
            var lines = new List<byte[]>(issued.Count);
            foreach (var certificate in issued)
            {
                var json = PkiStore.JsonLine(new JournalEntry { Op = JournalEntry.Issued, Certificate = certificate.Key });
                var base64 = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(certificate.Value));
                var line = new byte[json.Length + 1 + base64.Length];
                Buffer.BlockCopy(json, 0, line, 0, json.Length);
                line[json.Length] = Tab;
                Buffer.BlockCopy(base64, 0, line, json.Length + 1, base64.Length);
                lines.Add(line);
            }
            _journal.Append(Header, lines);
        }

        /// <summary>Appends revocations with one flush to disk. The caller holds the store lock.</summary>
        public void AppendRevoked(IReadOnlyList<IssuedRecord> revoked)
        {
            _store.EnsureCreated(ServerCertificateService.Folder, ServerCertificateService.IssuerFolder(IssuerId));
            _journal.Append(Header, revoked.Select(r => PkiStore.JsonLine(new JournalEntry
            {
                Op = JournalEntry.Revoked,
                Identifier = r.Identifier,
                RevokedAt = r.RevokedAt,
                RevocationReason = r.RevocationReason,
            })).ToList());
        }

        /// <summary>
        /// The serial numbers in use, for the uniqueness check before an append. The caller holds the store lock,
        /// so nothing is appended meanwhile; only lines appended since this process last looked are read.
        /// </summary>
        public HashSet<string> Serials()
        {
            var cache = SerialCaches.GetOrAdd(_store.FullPath(_journal.RelativePath), _ => new SerialCache());
            lock (cache)
            {
                var length = _journal.Exists ? new FileInfo(_store.FullPath(_journal.RelativePath)).Length : 0;
                if (length < cache.Offset || cache.Serials == null)
                {
                    // First look, or the journal was replaced (a restored backup): start again.
                    cache.Serials = new HashSet<string>(ReadLegacyIndex(new List<PkiException>()).Select(r => r.SerialNumber), StringComparer.Ordinal);
                    cache.Offset = 0;
                    cache.LineNumber = 1;
                }
                else if (cache.Offset > 0 && _journal.FirstLine() is JournalLine header)
                {
                    CheckHeader(header); // the file may have been replaced since this process last read it
                }
                foreach (var line in _journal.Read(cache.Offset, cache.LineNumber))
                {
                    cache.Offset = line.EndOffset;
                    cache.LineNumber = line.Number + 1;
                    if (line.Number == 1)
                    {
                        CheckHeader(line); // never append to a journal of a newer format
                        continue;
                    }
                    var tab = Array.IndexOf(line.Buffer, Tab, line.Start, line.Length);
                    if (tab < 0) continue;
                    try
                    {
                        var serial = JournalEntry.Parse(line.Buffer, line.Start, tab - line.Start).Certificate?.SerialNumber;
                        if (serial != null) cache.Serials.Add(serial);
                    }
                    catch (JsonException)
                    {
                        // A damaged line is reported by listings; it cannot take part in the check.
                    }
                }
                return new HashSet<string>(cache.Serials, StringComparer.Ordinal);
            }
        }

        internal byte[] ReadLegacyCertificate(string identifier)
        {
            var path = LegacyCertificatePath(IssuerId, identifier);
            try
            {
                return Pem.Decode(_store.ReadText(path), Pem.CertificateLabel);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.InvalidPem)
            {
                throw _store.Corrupt(path, e.Message, e);
            }
        }

        internal string? ReadLegacyChain(string identifier) =>
            _store.Exists(LegacyChainPath(identifier)) ? _store.ReadText(LegacyChainPath(identifier)) : null;

        internal PkiException Damaged(int lineNumber, string reason, Exception? inner) =>
            new PkiException(ErrorIds.StoreRecordCorrupt, PkiErrorKind.InvalidData, _store.FullPath(_journal.RelativePath),
                Messages.JournalLineDamaged.Format(_store.FullPath(_journal.RelativePath), lineNumber, reason), inner);

        private IEnumerable<IssuedRecord> ReadLegacyIndex(List<PkiException> problems)
        {
            if (!_store.Exists(LegacyIndexPath(IssuerId))) return Array.Empty<IssuedRecord>();
            try
            {
                return _store.ReadJson<LegacyIndex>(LegacyIndexPath(IssuerId)).Certificates;
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
            {
                problems.Add(e);
                return Array.Empty<IssuedRecord>();
            }
        }

        private void CheckHeader(JournalLine line)
        {
            JournalHeader? header;
            try
            {
                header = JournalEntry.ParseHeader(line.Buffer, line.Start, line.Length);
            }
            catch (JsonException e)
            {
                throw Damaged(line.Number, e.Message, e);
            }
            if (header?.FormatVersion > FormatVersion)
            {
                throw new PkiException(ErrorIds.StoreVersionUnsupported, PkiErrorKind.InvalidOperation, _store.FullPath(_journal.RelativePath),
                    Messages.StoreVersionUnsupported.Format(_store.FullPath(_journal.RelativePath), header.FormatVersion, FormatVersion));
            }
            if (header?.Journal != JournalHeader.Name) throw Damaged(line.Number, "the first line is not the journal's header", null);
        }

        private sealed class SerialCache
        {
            public long Offset;
            public int LineNumber = 1;
            public HashSet<string>? Serials;
        }

        /// <summary>index.json of a store written before the journal.</summary>
        private sealed class LegacyIndex
        {
            public List<IssuedRecord> Certificates { get; set; } = new List<IssuedRecord>();
        }
    }

    /// <summary>A certificate read from an issuer's journal, or from the files of a store written before it.</summary>
    internal sealed class JournalCertificate
    {
        private readonly byte[]? _der;
        private readonly IssuedJournal _journal;

        /// <param name="record">The certificate's record, its revocation applied.</param>
        /// <param name="der">The certificate from the journal line, or null for one of a store written before the journal.</param>
        /// <param name="journal">Reads the PEM file of a certificate from before the journal.</param>
        public JournalCertificate(IssuedRecord record, byte[]? der, IssuedJournal journal)
        {
            Record = record;
            _der = der;
            _journal = journal;
        }

        public IssuedRecord Record { get; }

        public byte[] Der() => _der ?? _journal.ReadLegacyCertificate(Record.Identifier);

        /// <summary>The chain an outside CA sent with the certificate (PEM), if any.</summary>
        public string? ChainPem()
        {
            if (Record.Chain != null) return string.Concat(Record.Chain.Select(c => Pem.Encode(Pem.CertificateLabel, Convert.FromBase64String(c))));
            return _der == null ? _journal.ReadLegacyChain(Record.Identifier) : null;
        }
    }
}
