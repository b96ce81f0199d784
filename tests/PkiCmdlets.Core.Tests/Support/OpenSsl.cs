using System.Diagnostics;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>Runs the openssl CLI, the independent judge of what we write.</summary>
public static class OpenSsl
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Result Run(string arguments, string? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        if (stdin != null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs and asserts success, returning standard output.</summary>
    public static string Ok(string arguments, string? stdin = null)
    {
        var result = Run(arguments, stdin);
        Assert.True(result.ExitCode == 0, $"openssl {arguments} failed ({result.ExitCode}):\n{result.All}");
        return result.Output + result.Error;
    }
}
