using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// Counts the copies of a secret in this process's memory, as a process dump would show them: every readable mapping of
/// /proc/self/maps, read through /proc/self/mem (Linux only). The secret is known only as its bitwise complement, and the
/// buffer the memory is read into is outside the managed heap and left out, so the scan finds no copy of its own.
/// </summary>
internal static unsafe class MemoryScan
{
    private const int Chunk = 4 << 20;

    public static int Count(byte[] complement)
    {
        var length = complement.Length;
        var buffer = (byte*)NativeMemory.Alloc(Chunk + (nuint)length);
        var own = ((ulong)buffer, (ulong)buffer + Chunk + (ulong)length);
        var found = 0;
        try
        {
            using SafeFileHandle memory = File.OpenHandle("/proc/self/mem");
            foreach (var (start, end) in ReadableMappings())
            {
                for (var at = start; at < end; at += Chunk)
                {
                    var size = (int)Math.Min(Chunk + (ulong)length - 1, end - at);
                    int read;
                    try
                    {
                        read = RandomAccess.Read(memory, new Span<byte>(buffer, size), (long)at);
                    }
                    catch (IOException)
                    {
                        break; // a mapping the kernel will not read (a guard page, say)
                    }
                    found += CountIn(buffer, read, at, own, complement);
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
        return found;
    }

    /// <summary>Matches that start in the first <see cref="Chunk"/> bytes (the rest is the overlap with the next chunk) and outside the scan's own buffer.</summary>
    private static int CountIn(byte* data, int read, ulong address, (ulong Start, ulong End) own, byte[] complement)
    {
        var found = 0;
        var last = Math.Min(read - complement.Length, Chunk - 1);
        for (var i = 0; i <= last; i++)
        {
            if (data[i] != (byte)~complement[0]) continue;
            var j = 1;
            while (j < complement.Length && data[i + j] == (byte)~complement[j]) j++;
            if (j < complement.Length) continue;
            var where = address + (ulong)i;
            if (where >= own.Start && where < own.End) continue;
            found++;
        }
        return found;
    }

    private static IEnumerable<(ulong Start, ulong End)> ReadableMappings()
    {
        foreach (var line in File.ReadAllLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1][0] != 'r' || line.EndsWith("[vvar]", StringComparison.Ordinal) || line.EndsWith("[vsyscall]", StringComparison.Ordinal)
                || line.Contains("[vvar_vclock]", StringComparison.Ordinal)) continue;
            var range = fields[0].Split('-');
            yield return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }
}
