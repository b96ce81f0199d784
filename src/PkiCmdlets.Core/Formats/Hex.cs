using System.Text;

namespace PkiCmdlets.Core.Formats
{
    public static class Hex
    {
        /// <summary>Lower-case hex without separators, the form seed 001 uses for PubMd5.</summary>
        public static string Lower(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) text.Append(b.ToString("x2"));
            return text.ToString();
        }
    }
}
