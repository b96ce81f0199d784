using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>What a command printed and how it ended.</summary>
    internal sealed class CommandResult
    {
        public CommandResult(int exitCode, string output)
        {
            ExitCode = exitCode;
            Output = output;
        }

        public int ExitCode { get; }
        public string Output { get; }
    }

    /// <summary>Runs a system command (update-ca-certificates, security); tests give their own to see the command lines.</summary>
    internal interface ICommandRunner
    {
        /// <summary>Whether <paramref name="command"/> is on PATH (or an absolute path that exists).</summary>
        bool Exists(string command);

        CommandResult Run(string command, IReadOnlyList<string> arguments);
    }

    internal sealed class ProcessRunner : ICommandRunner
    {
        private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

        public bool Exists(string command) => Find(command) != null;

        public CommandResult Run(string command, IReadOnlyList<string> arguments)
        {
            var start = new ProcessStartInfo(Find(command) ?? command, string.Join(" ", arguments.Select(Quote)))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var output = new StringBuilder();
            try
            {
                using var process = new Process { StartInfo = start };
                process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (!process.WaitForExit((int)Limit.TotalMilliseconds))
                {
                    process.Kill();
                    return new CommandResult(-1, Messages.TrustCommandTimedOut.Format(Limit.TotalSeconds));
                }
                process.WaitForExit();
                lock (output) return new CommandResult(process.ExitCode, output.ToString().Trim());
            }
            catch (Win32Exception e)
            {
                return new CommandResult(-1, e.Message);
            }
        }

        private static string? Find(string command)
        {
            if (Path.IsPathRooted(command)) return File.Exists(command) ? command : null;
            var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Concat(new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" });
            return folders.Where(f => f.Length > 0).Select(f => Path.Combine(f, command)).FirstOrDefault(File.Exists);
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c != '"') ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
    }
}
