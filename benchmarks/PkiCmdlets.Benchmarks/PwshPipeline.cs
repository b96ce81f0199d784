using System.Diagnostics;
using System.Globalization;

/// <summary>
/// New-ServerCertificate as a user runs it: the module that `build.ps1 -Task Build` leaves under out/PkiCmdlets/&lt;version&gt;/,
/// imported in a fresh pwsh (the repository's local tool, `dotnet pwsh`), with PEM texts piped to it. Each run is a new
/// process, so the JIT starts cold as in a user's session; only the pipeline is timed, not pwsh's start nor the import.
/// </summary>
internal static class PwshPipeline
{
    private const string Script = """
        param([string] $Module, [string] $List, [string] $Issuer)
        $ErrorActionPreference = 'Stop'
        Import-Module -Name $Module
        $pems = foreach ($path in [IO.File]::ReadAllLines($List)) { [IO.File]::ReadAllText($path) }
        $issued = 0
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $pems | New-ServerCertificate -Issuer $Issuer -Days 365 | ForEach-Object { $issued++ }
        $clock.Stop()
        '{0} {1}' -f $issued, $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
        """;

    /// <summary>The built module's manifest, the newest version under the repository's out/, or null when it was not built.</summary>
    public static string? FindModule()
    {
        var root = RepositoryRoot();
        var folder = root == null ? null : Path.Combine(root, "out", "PkiCmdlets");
        if (folder == null || !Directory.Exists(folder)) return null;
        return Directory.GetDirectories(folder)
            .Select(d => Path.Combine(d, "PkiCmdlets.psd1"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>
    /// Pipes the CSRs' PEM texts to New-ServerCertificate -Issuer <paramref name="issuer"/> -Days 365 with the store at
    /// <paramref name="storeRoot"/>; returns certificates issued and the pipeline's time.
    /// </summary>
    public static (int Issued, TimeSpan Elapsed) Issue(string module, string storeRoot, string issuer, IReadOnlyList<string> csrPaths, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var script = Path.Combine(scratch, "pipe.ps1");
        var list = Path.Combine(scratch, "csrs.txt");
        File.WriteAllText(script, Script);
        File.WriteAllLines(list, csrPaths);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot()!, // where .config/dotnet-tools.json makes `dotnet pwsh` the pinned PowerShell
        };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Module", module, "-List", list, "-Issuer", issuer })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PKICMDLETS_STORE"] = storeRoot;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim().Split(' ');
        if (process.ExitCode != 0 || last is not { Length: 2 })
        {
            throw new InvalidOperationException($"dotnet pwsh exited with {process.ExitCode}: {error.Result.Trim()} {output.Trim()}");
        }
        return (int.Parse(last[0], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(last[1], CultureInfo.InvariantCulture)));
    }

    private static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PkiCmdlets.sln"))) return folder.FullName;
        }
        return null;
    }
}
