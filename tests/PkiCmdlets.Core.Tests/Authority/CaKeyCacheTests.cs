using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// The key Unlock-CA keeps is held outside the garbage-collected heap (so the collector never leaves copies of it
/// where it moved it), zeroed when Lock-CA forgets it, and zeroed by a timer when its time is up, not when the CA is
/// next used. The tests share the process-wide seam, so they take turns.
/// </summary>
[Collection(nameof(CaKeyCacheTests))]
public sealed class CaKeyCacheTests : IDisposable
{
    private static readonly byte[] Secret = Enumerable.Range(1, 48).Select(i => (byte)(i * 5 + 1)).ToArray();
    private readonly string _root = "cache-test-" + Guid.NewGuid().ToString("N");
    private readonly List<byte[]> _zeroed = new();

    public CaKeyCacheTests()
    {
        // Other tests unlock and lock keys of their own meanwhile: only this test's store counts.
        CaKeyCache.Zeroed = (key, kept) =>
        {
            if (key.StartsWith(_root + "|", StringComparison.Ordinal)) lock (_zeroed) _zeroed.Add(kept);
        };
    }

    public void Dispose()
    {
        CaKeyCache.Zeroed = null;
        CaKeyCache.Forget(_root, "ca");
    }

    [Fact]
    public void The_kept_key_is_a_copy_outside_the_managed_heap_that_Lock_zeroes()
    {
        var pkcs8 = (byte[])Secret.Clone();
        CaKeyCache.Put(_root, "ca", pkcs8, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(5));
        Array.Clear(pkcs8); // what the caller does with its own copy
        var handedOut = CaKeyCache.Get(_root, "ca", DateTimeOffset.UtcNow)!;
        Assert.Equal(Secret, handedOut);

        Assert.True(CaKeyCache.Forget(_root, "ca"));

        var kept = Assert.Single(_zeroed);
        Assert.Equal(Secret.Length, kept.Length);
        Assert.All(kept, b => Assert.Equal(0, b));
        Assert.Null(CaKeyCache.Get(_root, "ca", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void An_unlocked_key_is_zeroed_when_its_time_is_up_without_anyone_asking_for_it()
    {
        CaKeyCache.Put(_root, "ca", (byte[])Secret.Clone(), DateTimeOffset.UtcNow.AddMilliseconds(300), TimeSpan.FromMilliseconds(300));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_zeroed.Count == 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);

        var kept = Assert.Single(_zeroed);
        Assert.All(kept, b => Assert.Equal(0, b));
        Assert.False(CaKeyCache.Forget(_root, "ca")); // already gone: nothing was left to forget
    }

    [Fact]
    public void Unlocking_again_zeroes_the_key_kept_before()
    {
        CaKeyCache.Put(_root, "ca", (byte[])Secret.Clone(), DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(5));
        CaKeyCache.Put(_root, "ca", (byte[])Secret.Clone(), DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(5));

        Assert.All(Assert.Single(_zeroed), b => Assert.Equal(0, b));
    }
}
