using System.Collections.Concurrent;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// One key per algorithm for the whole test run, handed out as fresh copies (through PKCS#8), so tests
/// that are not about key generation do not pay for it again and again.
/// </summary>
public static class TestKeys
{
    private static readonly ConcurrentDictionary<KeySpec, Lazy<byte[]>> Pkcs8 = new();

    public static PrivateKey For(KeySpec spec) =>
        PrivateKey.FromPkcs8(Pkcs8.GetOrAdd(spec, s => new Lazy<byte[]>(() =>
        {
            using var key = PrivateKey.Generate(s);
            return key.ExportPkcs8();
        })).Value, "test key");
}
