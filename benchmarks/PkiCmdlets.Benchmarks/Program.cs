using System.Diagnostics;
using System.Globalization;

// Usage: dotnet run -c Release --project benchmarks/PkiCmdlets.Benchmarks [-- section [number ...] ...]
// With no section, the default ones run one after the other; `-- list` shows them all and what their numbers mean.
// A family name (RSA_2048, ECC_256, SM2_256) anywhere limits the per-family sections ca and stages to it.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var sections = new Section[]
{
    new("sign", true, "[seconds]", "in-core issuance from CSRs (no store) next to openssl speed", SignBenchmark.Run),
    new("keygen", true, "[runs 2048] [runs 4096]", "RSA key generation next to openssl genpkey", KeyGeneration.Run),
    new("ca", true, "[CSRs] [runs]", "piped issuance, in-core and with the store, next to openssl ca -infiles and the sign+verify limit", CaBenchmark.Run),
    new("store", true, "[CSRs]", "end-to-end issuance with the store next to an openssl x509 -req loop", StoreIssuance.Run),
    new("scale", true, "[certificates]", "a store of 100,000: memory while issuing, listing, revoking, the CRL", StoreScale.Run),
    new("openssl-loop", false, "[CSRs]", "self-check of the openssl x509 -req issuance loop", OpenSslLoop.Run),
    new("stages", false, "[CSRs] [passes]", "per-certificate time of each issuance stage, per family; Add on 2 threads vs 1", IssuanceStages.Run),
    new("csr", false, "[runs]", "New-Csr per algorithm: key generation and the whole operation", NewCsr.Run),
};

if (args is ["list"] or ["help"] or ["-h"] or ["--help"])
{
    Console.WriteLine("Sections (* = in the default run); each may be followed by its numbers:");
    foreach (var s in sections) Console.WriteLine($"  {(s.ByDefault ? "*" : " ")} {s.Name,-13} {s.Numbers,-24} {s.Description}");
    Console.WriteLine($"A family name ({string.Join(", ", FamilyFilter.All)}) limits ca and stages to the families named.");
    return 0;
}

var requested = new List<(Section Section, List<int> Numbers)>();
foreach (var arg in args)
{
    if (FamilyFilter.TryAdd(arg)) continue;
    if (int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && requested.Count > 0)
    {
        requested[^1].Numbers.Add(number);
        continue;
    }
    var section = sections.FirstOrDefault(s => s.Name == arg);
    if (section == null)
    {
        Console.Error.WriteLine($"Unknown section or misplaced number '{arg}'; `-- list` shows the sections.");
        return 2;
    }
    requested.Add((section, new List<int>()));
}
if (requested.Count == 0) requested.AddRange(sections.Where(s => s.ByDefault).Select(s => (s, new List<int>())));

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, {OpenSsl.Run("version").Output.Trim()}");
// Other work on the machine skews every figure, ours and openssl's alike: say how busy it was.
if (File.Exists("/proc/loadavg")) Console.WriteLine("Load average (1, 5, 15 min) at start: " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)));
var failed = 0;
foreach (var (section, numbers) in requested)
{
    Console.WriteLine();
    var clock = Stopwatch.StartNew();
    try
    {
        section.Run(numbers);
        Console.WriteLine($"({section.Name}: {clock.Elapsed.TotalSeconds:F0} s)");
    }
    catch (Exception e)
    {
        // One broken section must not hide the others' figures; the exit code still says something failed.
        Console.WriteLine($"Section {section.Name} failed: {e}");
        failed++;
    }
}
return failed == 0 ? 0 : 1;

internal sealed record Section(string Name, bool ByDefault, string Numbers, string Description, Action<IReadOnlyList<int>> Run);
