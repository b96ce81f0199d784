using System;
using System.Globalization;
using System.Text;

namespace PkiCmdlets.Core.Requests
{
    /// <summary>
    /// Whether a label with characters beyond ASCII is an IDNA 2008 U-label (RFC 5891, RFC 5892), checked before it is
    /// converted: the platform's converter follows UTS #46, which maps some characters to others or to nothing
    /// (exa&lt;U+200B&gt;mple becomes example), and a certificate must name what was asked for, not something else. Each
    /// code point must be PVALID by RFC 5892's derivation (a lower-case letter, a digit or a mark that normalization leaves
    /// as it is, outside the blocks and properties it excludes, with its exceptions), or CONTEXTO in its context;
    /// CONTEXTJ (the joiners U+200C, U+200D) is refused. The label must be in normalization form C, must not start with a
    /// combining mark, and a label with right-to-left letters must not hold left-to-right ones (the core of RFC 5893).
    /// </summary>
    internal static class Idna2008
    {
        /// <summary>Why <paramref name="label"/> (lower case) is not a U-label, or null when it is one.</summary>
        public static string? Problem(string label)
        {
            if (!label.IsNormalized(NormalizationForm.FormC)) return Messages.IdnaReasonNotNfc;
            var rightToLeft = false;
            var leftToRight = false;
            var arabicIndic = false;
            var extendedArabicIndic = false;
            for (var i = 0; i < label.Length; i += char.IsSurrogatePair(label, i) ? 2 : 1)
            {
                if (char.IsSurrogate(label[i]) && !char.IsSurrogatePair(label, i)) return Messages.IdnaReasonDisallowed.Format(CodePoint(label[i]));
                var codePoint = char.ConvertToUtf32(label, i);
                var category = CharUnicodeInfo.GetUnicodeCategory(label, i);
                if (i == 0 && (category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.SpacingCombiningMark || category == UnicodeCategory.EnclosingMark))
                {
                    return Messages.IdnaReasonLeadingMark;
                }
                if (codePoint == 0x200C || codePoint == 0x200D) return Messages.IdnaReasonJoiner.Format(CodePoint(codePoint));
                var context = Contextual(label, i, codePoint);
                if (context == false) return Messages.IdnaReasonContext.Format(CodePoint(codePoint));
                if (context == null && !Valid(codePoint, category, char.ConvertFromUtf32(codePoint))) return Messages.IdnaReasonDisallowed.Format(CodePoint(codePoint));
                if (IsRightToLeft(codePoint)) rightToLeft = true;
                else if (char.IsLetter(label, i)) leftToRight = true;
                if (codePoint >= 0x0660 && codePoint <= 0x0669) arabicIndic = true;
                if (codePoint >= 0x06F0 && codePoint <= 0x06F9) extendedArabicIndic = true;
            }
            if (arabicIndic && extendedArabicIndic) return Messages.IdnaReasonContext.Format("U+0660..U+0669 with U+06F0..U+06F9");
            if (rightToLeft && (leftToRight || !IsRightToLeft(char.ConvertToUtf32(label, 0)))) return Messages.IdnaReasonBidi;
            if (label.Length >= 4 && label[2] == '-' && label[3] == '-') return Messages.IdnaReasonHyphens;
            return null;
        }

        /// <summary>PVALID by RFC 5892 §2: LetterDigits, stable under case folding and NFKC, outside the excluded sets.</summary>
        private static bool Valid(int codePoint, UnicodeCategory category, string text)
        {
            if (codePoint < 0x80) return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= '0' && codePoint <= '9') || codePoint == '-';
            switch (codePoint)
            {
                // Exceptions (F): PVALID whatever their properties say.
                case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:
                    return true;
                // Exceptions (F): DISALLOWED.
                case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033: case 0x3034: case 0x3035: case 0x303B:
                // Default-ignorable letters (fillers, Khmer inherent vowels): IgnorableProperties (C).
                case 0x115F: case 0x1160: case 0x3164: case 0xFFA0: case 0x17B4: case 0x17B5:
                    return false;
            }
            if ((codePoint >= 0x1100 && codePoint <= 0x11FF) || (codePoint >= 0xA960 && codePoint <= 0xA97F) || (codePoint >= 0xD7B0 && codePoint <= 0xD7FF))
            {
                return false; // OldHangulJamo (I)
            }
            if ((codePoint >= 0x20D0 && codePoint <= 0x20FF) || (codePoint >= 0x1D100 && codePoint <= 0x1D24F))
            {
                return false; // IgnorableBlocks (D): combining marks for symbols, musical symbols
            }
            var letterDigit = category == UnicodeCategory.LowercaseLetter || category == UnicodeCategory.OtherLetter || category == UnicodeCategory.ModifierLetter
                || category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.SpacingCombiningMark || category == UnicodeCategory.DecimalDigitNumber;
            // Unstable (B): what case folding or compatibility normalization changes (upper case, ligatures, full-width forms).
            return letterDigit && text.ToLowerInvariant() == text && text.Normalize(NormalizationForm.FormKC) == text;
        }

        /// <summary>For a CONTEXTO code point (RFC 5892 Appendix A): whether its context allows it; null for every other code point.</summary>
        private static bool? Contextual(string label, int index, int codePoint)
        {
            switch (codePoint)
            {
                case 0x00B7: // MIDDLE DOT: between two l (Catalan l·l)
                    return index > 0 && index + 1 < label.Length && label[index - 1] == 'l' && label[index + 1] == 'l';
                case 0x0375: // GREEK LOWER NUMERAL SIGN: followed by a Greek letter
                    return index + 1 < label.Length && label[index + 1] >= 0x0370 && label[index + 1] <= 0x03FF;
                case 0x05F3: // HEBREW PUNCTUATION GERESH and GERSHAYIM: after a Hebrew letter
                case 0x05F4:
                    return index > 0 && label[index - 1] >= 0x05D0 && label[index - 1] <= 0x05EA;
                case 0x30FB: // KATAKANA MIDDLE DOT: in a label with Hiragana, Katakana or Han
                    foreach (var c in label)
                    {
                        if (c != 0x30FB && ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))) return true;
                    }
                    return false;
            }
            if ((codePoint >= 0x0660 && codePoint <= 0x0669) || (codePoint >= 0x06F0 && codePoint <= 0x06F9)) return true; // mixing checked after
            return null;
        }

        /// <summary>Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms: the right-to-left scripts' blocks.</summary>
        private static bool IsRightToLeft(int codePoint) =>
            (codePoint >= 0x0590 && codePoint <= 0x08FF) || (codePoint >= 0xFB1D && codePoint <= 0xFDFF) || (codePoint >= 0xFE70 && codePoint <= 0xFEFF);

        private static string CodePoint(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
    }
}
