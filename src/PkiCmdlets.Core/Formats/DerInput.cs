using System.Collections.Generic;
using System.IO;
using Org.BouncyCastle.Asn1;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Formats
{
    /// <summary>
    /// The limits every ASN.1 input meets before a parser sees it. BouncyCastle's parser descends one call per level of
    /// nesting, and a stack overflow ends the process where nothing can catch it (40,000 nested SEQUENCEs do it), so
    /// <see cref="Check"/> walks the encoding first, without recursion and in one pass: at most <see cref="MaxBytes"/>
    /// bytes and <see cref="MaxDepth"/> levels. Levels count through what a parser reads again later: the content of an
    /// OCTET STRING, a BIT STRING or a primitive tagged value that itself is an encoding (an extension's value, a key
    /// inside PKCS#8, a PKCS#12 bag), and the joined segments of a constructed (BER) string. Anything else malformed is
    /// left to the parser, which stops there with its own error.
    /// </summary>
    internal static class DerInput
    {
        /// <summary>1 MiB: a request, a certificate, a key or a PFX is a few kilobytes; a chain file a few hundred at most.</summary>
        public const int MaxBytes = 1024 * 1024;

        /// <summary>
        /// Levels of nesting, counted through encapsulated encodings. The deepest structure we meet, a certificate policy's
        /// notice numbers inside a certificate inside a PKCS#12 bag, is about 30 levels down.
        /// </summary>
        public const int MaxDepth = 64;

        /// <summary>InputTooLarge or InputNestingTooDeep, naming <paramref name="source"/>, unless the encoding is within the limits.</summary>
        public static void Check(byte[] encoding, string source)
        {
            if (encoding.Length > MaxBytes) throw TooLarge(source, encoding.Length);
            if (!WithinDepth(encoding, MaxDepth))
            {
                throw new PkiException(ErrorIds.InputNestingTooDeep, PkiErrorKind.LimitsExceeded, source, Messages.InputNestingTooDeep.Format(source, MaxDepth));
            }
        }

        /// <summary>The ASN.1 object of <paramref name="encoding"/>, once <see cref="Check"/> has passed it.</summary>
        public static Asn1Object Read(byte[] encoding, string source)
        {
            Check(encoding, source);
            return Asn1Object.FromByteArray(encoding);
        }

        /// <summary>Whether <paramref name="e"/> is one of <see cref="Check"/>'s errors.</summary>
        public static bool IsLimit(System.Exception e) =>
            e is PkiException p && (p.ErrorId == ErrorIds.InputTooLarge || p.ErrorId == ErrorIds.InputNestingTooDeep);

        public static PkiException TooLarge(string source, long size) =>
            new PkiException(ErrorIds.InputTooLarge, PkiErrorKind.LimitsExceeded, source, Messages.InputTooLarge.Format(source, size, MaxBytes));

        /// <summary>Whether no value of <paramref name="encoding"/> lies deeper than <paramref name="limit"/> levels.</summary>
        internal static bool WithinDepth(byte[] encoding, int limit)
        {
            var pending = new Queue<Region>();
            pending.Enqueue(new Region(encoding, 0, encoding.Length, 0));
            while (pending.Count > 0)
            {
                if (!new Walk(pending.Dequeue(), limit, pending).WithinDepth()) return false;
            }
            return true;
        }

        /// <summary>Bytes that are, or perhaps are, an encoding, and the depth their outermost values lie at.</summary>
        private readonly struct Region
        {
            public Region(byte[] bytes, int start, int end, int depth)
            {
                Bytes = bytes;
                Start = start;
                End = end;
                Depth = depth;
            }

            public byte[] Bytes { get; }
            public int Start { get; }
            public int End { get; }
            public int Depth { get; }
        }

        /// <summary>
        /// One pass over one region's headers (never over a primitive value's content): a stack of the values it is inside,
        /// and the regions found in strings, to walk next. A malformed header ends the pass: a parser stops there too, and
        /// a string's content that does not parse was not an encoding.
        /// </summary>
        private sealed class Walk
        {
            private const int Indefinite = -1;

            private readonly byte[] _bytes;
            private readonly Region _region;
            private readonly int _limit;
            private readonly Queue<Region> _pending;
            private readonly List<Frame> _frames = new List<Frame>();
            private MemoryStream? _joined;
            private int _position;

            public Walk(Region region, int limit, Queue<Region> pending)
            {
                _bytes = region.Bytes;
                _region = region;
                _limit = limit;
                _pending = pending;
                _position = region.Start;
            }

            public bool WithinDepth()
            {
                _frames.Add(new Frame(_region.End, _region.End, _region.Depth, joins: false, bitString: false));
                while (_frames.Count > 0)
                {
                    var frame = _frames[_frames.Count - 1];
                    if (frame.End != Indefinite && _position == frame.End)
                    {
                        Close();
                        continue;
                    }
                    if (frame.End == Indefinite && _position + 1 < frame.Bound && _bytes[_position] == 0 && _bytes[_position + 1] == 0)
                    {
                        _position += 2;
                        Close();
                        continue;
                    }
                    if (!ReadHeader(frame.Bound, out var tag, out var headerLength, out var length)) return true;
                    var content = _position + headerLength;
                    var universal = (tag & 0xC0) == 0;
                    var number = tag & 0x1F;
                    if ((tag & 0x20) != 0)
                    {
                        if (frame.Depth + 1 > _limit) return false;
                        var joins = universal && (number == 3 || number == 4);
                        if (joins && _joined == null) _joined = new MemoryStream();
                        var end = length == Indefinite ? Indefinite : content + length;
                        _frames.Add(new Frame(end, length == Indefinite ? frame.Bound : end, frame.Depth + 1, joins, universal && number == 3));
                        _position = content;
                        continue;
                    }
                    _position = content + length;
                    if (InsideJoin(out var bitString))
                    {
                        var skip = bitString && length > 0 ? 1 : 0;
                        _joined!.Write(_bytes, content + skip, length - skip);
                    }
                    else if (universal && number == 3)
                    {
                        if (length > 2 && _bytes[content] == 0) _pending.Enqueue(new Region(_bytes, content + 1, content + length, frame.Depth + 1));
                    }
                    else if ((universal && number == 4) || !universal)
                    {
                        if (length >= 2) _pending.Enqueue(new Region(_bytes, content, content + length, frame.Depth + 1));
                    }
                }
                return true;
            }

            private bool InsideJoin(out bool bitString)
            {
                bitString = false;
                for (var i = _frames.Count - 1; i >= 0; i--)
                {
                    if (_frames[i].Joins)
                    {
                        bitString = _frames[i].BitString;
                        return true;
                    }
                }
                return false;
            }

            /// <summary>Leaves the innermost value; the outermost constructed string hands on its joined content.</summary>
            private void Close()
            {
                var frame = _frames[_frames.Count - 1];
                _frames.RemoveAt(_frames.Count - 1);
                if (frame.Joins && !InsideJoin(out _))
                {
                    var joined = _joined!.ToArray();
                    _joined = null;
                    if (joined.Length >= 2) _pending.Enqueue(new Region(joined, 0, joined.Length, frame.Depth + 1));
                }
            }

            /// <summary>An identifier and a length as BER allows them (and BouncyCastle reads them), within <paramref name="bound"/>.</summary>
            private bool ReadHeader(int bound, out int tag, out int headerLength, out int length)
            {
                tag = 0;
                headerLength = 0;
                length = 0;
                var at = _position;
                if (at >= bound) return false;
                tag = _bytes[at++];
                if ((tag & 0x1F) == 0x1F)
                {
                    // High tag number: base-128 digits, the first not 0x80, at most four of them.
                    var digits = 0;
                    do
                    {
                        if (at >= bound || digits == 4 || (digits == 0 && _bytes[at] == 0x80)) return false;
                        digits++;
                    }
                    while ((_bytes[at++] & 0x80) != 0);
                }
                if (at >= bound) return false;
                int first = _bytes[at++];
                if (first == 0x80)
                {
                    if ((tag & 0x20) == 0) return false;
                    length = Indefinite;
                }
                else if (first < 0x80)
                {
                    length = first;
                }
                else
                {
                    var count = first & 0x7F;
                    if (count > 4 || at + count > bound) return false;
                    long value = 0;
                    for (var i = 0; i < count; i++) value = (value << 8) | _bytes[at++];
                    if (value > int.MaxValue) return false;
                    length = (int)value;
                }
                if (tag == 0 && length == 0) return false; // an end-of-contents where no indefinite value is open
                headerLength = at - _position;
                return length == Indefinite || (long)at + length <= bound;
            }

            private readonly struct Frame
            {
                public Frame(int end, int bound, int depth, bool joins, bool bitString)
                {
                    End = end;
                    Bound = bound;
                    Depth = depth;
                    Joins = joins;
                    BitString = bitString;
                }

                /// <summary>Where the value's content ends, or <see cref="Indefinite"/> until its end-of-contents.</summary>
                public int End { get; }

                /// <summary>How far its content may reach: its end, or for an indefinite value its container's bound.</summary>
                public int Bound { get; }

                public int Depth { get; }

                /// <summary>A constructed OCTET STRING or BIT STRING, whose segments' content is joined.</summary>
                public bool Joins { get; }

                public bool BitString { get; }
            }
        }
    }
}
