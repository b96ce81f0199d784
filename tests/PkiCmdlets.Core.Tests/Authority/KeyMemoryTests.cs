using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// What a process dump would show: a worker process (tests/PkiCmdlets.StoreWriter key-memory) unlocks an encrypted CA,
/// signs a CRL with it, and counts the copies of the key's private scalar in its whole memory while the CA is unlocked
/// and again after Lock-CA and a full garbage collection. The scalar is
/// handed over as its complement, so that the worker's arguments hold no copy of it.
/// </summary>
public sealed class KeyMemoryTests
{
    [Fact]
    public void After_Lock_CA_the_process_memory_holds_no_copy_of_the_CA_s_private_scalar()
    {
        if (!OperatingSystem.IsLinux()) return; // the scan reads /proc/self/mem
        using var temp = new TempStore();
        var password = "Pa55word";
        Services.Cas(temp.Open(), keyRole: "memory-scan")
            .CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Root", Algorithm = "ECC_256", KeyPassword = Services.Password(password) });
        using var key = TestKeys.For(KeySpec.Ecc(256), "memory-scan");
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        var scalar = ecdsa.ExportParameters(true).D!;
        var complement = Convert.ToHexString(scalar.Select(b => (byte)~b).ToArray());
        Array.Clear(scalar);

        var path = typeof(KeyMemoryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StoreWriter").Value!;
        using var worker = Process.Start(new ProcessStartInfo("dotnet", $"\"{path}\" key-memory \"{temp.Root}\" Root {password} {complement}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = worker.StandardOutput.ReadToEnd();
        var error = worker.StandardError.ReadToEnd();
        Assert.True(worker.WaitForExit(120_000), "the worker did not finish");
        Assert.True(worker.ExitCode == 0, error);

        var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(f => f[0], f => int.Parse(f[1]));
        // While unlocked: the one copy the cache keeps, and no copy of the parsers that read and signed with it.
        Assert.Equal(1, counts["unlocked"]);
        Assert.Equal(0, counts["locked"]);
    }
}
