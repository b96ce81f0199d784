using System;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// The scheduled job that runs Invoke-CertificateRenewal for one store twice a day (Register-, Get- and
    /// Unregister-RenewalJob): how it is scheduled, what it runs, and what its last runs did.
    /// </summary>
    public sealed class RenewalJob
    {
        /// <summary>The job's name with the platform: pkicmdlets-renewal- and 8 hex digits of the store's path.</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>Systemd, Cron, Launchd or TaskScheduler (a JobScheduler name).</summary>
        public string Scheduler { get; internal set; } = string.Empty;

        /// <summary>Whether the platform has it now (false when it was taken away outside the module).</summary>
        public bool Registered { get; internal set; }

        /// <summary>The two times a day it runs, local time, such as "03:27, 15:27".</summary>
        public string Schedule { get; internal set; } = string.Empty;

        /// <summary>The program it runs (PowerShell) and its arguments.</summary>
        public string Executable { get; internal set; } = string.Empty;

        public string[] Arguments { get; internal set; } = new string[0];

        /// <summary>The same as one line for a POSIX shell (cron's form).</summary>
        public string CommandLine { get; internal set; } = string.Empty;

        /// <summary>The files that define it with the platform (unit files, agent plist), if any.</summary>
        public string[] Files { get; internal set; } = new string[0];

        public DateTimeOffset RegisteredAt { get; internal set; }

        /// <summary>The last renewal runs of the store, newest last (Invoke-CertificateRenewal logs every run, the job's and others).</summary>
        public RenewalRun[] LastRuns { get; internal set; } = new RenewalRun[0];

        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => Name;
    }
}
