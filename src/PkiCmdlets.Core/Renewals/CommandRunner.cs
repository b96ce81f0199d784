using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>A program's exit code and what it wrote.</summary>
    internal sealed class CommandResult
    {
        public CommandResult(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Output = output;
            Error = error;
        }

        public int ExitCode { get; }
        public string Output { get; }
        public string Error { get; }
    }

    /// <summary>Runs the platform's scheduling programs (systemctl, crontab, launchctl, schtasks) and waits for them.</summary>
    internal sealed class CommandRunner
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        /// <summary>The program's result; null when it is not installed.</summary>
        public CommandResult? Run(string program, IReadOnlyList<string> arguments, string? input = null)
        {
            var start = new ProcessStartInfo(program, WindowsCommandLine(arguments))
            {
                UseShellExecute = false,
                RedirectStandardInput = input != null,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new Win32Exception();
            }
            catch (Win32Exception)
            {
                return null;
            }
            using (process)
            {
                var output = new StringBuilder();
                var error = new StringBuilder();
                process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (error) error.AppendLine(e.Data); };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (input != null)
                {
                    process.StandardInput.Write(input);
                    process.StandardInput.Close();
                }
                if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
                {
                    process.Kill();
                    throw new PkiException(ErrorIds.RenewalJobFailed, PkiErrorKind.OperationTimeout, program,
                        Messages.RenewalJobCommandTimedOut.Format(program, (int)Timeout.TotalSeconds));
                }
                process.WaitForExit();
                lock (output)
                lock (error)
                {
                    return new CommandResult(process.ExitCode, output.ToString(), error.ToString());
                }
            }
        }

        /// <summary>Runs the program and fails with RenewalJobFailed, naming it and what it said, unless it exits with 0.</summary>
        public CommandResult Require(string program, IReadOnlyList<string> arguments, string? input = null)
        {
            var result = Run(program, arguments, input)
                ?? throw new PkiException(ErrorIds.RenewalJobFailed, PkiErrorKind.ObjectNotFound, program, Messages.RenewalJobProgramMissing.Format(program));
            if (result.ExitCode != 0)
            {
                throw new PkiException(ErrorIds.RenewalJobFailed, PkiErrorKind.InvalidOperation, program,
                    Messages.RenewalJobCommandFailed.Format(program + " " + string.Join(" ", arguments), result.ExitCode, (result.Error + result.Output).Trim()));
            }
            return result;
        }

        /// <summary>
        /// One command line, each argument quoted as the Microsoft C runtime and .NET split it again: what ProcessStartInfo
        /// takes on every platform, and a Scheduled Task's arguments.
        /// </summary>
        public static string WindowsCommandLine(IEnumerable<string> arguments)
        {
            var line = new StringBuilder();
            foreach (var argument in arguments)
            {
                if (line.Length > 0) line.Append(' ');
                if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\'' }) < 0)
                {
                    line.Append(argument);
                    continue;
                }
                line.Append('"');
                var backslashes = 0;
                foreach (var c in argument)
                {
                    if (c == '\\')
                    {
                        backslashes++;
                        continue;
                    }
                    line.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                    backslashes = 0;
                    line.Append(c);
                }
                line.Append('\\', backslashes * 2).Append('"');
            }
            return line.ToString();
        }
    }
}
