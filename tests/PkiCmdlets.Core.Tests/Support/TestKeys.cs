using System.Collections.Concurrent;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// One key per algorithm for the whole test run, handed out as fresh copies (through PKCS#8), so tests
/// that are not about key generation do not pay for it again and again.
/// </summary>
public static class TestKeys
{
    private static readonly ConcurrentDictionary<(KeySpec Spec, string Role), Lazy<byte[]>> Pkcs8 = new();

    public static PrivateKey For(KeySpec spec) => For(spec, string.Empty);

    /// <summary>
    /// A cached key of <paramref name="spec"/> that differs from the key of every other role (and from
    /// <see cref="For(KeySpec)"/>'s), for tests where sharing one key would hide a mistake, such as an
    /// authority key identifier computed from the wrong certificate.
    /// </summary>
    public static PrivateKey For(KeySpec spec, string role) =>
        PrivateKey.FromPkcs8(Pkcs8.GetOrAdd((spec, role), k => new Lazy<byte[]>(() =>
        {
            using var key = PrivateKey.Generate(k.Spec);
            return key.ExportPkcs8();
        })).Value, "test key");
}
