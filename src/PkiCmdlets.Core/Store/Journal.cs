using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// An append-only file of records, one per line, for state that grows with every command (issued
    /// certificates and their revocations). Appending costs one durable write however large the file has
    /// grown, where rewriting an index costs a write of everything. A record is on disk when
    /// <see cref="Append"/> returns; a line without its newline is an append that never finished (the
    /// process died mid-write), which readers pass over and the next append cuts off.
    /// Every line carries a hash that chains it to the line before (<see cref="JournalChain"/>), and the journal's head
    /// (a <see cref="JournalMark"/> in its own file) says how far it reached, so a changed byte, a removed line, lines cut
    /// off the end, or a journal lost altogether show as damage instead of as fewer records.
    /// </summary>
    internal sealed class Journal
    {
        private const byte NewLine = (byte)'\n';

        private readonly PkiStore _store;

        /// <param name="store">The store.</param>
        /// <param name="relativePath">The journal.</param>
        /// <param name="headPath">Its head, outside the journal's folder.</param>
        public Journal(PkiStore store, string relativePath, string headPath)
        {
            _store = store;
            RelativePath = relativePath;
            HeadPath = headPath;
        }

        public string RelativePath { get; }

        public string HeadPath { get; }

        public bool Exists => _store.Exists(RelativePath);

        /// <summary>Test seam: runs after the lines are written and before they are flushed to disk.</summary>
        internal static Action<string>? BeforeFlush;

        /// <summary>
        /// Appends <paramref name="lines"/> (UTF-8 JSON objects, each optionally followed by a tab and a payload, without
        /// newlines) with their hashes and flushes them to disk once, all together, then moves the head on. The caller holds
        /// the store lock. An empty journal starts with <paramref name="header"/>. Nothing is appended to a journal that no
        /// longer matches its head (lines cut off, replaced, or lost after its issuer wrote to it): StoreRecordCorrupt, and
        /// the damage stays visible. A journal written before the chain gets a head first, then its first hashed lines.
        /// </summary>
        public void Append(byte[] header, IReadOnlyList<byte[]> lines)
        {
            var path = _store.FullPath(RelativePath);
            var head = ReadHead();
            if (Directory.Exists(path)) throw Lost(head, Messages.ReasonJournalIsFolder);
            var created = !File.Exists(path);
            if (created && head != null && head.Lines > 0) throw Lost(head, Messages.ReasonJournalMissing);
            var headCreated = false;
            FileStream? stream = null;
            try
            {
                if (created && head == null)
                {
                    // The head before the journal: a journal with hashed lines and no head can then only be damage.
                    head = JournalMark.Of(0, 0, new byte[JournalChain.HashSize]);
                    WriteHead(head, created: true);
                    headCreated = true;
                }
                stream = created ? CreateJournal(path) : new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
                CutUnfinishedLine(stream);
                var end = stream.Length;
                if (end == 0 && head != null && head.Lines > 0) throw Lost(head, Messages.ReasonJournalEmpty);
                using var chain = Tail(stream, end, head, out var count);
                if (head == null)
                {
                    WriteHead(JournalMark.Of(count, end, chain.Previous), created: true);
                    headCreated = true;
                }
                var buffer = new MemoryStream();
                foreach (var line in end == 0 ? new[] { header }.Concat(lines) : lines)
                {
                    chain.Write(buffer, line);
                    buffer.WriteByte(NewLine);
                    count++;
                }
                try
                {
                    stream.Seek(end, SeekOrigin.Begin);
                    buffer.WriteTo(stream);
                    BeforeFlush?.Invoke(path);
                    stream.Flush(flushToDisk: true);
                    if (created) FolderSync.Sync(Path.GetDirectoryName(path)!);
                    WriteHead(JournalMark.Of(count, end + buffer.Length, chain.Previous), created: false);
                }
                catch
                {
                    // The caller reports a failure, so nothing of this append may count as written.
                    stream.SetLength(end);
                    stream.Flush(flushToDisk: true);
                    throw;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is PkiException)
            {
                stream?.Dispose();
                stream = null;
                if (created) TryDelete(path);
                if (headCreated) TryDelete(_store.FullPath(HeadPath));
                if (e is PkiException) throw;
                throw _store.NotWritable(e);
            }
            finally
            {
                stream?.Dispose();
            }
        }

        /// <summary>
        /// The complete lines from byte <paramref name="offset"/> on (0 is the header), each with its line number
        /// (1-based, counted from <paramref name="firstLineNumber"/>) and the offset just past it, up to
        /// <paramref name="endOffset"/>. Not checked against the chain: see <see cref="ReadVerified"/>.
        /// </summary>
        public IEnumerable<JournalLine> Read(long offset = 0, int firstLineNumber = 1, long endOffset = long.MaxValue)
        {
            var path = _store.FullPath(RelativePath);
            if (!File.Exists(path)) yield break;
            FileStream stream;
            try
            {
                stream = OpenForReading(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw _store.Corrupt(RelativePath, e.Message, e);
            }
            using (stream)
            {
                foreach (var line in ReadLines(stream, offset, firstLineNumber))
                {
                    if (line.EndOffset > endOffset) yield break;
                    yield return line;
                }
            }
        }

        /// <summary>
        /// Every complete line, each checked against the chain (<see cref="JournalLine.Damage"/> says why one does not
        /// hold, and <see cref="JournalLine.Hash"/> is its hash), and the journal as a whole checked against its head and
        /// <paramref name="marks"/>: a journal missing, empty or a folder after lines were written to it, lines cut off the
        /// end, hashed lines without a head, or an unreadable head go to <paramref name="problems"/>, once, at the end.
        /// </summary>
        public IEnumerable<JournalLine> ReadVerified(List<PkiException> problems, IReadOnlyList<JournalMark>? marks = null)
        {
            var all = new List<JournalMark>();
            var headReadable = true;
            try
            {
                if (ReadHead() is JournalMark head) all.Add(head);
            }
            catch (PkiException e)
            {
                problems.Add(e);
                headReadable = false;
            }
            if (marks != null) all.AddRange(marks.Where(m => m.Lines > 0));
            var path = _store.FullPath(RelativePath);
            var written = all.Where(m => m.Lines > 0).OrderByDescending(m => m.Lines).FirstOrDefault();
            if (Directory.Exists(path) || !File.Exists(path))
            {
                if (Directory.Exists(path) || written != null) problems.Add(Lost(written, Directory.Exists(path) ? Messages.ReasonJournalIsFolder : Messages.ReasonJournalMissing));
                yield break;
            }
            FileStream stream;
            try
            {
                stream = OpenForReading(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw _store.Corrupt(RelativePath, e.Message, e);
            }
            var reached = new bool[all.Count];
            var last = 0;
            var damaged = new HashSet<int>();
            using (stream)
            using (var chain = new JournalChain())
            {
                foreach (var line in ReadLines(stream, 0, 1))
                {
                    var damage = chain.Verify(line.Buffer, line.Start, line.Length);
                    for (var i = 0; i < all.Count; i++)
                    {
                        reached[i] |= all[i].Lines > 0 && JournalChain.Same(chain.Previous, all[i].HashBytes());
                    }
                    last = line.Number;
                    if (damage != null) damaged.Add(line.Number);
                    yield return line.With(damage, chain.Previous);
                }
                if (last == 0 && written != null)
                {
                    problems.Add(Lost(written, Messages.ReasonJournalEmpty));
                    yield break;
                }
                if (chain.Hashed && headReadable && !all.Any(m => m.Source == _store.FullPath(HeadPath)))
                {
                    problems.Add(Damaged(Messages.JournalHeadMissing.Format(_store.FullPath(RelativePath), _store.FullPath(HeadPath))));
                }
            }
            // A mark whose own line is reported damaged already is not reported again.
            var missed = all.Where((m, i) => m.Lines > 0 && !reached[i]).OrderByDescending(m => m.Lines).FirstOrDefault();
            if (missed != null && !damaged.Contains(missed.Lines))
            {
                problems.Add(missed.Lines > last
                    ? AtLine(Damaged(Messages.JournalLinesMissing.Format(_store.FullPath(RelativePath), last + 1, last, missed.Source, missed.Lines)), last + 1)
                    : DamagedLine(missed.Lines, Messages.ReasonJournalNotAsRecorded.Format(missed.Source)));
            }
        }

        /// <summary>
        /// <paramref name="length"/> bytes at <paramref name="offset"/>, where a listing saw them: lines never move,
        /// since the file is only appended to. Fewer bytes come back if the file was replaced by a shorter one.
        /// </summary>
        public byte[] ReadAt(long offset, int length)
        {
            try
            {
                using var stream = new FileStream(_store.FullPath(RelativePath), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(offset, SeekOrigin.Begin);
                var bytes = new byte[length];
                var read = 0;
                int got;
                while (read < length && (got = stream.Read(bytes, read, length - read)) > 0) read += got;
                if (read < length) Array.Resize(ref bytes, read);
                return bytes;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw _store.Corrupt(RelativePath, e.Message, e);
            }
        }

        /// <summary>The header: the first line, or nothing when the journal does not exist yet.</summary>
        public JournalLine? FirstLine()
        {
            foreach (var line in Read()) return line;
            return null;
        }

        /// <summary>The journal's head, or null when it has none (a journal written before heads, or none yet); StoreRecordCorrupt when unreadable.</summary>
        public JournalMark? ReadHead()
        {
            var path = _store.FullPath(HeadPath);
            if (!File.Exists(path) && !Directory.Exists(path)) return null;
            var head = _store.ReadJson<JournalMark>(HeadPath);
            if (!head.IsWellFormed) throw _store.Corrupt(HeadPath, Messages.ReasonJournalHeadMalformed, null);
            head.Source = path;
            return head;
        }

        /// <summary>Line <paramref name="lineNumber"/> of the journal is damaged: StoreRecordCorrupt naming the file and the line.</summary>
        public PkiException DamagedLine(int lineNumber, string reason, Exception? inner = null) =>
            AtLine(Damaged(Messages.JournalLineDamaged.Format(_store.FullPath(RelativePath), lineNumber, reason), inner), lineNumber);

        /// <summary>The journal line a problem is about, as <see cref="LineOf"/> reads it back (Test-PkiStore shows it).</summary>
        private static PkiException AtLine(PkiException problem, int lineNumber)
        {
            problem.Data[LineKey] = lineNumber;
            return problem;
        }

        private const string LineKey = "JournalLine";

        /// <summary>The journal line a problem names, or null.</summary>
        public static int? LineOf(PkiException problem) => problem.Data[LineKey] as int?;

        /// <summary>The journal as a whole is damaged: StoreRecordCorrupt with the file as its target.</summary>
        private PkiException Damaged(string message, Exception? inner = null) =>
            new PkiException(ErrorIds.StoreRecordCorrupt, PkiErrorKind.InvalidData, _store.FullPath(RelativePath), message, inner);

        /// <summary>The journal is gone, empty or a folder (<paramref name="what"/>) although <paramref name="written"/> records lines written to it.</summary>
        private PkiException Lost(JournalMark? written, string what) =>
            Damaged(written == null
                ? Messages.StoreRecordCorrupt.Format(_store.FullPath(RelativePath), what)
                : Messages.JournalLost.Format(_store.FullPath(RelativePath), what, written.Source, written.Lines));

        /// <summary>
        /// The chain at the end of what is already written, and the number of lines there. With a head, the line it ends
        /// at must carry its hash (else the journal was cut or replaced: StoreRecordCorrupt), and only lines past it are
        /// read; without one (a journal written before the chain), everything is read, once.
        /// </summary>
        private JournalChain Tail(FileStream stream, long end, JournalMark? head, out int count)
        {
            var from = 0L;
            count = 0;
            JournalChain chain;
            if (head != null && head.Lines > 0)
            {
                if (head.Length > end || !JournalChain.Same(LineEndingAt(stream, head.Length) ?? new byte[0], head.HashBytes()))
                {
                    throw Damaged(Messages.JournalNotAsHeadSays.Format(_store.FullPath(RelativePath), head.Source, head.Lines));
                }
                from = head.Length;
                count = head.Lines;
                chain = new JournalChain(head.HashBytes());
            }
            else
            {
                chain = new JournalChain();
            }
            if (from < end)
            {
                foreach (var line in ReadLines(stream, from, count + 1))
                {
                    chain.Verify(line.Buffer, line.Start, line.Length);
                    count = line.Number;
                }
            }
            if (head == null && chain.Hashed)
            {
                chain.Dispose();
                throw Damaged(Messages.JournalHeadMissing.Format(_store.FullPath(RelativePath), _store.FullPath(HeadPath)));
            }
            return chain;
        }

        /// <summary>The hash stored by the line that ends just before <paramref name="offset"/>, or null when no such line has one.</summary>
        private static byte[]? LineEndingAt(FileStream stream, long offset)
        {
            var chunk = new byte[4096];
            var collected = new List<byte[]>();
            var end = offset;
            while (end > 0)
            {
                var size = (int)Math.Min(chunk.Length, end);
                var piece = new byte[size];
                stream.Seek(end - size, SeekOrigin.Begin);
                var read = 0;
                while (read < size) read += stream.Read(piece, read, size - read);
                if (end == offset && piece[size - 1] != NewLine) return null;
                var searchFrom = end == offset ? size - 2 : size - 1;
                var newline = searchFrom < 0 ? -1 : Array.LastIndexOf(piece, NewLine, searchFrom);
                if (newline >= 0)
                {
                    collected.Insert(0, piece.Skip(newline + 1).ToArray());
                    break;
                }
                collected.Insert(0, piece);
                end -= size;
            }
            var line = collected.SelectMany(b => b).ToArray();
            return JournalChain.StoredHash(line, 0, line.Length - 1);
        }

        /// <summary>The complete lines of <paramref name="stream"/> from <paramref name="offset"/> on; a last line without its newline is left out.</summary>
        private static IEnumerable<JournalLine> ReadLines(FileStream stream, long offset, int firstLineNumber)
        {
            if (offset > stream.Length) yield break;
            stream.Seek(offset, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            var filled = 0;
            var lineNumber = firstLineNumber;
            while (true)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0) yield break; // what is left has no newline yet: unfinished
                var start = 0;
                var scanFrom = filled;
                filled += read;
                int end;
                while ((end = Array.IndexOf(buffer, NewLine, scanFrom, filled - scanFrom)) >= 0)
                {
                    offset += end - start + 1;
                    yield return new JournalLine(buffer, start, end - start, lineNumber++, offset);
                    start = end + 1;
                    scanFrom = start;
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }

        /// <summary>Readers share write and delete access: an append or a cut may happen while they read.</summary>
        private static FileStream OpenForReading(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

        /// <summary>A new journal, owner-only before its first byte, as every store file.</summary>
        private static FileStream CreateJournal(string path)
        {
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            try
            {
                FilePermissions.Restrict(path, FilePermissions.OwnerOnlyFile);
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The head: made atomically, with its folder synced, when it is new; afterwards replaced without the folder sync,
        /// since a head a power cut takes back only falls behind its journal, which is what every head may be.
        /// </summary>
        private void WriteHead(JournalMark mark, bool created) =>
            AtomicFile.Write(_store.FullPath(HeadPath), PkiStore.JsonLine(mark).Concat(new[] { NewLine }).ToArray(), syncFolder: created);

        /// <summary>Truncates an unfinished last line: it was never reported as written, so nothing returned is lost.</summary>
        private static void CutUnfinishedLine(FileStream stream)
        {
            var length = stream.Length;
            if (length == 0) return;
            var chunk = new byte[4096];
            var end = length;
            while (end > 0)
            {
                var size = (int)Math.Min(chunk.Length, end);
                stream.Seek(end - size, SeekOrigin.Begin);
                var read = 0;
                while (read < size) read += stream.Read(chunk, read, size - read);
                var last = Array.LastIndexOf(chunk, NewLine, size - 1, size);
                if (last >= 0)
                {
                    var keep = end - size + last + 1;
                    if (keep != length) stream.SetLength(keep);
                    return;
                }
                end -= size;
            }
            stream.SetLength(0);
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Best effort: the original failure is the one to report.
            }
        }
    }

    /// <summary>One complete line of a journal. Its bytes are valid only until the reader moves on.</summary>
    internal readonly struct JournalLine
    {
        public JournalLine(byte[] buffer, int start, int length, int number, long endOffset, string? damage = null, byte[]? hash = null)
        {
            Buffer = buffer;
            Start = start;
            Length = length;
            Number = number;
            EndOffset = endOffset;
            Damage = damage;
            Hash = hash;
        }

        public byte[] Buffer { get; }
        public int Start { get; }
        public int Length { get; }
        public int Number { get; }

        /// <summary>The file offset just past this line's newline: where the next read starts.</summary>
        public long EndOffset { get; }

        /// <summary>Why the line does not hold in the chain, when <see cref="Journal.ReadVerified"/> read it; null when it does.</summary>
        public string? Damage { get; }

        /// <summary>The line's hash in the chain, when <see cref="Journal.ReadVerified"/> read it.</summary>
        public byte[]? Hash { get; }

        public JournalLine With(string? damage, byte[] hash) => new JournalLine(Buffer, Start, Length, Number, EndOffset, damage, hash);
    }
}
