using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// The hash chain of a journal. A line is a JSON object, optionally followed by a tab and a payload; the object's last
    /// property is "hash", the lower-case hex SHA-256 of the previous line's hash and of this line without its hash field
    /// (which is the line as versions before the chain wrote it, and still read it). The first line chains from 32 zero
    /// bytes. A line without the field, written before the chain, gets the same hash, computed: the first hashed line
    /// vouches for every line before it. One SHA-256 over each line, and the last hash kept, so an append never rereads
    /// the journal.
    /// </summary>
    internal sealed class JournalChain : IDisposable
    {
        public const int HashSize = 32;

        private const byte Tab = (byte)'\t';

        private static readonly byte[] FieldPrefix = Encoding.ASCII.GetBytes(",\"hash\":\"");

        /// <summary>The length of the field: ,"hash":"&lt;64 hex&gt;".</summary>
        public static readonly int FieldLength = FieldPrefix.Length + HashSize * 2 + 1;

        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        /// <summary>Whether the line before could not tell what it chained to (damaged where its hash is): the next is taken as it says.</summary>
        private bool _previousUnknown;

        /// <summary>
        /// When the line before did not hold, the hash it should have stored: the next line may chain to it (that line's
        /// hash was what changed) or to the stored one (its content was), so that one changed line is one damaged line.
        /// </summary>
        private byte[]? _alternative;

        /// <param name="previous">The hash of the line before the next one; none for a new journal.</param>
        public JournalChain(byte[]? previous = null)
        {
            Previous = previous ?? new byte[HashSize];
        }

        /// <summary>The hash the next line chains to: the last line's, as it stores it or, for a line without one, as computed.</summary>
        public byte[] Previous { get; private set; }

        /// <summary>Whether a line with a hash has been seen: after one, every line has one.</summary>
        public bool Hashed { get; private set; }

        /// <summary>Writes <paramref name="content"/> (a line without its hash and newline) to <paramref name="output"/> with its hash, and moves on.</summary>
        public void Write(Stream output, byte[] content)
        {
            var close = JsonEnd(content, 0, content.Length) - 1;
            if (close < 1 || content[close] != (byte)'}') throw new ArgumentException("A journal line begins with a JSON object.", nameof(content));
            var hash = Next(content, 0, close, close, content.Length - close);
            output.Write(content, 0, close);
            output.Write(FieldPrefix, 0, FieldPrefix.Length);
            var hex = Encoding.ASCII.GetBytes(Formats.Hex.Lower(hash));
            output.Write(hex, 0, hex.Length);
            output.WriteByte((byte)'"');
            output.Write(content, close, content.Length - close);
            Previous = hash;
            Hashed = true;
        }

        /// <summary>Checks a line read from the journal against the one before and moves on: null when it holds, else why not.</summary>
        public string? Verify(byte[] buffer, int start, int length)
        {
            var field = FieldStart(buffer, start, length);
            if (field < 0)
            {
                Previous = Next(buffer, start, length, start + length, 0);
                _alternative = null;
                if (!Hashed) return null;
                _previousUnknown = true;
                return Messages.ReasonJournalHashMissing;
            }
            var after = field + FieldLength;
            var stored = ParseHex(buffer, field + FieldPrefix.Length);
            var expected = Next(buffer, start, field - start, after, start + length - after);
            var holds = _previousUnknown || Same(stored, expected);
            if (!holds && _alternative != null)
            {
                Previous = _alternative;
                holds = Same(stored, Next(buffer, start, field - start, after, start + length - after));
            }
            Previous = stored;
            Hashed = true;
            _previousUnknown = false;
            _alternative = holds ? null : expected;
            return holds ? null : Messages.ReasonJournalHashMismatch;
        }

        /// <summary>The hash a line stores, or null when it has none.</summary>
        public static byte[]? StoredHash(byte[] buffer, int start, int length)
        {
            var field = FieldStart(buffer, start, length);
            return field < 0 ? null : ParseHex(buffer, field + FieldPrefix.Length);
        }

        public static bool Same(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            var difference = 0;
            for (var i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }

        public void Dispose() => _sha.Dispose();

        /// <summary>SHA-256 of <see cref="Previous"/>, then two ranges of <paramref name="buffer"/>: the line around its hash field.</summary>
        private byte[] Next(byte[] buffer, int first, int firstLength, int second, int secondLength)
        {
            _sha.AppendData(Previous);
            _sha.AppendData(buffer, first, firstLength);
            if (secondLength > 0) _sha.AppendData(buffer, second, secondLength);
            return _sha.GetHashAndReset();
        }

        /// <summary>Where the JSON object ends: at the tab before the payload, or at the end of the line.</summary>
        private static int JsonEnd(byte[] buffer, int start, int length)
        {
            var tab = Array.IndexOf(buffer, Tab, start, length);
            return tab < 0 ? start + length : tab;
        }

        /// <summary>Where the hash field begins, when the object's last property is one (,"hash":"&lt;64 lower-case hex&gt;"}); else -1.</summary>
        private static int FieldStart(byte[] buffer, int start, int length)
        {
            var end = JsonEnd(buffer, start, length);
            var field = end - 1 - FieldLength;
            if (field <= start || buffer[end - 1] != (byte)'}' || buffer[end - 2] != (byte)'"') return -1;
            for (var i = 0; i < FieldPrefix.Length; i++)
            {
                if (buffer[field + i] != FieldPrefix[i]) return -1;
            }
            for (var i = field + FieldPrefix.Length; i < end - 2; i++)
            {
                var c = buffer[i];
                if (!(c >= (byte)'0' && c <= (byte)'9' || c >= (byte)'a' && c <= (byte)'f')) return -1;
            }
            return field;
        }

        private static byte[] ParseHex(byte[] buffer, int offset)
        {
            var bytes = new byte[HashSize];
            for (var i = 0; i < HashSize; i++)
            {
                bytes[i] = (byte)(Nibble(buffer[offset + 2 * i]) << 4 | Nibble(buffer[offset + 2 * i + 1]));
            }
            return bytes;
        }

        private static int Nibble(byte c) => c <= (byte)'9' ? c - '0' : c - 'a' + 10;
    }
}
