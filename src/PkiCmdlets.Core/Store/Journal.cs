using System;
using System.Collections.Generic;
using System.IO;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// An append-only file of records, one per line, for state that grows with every command (issued
    /// certificates and their revocations). Appending costs one durable write however large the file has
    /// grown, where rewriting an index costs a write of everything. A record is on disk when
    /// <see cref="Append"/> returns; a line without its newline is an append that never finished (the
    /// process died mid-write), which readers pass over and the next append cuts off.
    /// </summary>
    internal sealed class Journal
    {
        private const byte NewLine = (byte)'\n';

        private readonly PkiStore _store;

        public Journal(PkiStore store, string relativePath)
        {
            _store = store;
            RelativePath = relativePath;
        }

        public string RelativePath { get; }

        public bool Exists => _store.Exists(RelativePath);

        /// <summary>
        /// Appends <paramref name="lines"/> (UTF-8, without newlines) and flushes them to disk once, all together.
        /// The caller holds the store lock. A new journal starts with <paramref name="header"/>, written atomically.
        /// </summary>
        public void Append(byte[] header, IReadOnlyList<byte[]> lines)
        {
            var path = _store.FullPath(RelativePath);
            var created = !File.Exists(path);
            if (created)
            {
                _store.WriteFile(RelativePath, WithNewLine(header));
            }
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
                CutUnfinishedLine(stream);
                var end = stream.Seek(0, SeekOrigin.End);
                try
                {
                    var buffer = new MemoryStream();
                    foreach (var line in lines)
                    {
                        buffer.Write(line, 0, line.Length);
                        buffer.WriteByte(NewLine);
                    }
                    buffer.WriteTo(stream);
                    BeforeFlush?.Invoke(path);
                    stream.Flush(flushToDisk: true);
                }
                catch
                {
                    // The caller reports a failure, so nothing of this append may count as written.
                    stream.SetLength(end);
                    stream.Flush(flushToDisk: true);
                    throw;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                if (created) TryDelete(path);
                throw _store.NotWritable(e);
            }
        }

        /// <summary>Test seam: runs after the lines are written and before they are flushed to disk.</summary>
        internal static Action<string>? BeforeFlush;

        /// <summary>
        /// The complete lines from byte <paramref name="offset"/> on (0 is the header), each with its line number
        /// (1-based, counted from <paramref name="firstLineNumber"/>) and the offset just past it.
        /// </summary>
        public IEnumerable<JournalLine> Read(long offset = 0, int firstLineNumber = 1)
        {
            var path = _store.FullPath(RelativePath);
            if (!File.Exists(path)) yield break;
            FileStream stream;
            try
            {
                // Readers share write and delete access: an append or a cut may happen while they read.
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw _store.Corrupt(RelativePath, e.Message, e);
            }
            using (stream)
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
                // Best effort: an empty journal reads as no records; the original failure is the one to report.
            }
        }

        private static byte[] WithNewLine(byte[] line)
        {
            var result = new byte[line.Length + 1];
            Buffer.BlockCopy(line, 0, result, 0, line.Length);
            result[line.Length] = NewLine;
            return result;
        }
    }

    /// <summary>One complete line of a journal. Its bytes are valid only until the reader moves on.</summary>
    internal readonly struct JournalLine
    {
        public JournalLine(byte[] buffer, int start, int length, int number, long endOffset)
        {
            Buffer = buffer;
            Start = start;
            Length = length;
            Number = number;
            EndOffset = endOffset;
        }

        public byte[] Buffer { get; }
        public int Start { get; }
        public int Length { get; }
        public int Number { get; }

        /// <summary>The file offset just past this line's newline: where the next read starts.</summary>
        public long EndOffset { get; }
    }
}
