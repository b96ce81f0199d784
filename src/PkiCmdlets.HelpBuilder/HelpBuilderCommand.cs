using PkiCmdlets.HelpBuilder.Maml;

namespace PkiCmdlets.HelpBuilder;

/// <summary>
/// The command line: --docs &lt;folder&gt; --out &lt;file.xml&gt; [--cmdlets Name1,Name2,...]. Exit code 0 when the MAML
/// was written, 1 when a page has a problem (each one printed, nothing written), 2 for a wrong command line.
/// </summary>
internal static class HelpBuilderCommand
{
    private const string Usage = "usage: PkiCmdlets.HelpBuilder --docs <folder> --out <file.xml> [--cmdlets <Name1,Name2,...>]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--docs" or "--out" or "--cmdlets") || i + 1 >= args.Length || !options.TryAdd(args[i], args[i + 1]))
            {
                error.WriteLine(Usage);
                return 2;
            }
        }
        if (!options.TryGetValue("--docs", out var docs) || !options.TryGetValue("--out", out var outFile))
        {
            error.WriteLine(Usage);
            return 2;
        }
        if (!Directory.Exists(docs))
        {
            error.WriteLine($"The docs folder '{docs}' does not exist.");
            return 2;
        }
        var cmdlets = options.TryGetValue("--cmdlets", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

        var (commands, problems) = DocsFolder.Read(docs, cmdlets);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }
            error.WriteLine($"{problems.Count} problem(s) in '{docs}'; no help was written.");
            return 1;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(outFile));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        using (var writer = new StreamWriter(outFile, append: false, new System.Text.UTF8Encoding(false)))
        {
            MamlWriter.Write(commands, writer);
        }
        output.WriteLine($"Help for {commands.Count} cmdlet(s) written to {outFile}");
        return 0;
    }
}
