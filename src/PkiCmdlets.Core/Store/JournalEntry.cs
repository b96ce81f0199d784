using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Newtonsoft.Json;
using PkiCmdlets.Core.Revocation;

namespace PkiCmdlets.Core.Store
{
    /// <summary>The first line of an issuer's journal: what the file is, and its format version.</summary>
    internal sealed class JournalHeader
    {
        public const string Name = "issued-certificates";

        public string? Journal { get; set; }
        public int FormatVersion { get; set; }
    }

    /// <summary>
    /// The JSON of one journal line: a certificate issued, or one revoked. Written with the store's serializer;
    /// read token by token, which is several times faster than the reflection-based serializer and is what keeps
    /// a listing of 100,000 certificates under a second. Unknown properties are passed over, as the serializer would.
    /// </summary>
    internal sealed class JournalEntry
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (.NET Core 3.0 and later; ignored by .NET Framework, whose
        /// netstandard2.0 surface lacks the name): these methods run once per journal line, so the first listing of a
        /// session would otherwise spend most of its time in the JIT's unoptimised first tier.
        /// </summary>
        internal const MethodImplOptions OptimizeAtOnce = (MethodImplOptions)512;

        public const string Issued = "issued";
        public const string Revoked = "revoked";

        /// <summary>A certificate renewed: <see cref="Identifier"/> is the old one, <see cref="ReplacedBy"/> the new one.</summary>
        public const string Replaced = "replaced";

        public string? Op { get; set; }
        public IssuedRecord? Certificate { get; set; }
        public string? Identifier { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
        public RevocationReason? RevocationReason { get; set; }
        public string? ReplacedBy { get; set; }

        /// <summary>
        /// Reads the identifier and serial number of an issue line without parsing it, when the line begins as the
        /// store writes it ({"op":"issued","certificate":{"identifier":"…","serialNumber":"…"). Finding a few
        /// certificates, a CRL's serial numbers, or the serials in use then parses no other line. False for any other
        /// beginning (a line edited by hand, say), which the caller parses in full.
        /// </summary>
        [MethodImpl(OptimizeAtOnce)]
        public static bool TryReadKey(byte[] buffer, int start, int length, out string identifier, out string serialNumber)
        {
            identifier = serialNumber = string.Empty;
            var end = start + length;
            var position = start;
            return Expect(buffer, ref position, end, IssuedPrefix) && ReadPlain(buffer, ref position, end, out identifier)
                && Expect(buffer, ref position, end, SerialInfix) && ReadPlain(buffer, ref position, end, out serialNumber);
        }

        /// <summary>
        /// Reads a revocation line without the JSON parser when it is exactly as the store writes it
        /// ({"op":"revoked","identifier":"…","revokedAt":"…","revocationReason":n,"hash":"…"}, the hash only since the
        /// journal's chain); null otherwise, for the parser.
        /// A CRL of 100,000 entries reads as many of these lines.
        /// </summary>
        [MethodImpl(OptimizeAtOnce)]
        public static JournalEntry? TryReadRevocation(byte[] buffer, int start, int length)
        {
            var end = start + length;
            var position = start;
            if (!Expect(buffer, ref position, end, RevokedPrefix) || !ReadPlain(buffer, ref position, end, out var identifier)
                || !Expect(buffer, ref position, end, RevokedAtInfix)) return null;
            var dateStart = position;
            while (position < end && buffer[position] != (byte)'"') position++;
            if (position == end) return null;
            var date = Encoding.ASCII.GetString(buffer, dateStart, position - dateStart);
            if (!DateTimeOffset.TryParseExact(date, "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var revokedAt)) return null;
            position++;
            int? reason = null;
            if (Expect(buffer, ref position, end, ReasonInfix))
            {
                var digitsStart = position;
                var value = 0;
                while (position < end && buffer[position] >= (byte)'0' && buffer[position] <= (byte)'9' && position - digitsStart < 3) value = value * 10 + buffer[position++] - '0';
                if (position == digitsStart) return null;
                reason = value;
            }
            // The line's hash in the journal's chain may close the object (checked by the chain, not here).
            if (end - position == JournalChain.FieldLength + 1 && Expect(buffer, ref position, end, HashInfix)) position = end - 1;
            if (position != end - 1 || buffer[position] != (byte)'}') return null;
            if (reason.HasValue && !Enum.IsDefined(typeof(RevocationReason), reason.Value)) return null;
            return new JournalEntry { Op = Revoked, Identifier = identifier, RevokedAt = revokedAt, RevocationReason = (RevocationReason?)reason };
        }

        private static readonly byte[] RevokedPrefix = Encoding.ASCII.GetBytes("{\"op\":\"revoked\",\"identifier\":\"");
        private static readonly byte[] RevokedAtInfix = Encoding.ASCII.GetBytes("\",\"revokedAt\":\"");
        private static readonly byte[] ReasonInfix = Encoding.ASCII.GetBytes(",\"revocationReason\":");
        private static readonly byte[] IssuedPrefix = Encoding.ASCII.GetBytes("{\"op\":\"issued\",\"certificate\":{\"identifier\":\"");
        private static readonly byte[] SerialInfix = Encoding.ASCII.GetBytes("\",\"serialNumber\":\"");
        private static readonly byte[] HashInfix = Encoding.ASCII.GetBytes(",\"hash\":\"");

        private static bool Expect(byte[] buffer, ref int position, int end, byte[] expected)
        {
            if (end - position < expected.Length) return false;
            for (var i = 0; i < expected.Length; i++)
            {
                if (buffer[position + i] != expected[i]) return false;
            }
            position += expected.Length;
            return true;
        }

        /// <summary>Letters and digits up to the closing quote (identifiers and serials are hex; anything else is left to the parser).</summary>
        private static bool ReadPlain(byte[] buffer, ref int position, int end, out string value)
        {
            var first = position;
            while (position < end && buffer[position] != (byte)'"')
            {
                var b = buffer[position];
                if (!(b >= (byte)'0' && b <= (byte)'9' || b >= (byte)'a' && b <= (byte)'z' || b >= (byte)'A' && b <= (byte)'Z')) break;
                position++;
            }
            value = Encoding.ASCII.GetString(buffer, first, position - first);
            return position < end && buffer[position] == (byte)'"' && position > first;
        }

        /// <summary>
        /// Parses lines one after another with the same character buffers, so that reading a journal of 100,000 lines
        /// makes little garbage besides the records it keeps (garbage collection was most of a large listing's time).
        /// </summary>
        internal sealed class Parser : IArrayPool<char>
        {
            private char[] _chars = new char[2048];
            private char[]? _pooled;

            /// <exception cref="JsonException">The line is not a journal entry's JSON.</exception>
            [MethodImpl(OptimizeAtOnce)]
            public JournalEntry Parse(byte[] buffer, int start, int length)
            {
                using var reader = Reader(buffer, start, length);
                return Guarded(() => ReadEntry(reader));
            }

            /// <exception cref="JsonException">The line is not a journal header's JSON.</exception>
            public JournalHeader ParseHeader(byte[] buffer, int start, int length)
            {
                using var reader = Reader(buffer, start, length);
                return Guarded(() => ReadHeader(reader));
            }

            /// <summary>Whatever else a damaged line makes the reader throw is a JsonException too, which callers report as the damaged line it is.</summary>
            private static T Guarded<T>(Func<T> read)
            {
                try
                {
                    return read();
                }
                catch (Exception e) when (Errors.Malformed.Is(e) && !(e is JsonException))
                {
                    throw new JsonSerializationException(Errors.Malformed.Reason(e, Messages.ReasonDerDamaged), e);
                }
            }

            char[] IArrayPool<char>.Rent(int minimumLength)
            {
                var array = _pooled != null && _pooled.Length >= minimumLength ? _pooled : new char[minimumLength];
                _pooled = null;
                return array;
            }

            void IArrayPool<char>.Return(char[]? array) => _pooled = array;

            private JsonTextReader Reader(byte[] buffer, int start, int length)
            {
                var needed = Encoding.UTF8.GetMaxCharCount(length);
                if (_chars.Length < needed) _chars = new char[needed];
                var count = Encoding.UTF8.GetChars(buffer, start, length, _chars, 0);
                return new JsonTextReader(new CharsReader(_chars, count)) { DateParseHandling = DateParseHandling.DateTimeOffset, ArrayPool = this };
            }
        }

        [MethodImpl(OptimizeAtOnce)]
        private static JournalEntry ReadEntry(JsonTextReader reader)
        {
            var entry = new JournalEntry();
            ReadObject(reader, name =>
            {
                switch (name)
                {
                    case "op": entry.Op = ReadString(reader); break;
                    case "certificate": entry.Certificate = ReadRecord(reader); break;
                    case "identifier": entry.Identifier = ReadString(reader); break;
                    case "revokedAt": entry.RevokedAt = ReadDate(reader); break;
                    case "revocationReason": entry.RevocationReason = ReadReason(reader); break;
                    case "replacedBy": entry.ReplacedBy = ReadString(reader); break;
                    default: reader.Skip(); break;
                }
            });
            return entry;
        }

        private static JournalHeader ReadHeader(JsonTextReader reader)
        {
            var header = new JournalHeader();
            ReadObject(reader, name =>
            {
                switch (name)
                {
                    case "journal": header.Journal = ReadString(reader); break;
                    case "formatVersion": header.FormatVersion = ReadInt(reader) ?? 0; break;
                    default: reader.Skip(); break;
                }
            });
            return header;
        }

        [MethodImpl(OptimizeAtOnce)]
        private static IssuedRecord ReadRecord(JsonTextReader reader)
        {
            var record = new IssuedRecord();
            ReadObject(reader, name =>
            {
                switch (name)
                {
                    case "identifier": record.Identifier = ReadString(reader) ?? string.Empty; break;
                    case "serialNumber": record.SerialNumber = ReadString(reader) ?? string.Empty; break;
                    case "subject": record.Subject = ReadString(reader) ?? string.Empty; break;
                    case "commonName": record.CommonName = ReadString(reader) ?? string.Empty; break;
                    case "dnsNames": record.DnsNames = ReadStrings(reader) ?? new List<string>(); break;
                    case "ipAddresses": record.IpAddresses = ReadStrings(reader) ?? new List<string>(); break;
                    case "emailAddresses": record.EmailAddresses = ReadStrings(reader); break;
                    case "userPrincipalNames": record.UserPrincipalNames = ReadStrings(reader); break;
                    case "uris": record.Uris = ReadStrings(reader); break;
                    case "algorithm": record.Algorithm = ReadString(reader) ?? string.Empty; break;
                    case "notBefore": record.NotBefore = ReadDate(reader) ?? default; break;
                    case "notAfter": record.NotAfter = ReadDate(reader) ?? default; break;
                    case "thumbprint": record.Thumbprint = ReadString(reader) ?? string.Empty; break;
                    case "csrId": record.CsrId = ReadInt(reader); break;
                    case "issuedAt": record.IssuedAt = ReadDate(reader) ?? default; break;
                    case "revokedAt": record.RevokedAt = ReadDate(reader); break;
                    case "revocationReason": record.RevocationReason = ReadReason(reader); break;
                    case "issuerName": record.IssuerName = ReadString(reader); break;
                    case "chain": record.Chain = ReadStrings(reader); break;
                    case "profile": record.Profile = ReadString(reader); break;
                    case "replaces": record.Replaces = ReadString(reader); break;
                    case "replacedBy": record.ReplacedBy = ReadString(reader); break;
                    default: reader.Skip(); break;
                }
            });
            if (record.Identifier.Length == 0 || record.SerialNumber.Length == 0)
            {
                throw new JsonSerializationException(Messages.ReasonJournalNoKey);
            }
            return record;
        }

        /// <summary>Reads the object the reader is at (or, at the start, the next token), calling <paramref name="property"/> on each property name.</summary>
        [MethodImpl(OptimizeAtOnce)]
        private static void ReadObject(JsonTextReader reader, Action<string> property)
        {
            if (reader.TokenType == JsonToken.None) reader.Read();
            if (reader.TokenType != JsonToken.StartObject) throw new JsonSerializationException(Messages.ReasonJournalNotObject.Format(reader.TokenType));
            while (Next(reader) == JsonToken.PropertyName)
            {
                var name = (string)reader.Value!;
                Next(reader);
                property(name);
            }
            if (reader.TokenType != JsonToken.EndObject) throw new JsonSerializationException(Messages.ReasonJournalObjectNotClosed);
        }

        private static JsonToken Next(JsonTextReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonSerializationException(Messages.ReasonJournalLineEnds);

        private static string? ReadString(JsonTextReader reader) => reader.TokenType switch
        {
            JsonToken.String => (string)reader.Value!,
            JsonToken.Null => null,
            _ => throw new JsonSerializationException(Messages.ReasonJournalStringExpected.Format(reader.Path)),
        };

        private static int? ReadInt(JsonTextReader reader) => reader.TokenType switch
        {
            JsonToken.Integer when reader.Value is long value && value >= int.MinValue && value <= int.MaxValue => (int)value,
            JsonToken.Null => null,
            _ => throw new JsonSerializationException(Messages.ReasonJournalNumberExpected.Format(reader.Path)),
        };

        private static RevocationReason? ReadReason(JsonTextReader reader)
        {
            var value = ReadInt(reader);
            if (value.HasValue && !Enum.IsDefined(typeof(RevocationReason), value.Value))
            {
                throw new JsonSerializationException(Messages.ReasonJournalNumberExpected.Format(reader.Path));
            }
            return (RevocationReason?)value;
        }

        private static DateTimeOffset? ReadDate(JsonTextReader reader) => reader.TokenType switch
        {
            JsonToken.Date => reader.Value is DateTimeOffset offset ? offset : new DateTimeOffset((DateTime)reader.Value!),
            JsonToken.Null => null,
            _ => throw new JsonSerializationException(Messages.ReasonJournalDateExpected.Format(reader.Path)),
        };

        [MethodImpl(OptimizeAtOnce)]
        private static List<string>? ReadStrings(JsonTextReader reader)
        {
            if (reader.TokenType == JsonToken.Null) return null;
            if (reader.TokenType != JsonToken.StartArray) throw new JsonSerializationException(Messages.ReasonJournalListExpected.Format(reader.Path));
            var values = new List<string>();
            while (Next(reader) != JsonToken.EndArray)
            {
                values.Add(ReadString(reader) ?? throw new JsonSerializationException(Messages.ReasonJournalListNull.Format(reader.Path)));
            }
            return values;
        }
    }

    /// <summary>A TextReader over the first <c>count</c> characters of an array, which it does not copy.</summary>
    internal sealed class CharsReader : TextReader
    {
        private readonly char[] _chars;
        private readonly int _count;
        private int _position;

        public CharsReader(char[] chars, int count)
        {
            _chars = chars;
            _count = count;
        }

        public override int Peek() => _position < _count ? _chars[_position] : -1;

        public override int Read() => _position < _count ? _chars[_position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(count, _count - _position);
            Array.Copy(_chars, _position, buffer, index, n);
            _position += n;
            return n;
        }
    }
}
