using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PkiCmdlets.Core.Formats;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// What a renewal job is, whatever schedules it: its name (from the store's path, so each store has its own), the two
    /// runs a day (at <see cref="Hour"/> and twelve hours later, at <see cref="Minute"/>, both chosen at random when it is
    /// first registered so that many machines do not all ask their CA at once), and the command: PowerShell importing the
    /// module and running Invoke-CertificateRenewal on the store. Nothing in it is secret.
    /// </summary>
    internal sealed class JobDefinition
    {
        public JobDefinition(string storePath, string executable, string modulePath, int hour, int minute)
        {
            StorePath = storePath;
            Executable = executable;
            ModulePath = modulePath;
            Hour = hour;
            Minute = minute;
        }

        public string StorePath { get; }
        public string Executable { get; }
        public string ModulePath { get; }

        /// <summary>0 to 11: the first run's hour; the second is twelve hours later.</summary>
        public int Hour { get; }

        public int Minute { get; }

        public string Name => NameFor(StorePath);

        public IReadOnlyList<int> Hours => new[] { Hour, Hour + 12 };

        public IReadOnlyList<string> Arguments => new[]
        {
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Import-Module -Name " + PowerShellQuoted(ModulePath) + "; Invoke-CertificateRenewal -StorePath " + PowerShellQuoted(StorePath),
        };

        /// <summary>The command as one line for a POSIX shell: each word in single quotes.</summary>
        public string CommandLine => string.Join(" ", new[] { Executable }.Concat(Arguments).Select(ShellQuoted));

        public string Schedule => string.Join(", ", Hours.Select(h => h.ToString("00", CultureInfo.InvariantCulture) + ":" + Minute.ToString("00", CultureInfo.InvariantCulture)));

        public static string NameFor(string storePath)
        {
            using var sha256 = SHA256.Create();
            return "pkicmdlets-renewal-" + Hex.Lower(sha256.ComputeHash(Encoding.UTF8.GetBytes(storePath))).Substring(0, 8);
        }

        /// <summary>The PowerShell to run: the one running now, by its own program where there is one (pwsh, pwsh.exe, powershell.exe).</summary>
        public static string PowerShellExecutable(string psHome, bool isCore, bool isWindows, string processPath, Func<string, bool> exists)
        {
            var name = !isCore ? "powershell.exe" : isWindows ? "pwsh.exe" : "pwsh";
            var inHome = System.IO.Path.Combine(psHome, name);
            return exists(inHome) ? inHome : processPath;
        }

        private static string PowerShellQuoted(string text) => "'" + text.Replace("'", "''") + "'";

        private static string ShellQuoted(string text) => "'" + text.Replace("'", "'\\''") + "'";
    }
}
