using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>
/// `openssl s_server` on 127.0.0.1 with a port the system picks, for one test: started and waited for
/// (its "ACCEPT 127.0.0.1:port" line) with a time limit, and killed, by its own process, on Dispose.
/// </summary>
public sealed class OpenSslServer : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private OpenSslServer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    /// <summary>Everything the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the server; <paramref name="extraArguments"/> asks more of it, such as client certificates (-Verify).</summary>
    public static OpenSslServer Start(string certificate, string key, string chain, string extraArguments = "")
    {
        var start = new ProcessStartInfo("openssl",
            $"s_server -accept 127.0.0.1:0 -cert \"{certificate}\" -key \"{key}\" -cert_chain \"{chain}\" -www {extraArguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Kept open: s_server reads commands from stdin, and end-of-file there could stop it early.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var accepted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line == null) return;
            lock (output) output.AppendLine(line);
            var match = Regex.Match(line, @"^ACCEPT 127\.0\.0\.1:(\d+)$");
            if (match.Success) accepted.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Exited += (_, _) => accepted.TrySetException(new InvalidOperationException("openssl s_server exited before accepting"));
        process.Start();
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!accepted.Task.Wait(StartLimit)) throw new TimeoutException($"openssl s_server printed no ACCEPT line within {StartLimit.TotalSeconds} s");
        }
        catch (Exception e)
        {
            Stop(process);
            string printed;
            lock (output) printed = output.ToString();
            throw new Xunit.Sdk.XunitException($"openssl s_server did not start: {e.GetBaseException().Message}\n{printed}");
        }
        return new OpenSslServer(process, accepted.Task.Result, output);
    }

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
