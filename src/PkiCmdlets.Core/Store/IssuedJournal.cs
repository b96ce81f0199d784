using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Everything one issuer (a store CA, or the outside CAs of ACME orders) has issued and revoked:
    /// issued/&lt;issuer id&gt;/certificates.journal, one line per event. An issue line is the record's JSON,
    /// a tab, and the certificate's base64 DER, so that listing reads the JSON without decoding any
    /// certificate; a revocation line, and the line that links a renewed certificate to its renewal, are JSON only.
    /// Each line's JSON ends with its hash in the journal's chain (see <see cref="Journal"/>); a line that does not hold
    /// is reported, naming it, and never read as a record.
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
            _journal = new Journal(store, PathOf(issuerId), StoreLayout.JournalHead(issuerId));
        }

        public string IssuerId { get; }

        public static string PathOf(string issuerId) => StoreLayout.CertificateJournal(issuerId);

        /// <summary>
        /// Every certificate <paramref name="keep"/> accepts, in the order issued, with its revocation and replacement
        /// applied, one at a time: a listing of 100,000 certificates holds one in memory, not all. Revocations and
        /// replacements are read in a first pass that also checks every line against the chain and the journal against its
        /// head (their lines are the ones without a certificate), issues in a second. A damaged line goes to
        /// <paramref name="problems"/> (naming the file and line) and the rest is read.
        /// </summary>
        /// <param name="problems">Where damaged lines are reported.</param>
        /// <param name="keep">Which records to return.</param>
        /// <param name="keepKey">
        /// Optional, from identifier and serial number alone: a line it refuses is passed over without being parsed.
        /// </param>
        /// <param name="damagedKey">
        /// Optional: told the identifier and serial number of each damaged line <paramref name="keepKey"/> would have kept,
        /// where they can still be read, with the line's problem, so that a certificate asked for is named as damaged, not as missing.
        /// </param>
        public IEnumerable<JournalCertificate> Read(List<PkiException> problems, Func<IssuedRecord, bool>? keep = null,
            Func<string, string, bool>? keepKey = null, Action<string, string, PkiException>? damagedKey = null)
        {
            var parser = new JournalEntry.Parser();
            var scan = Scan(parser, problems, null);
            foreach (var line in _journal.Read(0, 1, scan.End))
            {
                var tab = Array.IndexOf(line.Buffer, Tab, line.Start, line.Length);
                if (line.Number == 1 || tab < 0) continue;
                var hasKey = JournalEntry.TryReadKey(line.Buffer, line.Start, tab - line.Start, out var id, out var serial);
                if (scan.Damaged.TryGetValue(line.Number, out var damage))
                {
                    if (damagedKey != null && hasKey && (keepKey == null || keepKey(id, serial))) damagedKey(id, serial, damage);
                    continue;
                }
                if (keepKey != null && hasKey && !keepKey(id, serial)) continue;
                IssuedRecord record;
                try
                {
                    var entry = parser.Parse(line.Buffer, line.Start, tab - line.Start);
                    if (entry.Op != JournalEntry.Issued) throw new JsonSerializationException(Messages.ReasonJournalNotIssueLine);
                    record = entry.Certificate ?? throw new JsonSerializationException(Messages.ReasonJournalNoRecord);
                }
                catch (JsonException e)
                {
                    problems.Add(Damaged(line.Number, e.Message, e));
                    continue;
                }
                ApplyEvents(record, scan);
                if (keep != null && !keep(record)) continue;
                // Only where the certificate is: most listings never look at it.
                var lineOffset = line.EndOffset - line.Length - 1;
                yield return new JournalCertificate(record, this, lineOffset + tab + 1 - line.Start, line.Start + line.Length - tab - 1, line.Number);
            }
        }

        /// <summary>Every certificate, revocations applied, in a list (for the callers that need them all at once).</summary>
        public List<JournalCertificate> ReadAll(List<PkiException> problems, Func<IssuedRecord, bool>? keep = null,
            Func<string, string, bool>? keepKey = null) => Read(problems, keep, keepKey).ToList();

        /// <summary>
        /// What a CRL lists: the serial number, date and reason of every revoked certificate, read without parsing the
        /// records of certificates that were not revoked (nor, mostly, of those that were). The journal is checked against
        /// its head and against <paramref name="marks"/> (the one the last CRL was built from); <paramref name="reached"/>
        /// is how far it reaches now, for the next CRL to check against.
        /// </summary>
        public List<RevocationEntry> RevokedEntries(List<PkiException> problems, IReadOnlyList<JournalMark> marks, out JournalMark reached)
        {
            var parser = new JournalEntry.Parser();
            var scan = Scan(parser, problems, marks);
            reached = scan.Reached;
            var revocations = scan.Revocations;
            var entries = new List<RevocationEntry>(revocations.Count);
            void Add(string identifier, string serial)
            {
                if (revocations.TryGetValue(identifier, out var revocation))
                {
                    entries.Add(new RevocationEntry(Hex.Parse(serial), revocation.RevokedAt!.Value, revocation.RevocationReason ?? RevocationReason.Unspecified));
                }
            }
            foreach (var line in _journal.Read(0, 1, scan.End))
            {
                var tab = Array.IndexOf(line.Buffer, Tab, line.Start, line.Length);
                if (line.Number == 1 || tab < 0 || scan.Damaged.ContainsKey(line.Number)) continue;
                if (JournalEntry.TryReadKey(line.Buffer, line.Start, tab - line.Start, out var identifier, out var serial))
                {
                    Add(identifier, serial);
                    continue;
                }
                try
                {
                    var record = parser.Parse(line.Buffer, line.Start, tab - line.Start).Certificate ?? throw new JsonSerializationException(Messages.ReasonJournalNoRecord);
                    Add(record.Identifier, record.SerialNumber);
                }
                catch (JsonException e)
                {
                    problems.Add(Damaged(line.Number, e.Message, e));
                }
            }
            return entries;
        }

        /// <summary>
        /// The first pass: every line checked against the chain, the journal against its head and <paramref name="marks"/>,
        /// the header's format, the first revocation and the first replacement of each identifier. Nothing of a newer
        /// format is read.
        /// </summary>
        private JournalScan Scan(JournalEntry.Parser parser, List<PkiException> problems, IReadOnlyList<JournalMark>? marks)
        {
            var scan = new JournalScan();
            foreach (var line in _journal.ReadVerified(problems, marks))
            {
                scan.End = line.EndOffset;
                scan.Reached = JournalMark.Of(line.Number, line.EndOffset, line.Hash!);
                if (line.Number == 1) CheckHeader(line, parser); // a newer format is refused before its hashes are judged
                if (line.Damage != null)
                {
                    var damage = Damaged(line.Number, line.Damage, null);
                    problems.Add(damage);
                    scan.Damaged.Add(line.Number, damage);
                    continue;
                }
                if (line.Number == 1 || Array.IndexOf(line.Buffer, Tab, line.Start, line.Length) >= 0) continue;
                try
                {
                    var entry = JournalEntry.TryReadRevocation(line.Buffer, line.Start, line.Length) ?? parser.Parse(line.Buffer, line.Start, line.Length);
                    switch (entry.Op)
                    {
                        case JournalEntry.Revoked:
                            if (entry.Identifier == null || entry.RevokedAt == null) throw new JsonSerializationException(Messages.ReasonJournalRevocationIncomplete);
                            if (!scan.Revocations.ContainsKey(entry.Identifier)) scan.Revocations.Add(entry.Identifier, entry);
                            break;
                        case JournalEntry.Replaced:
                            if (entry.Identifier == null || entry.ReplacedBy == null) throw new JsonSerializationException(Messages.ReasonJournalReplacementIncomplete);
                            if (!scan.Replacements.ContainsKey(entry.Identifier)) scan.Replacements.Add(entry.Identifier, entry.ReplacedBy);
                            break;
                        default:
                            throw new JsonSerializationException(entry.Op == JournalEntry.Issued ? Messages.ReasonJournalNoCertificate : Messages.ReasonJournalUnknownOp.Format(entry.Op));
                    }
                }
                catch (JsonException e)
                {
                    problems.Add(Damaged(line.Number, e.Message, e));
                }
            }
            return scan;
        }

        private static void ApplyEvents(IssuedRecord record, JournalScan events)
        {
            if (record.ReplacedBy == null && events.Replacements.TryGetValue(record.Identifier, out var replacedBy)) record.ReplacedBy = replacedBy;
            if (record.RevokedAt.HasValue || !events.Revocations.TryGetValue(record.Identifier, out var revocation)) return;
            record.RevokedAt = revocation.RevokedAt;
            record.RevocationReason = revocation.RevocationReason ?? RevocationReason.Unspecified;
        }

        /// <summary>The certificate that renewed the one with this identifier, or null while it is current.</summary>
        public string? ReplacementOf(string identifier) =>
            Scan(new JournalEntry.Parser(), new List<PkiException>(), null).Replacements.TryGetValue(identifier, out var replacedBy) ? replacedBy : null;

        /// <summary>
        /// Appends issued certificates with one flush to disk. The caller holds the store lock. A certificate that renews
        /// another (<see cref="IssuedRecord.Replaces"/>) is followed by the "replaced" line of the one it renews, in the same
        /// append; CertificateAlreadyRenewed, with nothing appended, when that one was renewed already.
        /// </summary>
        public void AppendIssued(IReadOnlyList<KeyValuePair<IssuedRecord, byte[]>> issued)
        {
            var renewed = issued.Where(c => c.Key.Replaces != null).ToList();
            if (renewed.Count > 0)
            {
                var replacements = Scan(new JournalEntry.Parser(), new List<PkiException>(), null).Replacements;
                var taken = new HashSet<string>(StringComparer.Ordinal);
                foreach (var certificate in renewed)
                {
                    var old = certificate.Key.Replaces!;
                    if (replacements.TryGetValue(old, out var replacedBy) || !taken.Add(old))
                    {
                        throw new PkiException(ErrorIds.CertificateAlreadyRenewed, PkiErrorKind.InvalidOperation, old,
                            Messages.CertificateAlreadyRenewed.Format(old, replacedBy ?? certificate.Key.Identifier));
                    }
                }
            }
            _store.EnsureCreated(StoreLayout.IssuedFolder, StoreLayout.IssuerFolder(IssuerId));
            var lines = new List<byte[]>(issued.Count + renewed.Count);
            foreach (var certificate in issued)
            {
                var json = PkiStore.JsonLine(new JournalEntry { Op = JournalEntry.Issued, Certificate = certificate.Key });
                var base64 = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(certificate.Value));
                var line = new byte[json.Length + 1 + base64.Length];
                Buffer.BlockCopy(json, 0, line, 0, json.Length);
                line[json.Length] = Tab;
                Buffer.BlockCopy(base64, 0, line, json.Length + 1, base64.Length);
                lines.Add(line);
                if (certificate.Key.Replaces != null)
                {
                    lines.Add(PkiStore.JsonLine(new JournalEntry { Op = JournalEntry.Replaced, Identifier = certificate.Key.Replaces, ReplacedBy = certificate.Key.Identifier }));
                }
            }
            _journal.Append(Header, lines);
        }

        /// <summary>Appends revocations with one flush to disk. The caller holds the store lock.</summary>
        public void AppendRevoked(IReadOnlyList<IssuedRecord> revoked)
        {
            _store.EnsureCreated(StoreLayout.IssuedFolder, StoreLayout.IssuerFolder(IssuerId));
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
        /// so nothing is appended meanwhile; only lines appended since this process last looked are read. The set is
        /// this process's own copy, not a snapshot: the caller adds the serials it is about to append (should the
        /// append fail, a serial never used stays in it, which only makes the check stricter).
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
                    cache.Serials = new HashSet<string>(StringComparer.Ordinal);
                    cache.Offset = 0;
                    cache.LineNumber = 1;
                }
                else if (cache.Offset > 0 && _journal.FirstLine() is JournalLine header)
                {
                    CheckHeader(header, new JournalEntry.Parser()); // the file may have been replaced since this process last read it
                }
                var parser = new JournalEntry.Parser();
                foreach (var line in _journal.Read(cache.Offset, cache.LineNumber))
                {
                    cache.Offset = line.EndOffset;
                    cache.LineNumber = line.Number + 1;
                    if (line.Number == 1)
                    {
                        CheckHeader(line, parser); // never append to a journal of a newer format
                        continue;
                    }
                    var tab = Array.IndexOf(line.Buffer, Tab, line.Start, line.Length);
                    if (tab < 0) continue;
                    if (JournalEntry.TryReadKey(line.Buffer, line.Start, tab - line.Start, out _, out var known))
                    {
                        cache.Serials.Add(known);
                        continue;
                    }
                    try
                    {
                        var serial = parser.Parse(line.Buffer, line.Start, tab - line.Start).Certificate?.SerialNumber;
                        if (serial != null) cache.Serials.Add(serial);
                    }
                    catch (JsonException)
                    {
                        // A damaged line is reported by listings; it cannot take part in the check.
                    }
                }
                return cache.Serials;
            }
        }

        /// <summary>A certificate's DER from its line, or StoreRecordCorrupt naming the line when it does not decode.</summary>
        internal byte[] ReadCertificate(long offset, int length, int lineNumber)
        {
            var text = _journal.ReadAt(offset, length);
            try
            {
                if (text.Length < length) throw new FormatException(Messages.ReasonJournalShorter);
                return Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(text));
            }
            catch (FormatException e)
            {
                throw Damaged(lineNumber, e.Message, e);
            }
        }

        internal PkiException Damaged(int lineNumber, string reason, Exception? inner) => _journal.DamagedLine(lineNumber, reason, inner);

        private void CheckHeader(JournalLine line, JournalEntry.Parser parser)
        {
            JournalHeader? header;
            try
            {
                header = parser.ParseHeader(line.Buffer, line.Start, line.Length);
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
            if (header?.Journal != JournalHeader.Name) throw Damaged(line.Number, Messages.ReasonJournalNoHeader, null);
        }

        /// <summary>What the first pass found: revocations, damaged lines, and where the sound reading ends.</summary>
        private sealed class JournalScan
        {
            public Dictionary<string, JournalEntry> Revocations { get; } = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);

            /// <summary>The identifier of each certificate renewed, and the identifier of the one that renewed it.</summary>
            public Dictionary<string, string> Replacements { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
            public Dictionary<int, PkiException> Damaged { get; } = new Dictionary<int, PkiException>();
            public long End { get; set; }
            public JournalMark Reached { get; set; } = JournalMark.Of(0, 0, new byte[JournalChain.HashSize]);
        }

        private sealed class SerialCache
        {
            public long Offset;
            public int LineNumber = 1;
            public HashSet<string>? Serials;
        }
    }

    /// <summary>What the lines without a certificate say: each identifier's first revocation and first replacement.</summary>
    /// <summary>A certificate read from an issuer's journal: its record, and where its DER is.</summary>
    internal sealed class JournalCertificate
    {
        private readonly IssuedJournal _journal;
        private readonly long _offset;
        private readonly int _length;
        private readonly int _lineNumber;

        /// <summary>A certificate of the journal, whose base64 DER is <paramref name="length"/> bytes at <paramref name="offset"/> of line <paramref name="lineNumber"/>.</summary>
        public JournalCertificate(IssuedRecord record, IssuedJournal journal, long offset, int length, int lineNumber)
        {
            Record = record;
            _journal = journal;
            _offset = offset;
            _length = length;
            _lineNumber = lineNumber;
        }

        public IssuedRecord Record { get; }

        /// <summary>The journal line the certificate is on.</summary>
        public int LineNumber => _lineNumber;

        /// <summary>Line <see cref="LineNumber"/> is damaged: StoreRecordCorrupt naming the file and the line.</summary>
        public PkiException Damaged(string reason) => _journal.Damaged(_lineNumber, reason, null);

        /// <summary>The certificate's DER, read from its line (the listing read only the record).</summary>
        public byte[] Der() => _journal.ReadCertificate(_offset, _length, _lineNumber);

        /// <summary>The chain an outside CA sent with the certificate (PEM), if any.</summary>
        public string? ChainPem() =>
            Record.Chain == null ? null : string.Concat(Record.Chain.Select(c => Pem.Encode(Pem.CertificateLabel, Convert.FromBase64String(c))));
    }
}
