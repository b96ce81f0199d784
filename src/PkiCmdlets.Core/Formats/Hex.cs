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

        /// <summary>Bytes of an even-length hex string (either case), as our own files write it.</summary>
        public static byte[] Parse(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = System.Convert.ToByte(hex.Substring(i * 2, 2), 16);
            }
            return bytes;
        }
    }
}
