using System.Collections.Concurrent;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// One key per algorithm for the whole test run, handed out as fresh copies (through PKCS#8), so tests
/// that are not about key generation do not pay for it again and again.
/// </summary>
public static class TestKeys
{
    private static readonly ConcurrentDictionary<(KeySpec, int), Lazy<byte[]>> Pkcs8 = new();

    public static PrivateKey For(KeySpec spec) => For(spec, 0);

    /// <summary>Key number <paramref name="variant"/> of this kind: different variants are different keys (a root's, a sub CA's, a leaf's).</summary>
    public static PrivateKey For(KeySpec spec, int variant) =>
        PrivateKey.FromPkcs8(Pkcs8.GetOrAdd((spec, variant), k => new Lazy<byte[]>(() =>
        {
            using var key = PrivateKey.Generate(k.Item1);
            return key.ExportPkcs8();
        })).Value, "test key");
}
