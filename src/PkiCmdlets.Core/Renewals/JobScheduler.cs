namespace PkiCmdlets.Core.Renewals
{
    /// <summary>How the renewal job is scheduled: the platform's own way.</summary>
    public enum JobScheduler
    {
        /// <summary>A systemd user timer and service (Linux, where a systemd user instance runs).</summary>
        Systemd,

        /// <summary>A line of the user's crontab (Linux and other Unix without systemd).</summary>
        Cron,

        /// <summary>A launchd agent in ~/Library/LaunchAgents (macOS).</summary>
        Launchd,

        /// <summary>A Scheduled Task of the user (Windows).</summary>
        TaskScheduler,
    }
}
