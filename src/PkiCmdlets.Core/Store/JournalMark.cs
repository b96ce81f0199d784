using System;
using Newtonsoft.Json;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// How far a journal reached at some moment: its number of lines, its length in bytes, and the hash of its last line
    /// (see <see cref="JournalChain"/>). A journal's head (<see cref="StoreLayout.JournalHead"/>) is one, rewritten after
    /// every append; a CRL's state keeps the one it was built from. A journal that no longer holds a line with that hash
    /// lost lines: they were cut off, or the journal was replaced.
    /// </summary>
    internal sealed class JournalMark
    {
        public int Lines { get; set; }
        public long Length { get; set; }
        public string Hash { get; set; } = string.Empty;

        /// <summary>The file that keeps this mark, which messages name.</summary>
        [JsonIgnore]
        public string Source { get; set; } = string.Empty;

        public static JournalMark Of(int lines, long length, byte[] hash) =>
            new JournalMark { Lines = lines, Length = length, Hash = Formats.Hex.Lower(hash) };

        /// <summary>Whether the values can be a mark at all; a file holding anything else is damaged.</summary>
        [JsonIgnore]
        public bool IsWellFormed =>
            Lines >= 0 && Length >= 0 && (Lines == 0) == (Length == 0) && Hash.Length == JournalChain.HashSize * 2
            && Array.TrueForAll(Hash.ToCharArray(), c => c >= '0' && c <= '9' || c >= 'a' && c <= 'f');

        public byte[] HashBytes() => Formats.Hex.Parse(Hash);
    }
}
