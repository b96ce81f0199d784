using System;
using System.Text;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Formats
{
    /// <summary>
    /// Puts back together PEM text that arrives one line at a time, as `Get-Content request.csr | New-ServerCertificate`
    /// sends it: the lines from a BEGIN line to its END line make one block. A value that is already whole (several
    /// lines, or one line of base64) is passed on as it came; blank lines between blocks are passed over.
    /// </summary>
    public sealed class PemLines
    {
        private StringBuilder? _block;
        private string _label = string.Empty;

        /// <summary>The text to use once <paramref name="value"/> completes it; null while a block is still arriving (or for a blank line).</summary>
        public string? Add(string value)
        {
            var line = value.Trim();
            if (_block == null)
            {
                if (line.Length == 0) return null;
                if (value.IndexOf('\n') >= 0 || !line.StartsWith("-----BEGIN ", StringComparison.Ordinal)) return value;
                _label = line.Substring("-----BEGIN ".Length).TrimEnd('-');
                _block = new StringBuilder().Append(line).Append('\n');
                return null;
            }
            _block.Append(line).Append('\n');
            if (!line.StartsWith("-----END ", StringComparison.Ordinal)) return null;
            var text = _block.ToString();
            _block = null;
            return text;
        }

        /// <summary>At the end of the input: InvalidPem when a block began and never ended.</summary>
        public void Finish()
        {
            if (_block == null) return;
            var label = _label;
            _block = null;
            throw new PkiException(ErrorIds.InvalidPem, PkiErrorKind.InvalidData, label,
                Messages.InvalidPem.Format(label, Messages.PemReasonNoEnd.Format(label)));
        }
    }
}
