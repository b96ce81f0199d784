using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>One platform's way to run a job on a schedule: install it, remove it, and tell whether it is there.</summary>
    internal abstract class JobPlatform
    {
        protected JobPlatform(CommandRunner runner)
        {
            Runner = runner;
        }

        protected CommandRunner Runner { get; }

        public abstract JobScheduler Scheduler { get; }

        /// <summary>Whether this machine schedules jobs this way.</summary>
        public abstract bool IsAvailable();

        /// <summary>Installs the job in place of any of its name; returns the files that define it.</summary>
        public abstract IReadOnlyList<string> Install(JobDefinition job);

        public abstract void Remove(string name);

        public abstract bool IsInstalled(string name);

        public static JobPlatform For(JobScheduler scheduler, CommandRunner runner) => scheduler switch
        {
            JobScheduler.Systemd => new SystemdTimer(runner),
            JobScheduler.Cron => new Crontab(runner),
            JobScheduler.Launchd => new LaunchdAgent(runner),
            _ => new ScheduledTask(runner),
        };

        protected static string Home => Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        protected static void WriteFile(string path, byte[] content)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, content);
        }
    }

    /// <summary>
    /// A systemd user service run by a user timer (~/.config/systemd/user): OnCalendar at both times, Persistent so that a
    /// run missed while the machine was off happens when it starts again.
    /// </summary>
    internal sealed class SystemdTimer : JobPlatform
    {
        public SystemdTimer(CommandRunner runner)
            : base(runner)
        {
        }

        public override JobScheduler Scheduler => JobScheduler.Systemd;

        public static string Folder => Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Home, ".config"), "systemd", "user");

        public static string Service(JobDefinition job) => string.Join("\n",
            "[Unit]",
            "Description=PkiCmdlets certificate renewal for the store " + job.StorePath.Replace("%", "%%"),
            "",
            "[Service]",
            "Type=oneshot",
            "ExecStart=" + string.Join(" ", new[] { job.Executable }.Concat(job.Arguments).Select(Quoted)),
            "") + "\n";

        public static string Timer(JobDefinition job) => string.Join("\n",
            "[Unit]",
            "Description=Runs " + job.Name + ".service twice a day",
            "",
            "[Timer]",
            "OnCalendar=" + Calendar(job),
            "Persistent=true",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "") + "\n";

        /// <summary>systemd's calendar event for both runs: *-*-* 03,15:27:00.</summary>
        public static string Calendar(JobDefinition job) =>
            "*-*-* " + string.Join(",", job.Hours.Select(h => h.ToString("00", CultureInfo.InvariantCulture))) + ":" + job.Minute.ToString("00", CultureInfo.InvariantCulture) + ":00";

        public override bool IsAvailable() => Runner.Run("systemctl", new[] { "--user", "show-environment" }) is { ExitCode: 0 };

        public override IReadOnlyList<string> Install(JobDefinition job)
        {
            var service = Path.Combine(Folder, job.Name + ".service");
            var timer = Path.Combine(Folder, job.Name + ".timer");
            WriteFile(service, Encoding.UTF8.GetBytes(Service(job)));
            WriteFile(timer, Encoding.UTF8.GetBytes(Timer(job)));
            Runner.Require("systemctl", new[] { "--user", "daemon-reload" });
            Runner.Require("systemctl", new[] { "--user", "enable", "--now", job.Name + ".timer" });
            return new[] { service, timer };
        }

        public override void Remove(string name)
        {
            Runner.Run("systemctl", new[] { "--user", "disable", "--now", name + ".timer" });
            File.Delete(Path.Combine(Folder, name + ".timer"));
            File.Delete(Path.Combine(Folder, name + ".service"));
            Runner.Run("systemctl", new[] { "--user", "daemon-reload" });
        }

        public override bool IsInstalled(string name) =>
            File.Exists(Path.Combine(Folder, name + ".timer")) && Runner.Run("systemctl", new[] { "--user", "is-enabled", name + ".timer" }) is { ExitCode: 0 };

        /// <summary>An ExecStart word: double-quoted, with systemd's escapes (backslash, quote) and specifiers ($, %) doubled.</summary>
        private static string Quoted(string word) =>
            "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("%", "%%").Replace("$", "$$") + "\"";
    }

    /// <summary>A line of the user's crontab, marked with the job's name in a comment so that it can be found and replaced.</summary>
    internal sealed class Crontab : JobPlatform
    {
        public Crontab(CommandRunner runner)
            : base(runner)
        {
        }

        public override JobScheduler Scheduler => JobScheduler.Cron;

        /// <summary>"27 3,15 * * * 'pwsh' … # pkicmdlets-renewal-…": cron gives % a meaning of its own, so it is escaped.</summary>
        public static string Line(JobDefinition job) =>
            job.Minute.ToString(CultureInfo.InvariantCulture) + " " + string.Join(",", job.Hours.Select(h => h.ToString(CultureInfo.InvariantCulture)))
            + " * * * " + job.CommandLine.Replace("%", "\\%") + " " + Marker(job.Name);

        public override bool IsAvailable() => Runner.Run("crontab", new[] { "-l" }) != null;

        public override IReadOnlyList<string> Install(JobDefinition job)
        {
            var lines = Others(job.Name);
            lines.Add(Line(job));
            Runner.Require("crontab", new[] { "-" }, string.Join("\n", lines) + "\n");
            return Array.Empty<string>();
        }

        public override void Remove(string name)
        {
            var lines = Others(name);
            if (lines.Count == 0) Runner.Require("crontab", new[] { "-r" });
            else Runner.Require("crontab", new[] { "-" }, string.Join("\n", lines) + "\n");
        }

        public override bool IsInstalled(string name) => Current().Any(l => l.EndsWith(Marker(name), StringComparison.Ordinal));

        private static string Marker(string name) => "# " + name;

        /// <summary>The crontab's lines, none when the user has no crontab (crontab -l then fails, saying so).</summary>
        private List<string> Current()
        {
            var result = Runner.Run("crontab", new[] { "-l" })
                ?? throw new PkiException(ErrorIds.RenewalJobFailed, PkiErrorKind.ObjectNotFound, "crontab", Messages.RenewalJobProgramMissing.Format("crontab"));
            return result.ExitCode == 0 ? result.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList() : new List<string>();
        }

        private List<string> Others(string name) => Current().Where(l => !l.EndsWith(Marker(name), StringComparison.Ordinal)).ToList();
    }

    /// <summary>A launchd agent (~/Library/LaunchAgents/&lt;name&gt;.plist) loaded into the user's GUI domain, run at both times.</summary>
    internal sealed class LaunchdAgent : JobPlatform
    {
        public LaunchdAgent(CommandRunner runner)
            : base(runner)
        {
        }

        public override JobScheduler Scheduler => JobScheduler.Launchd;

        public static string PlistPath(string name) => Path.Combine(Home, "Library", "LaunchAgents", name + ".plist");

        public static string Plist(JobDefinition job)
        {
            var document = new XDocument(
                new XDeclaration("1.0", "UTF-8", null),
                new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
                new XElement("plist", new XAttribute("version", "1.0"),
                    new XElement("dict",
                        new XElement("key", "Label"), new XElement("string", job.Name),
                        new XElement("key", "ProgramArguments"),
                        new XElement("array", new[] { job.Executable }.Concat(job.Arguments).Select(a => new XElement("string", a))),
                        new XElement("key", "StartCalendarInterval"),
                        new XElement("array", job.Hours.Select(h => new XElement("dict",
                            new XElement("key", "Hour"), new XElement("integer", h),
                            new XElement("key", "Minute"), new XElement("integer", job.Minute)))))));
            return document.Declaration + "\n" + document.ToString() + "\n";
        }

        public override bool IsAvailable() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public override IReadOnlyList<string> Install(JobDefinition job)
        {
            var plist = PlistPath(job.Name);
            WriteFile(plist, Encoding.UTF8.GetBytes(Plist(job)));
            var domain = Domain();
            Runner.Run("launchctl", new[] { "bootout", domain + "/" + job.Name });
            Runner.Require("launchctl", new[] { "bootstrap", domain, plist });
            return new[] { plist };
        }

        public override void Remove(string name)
        {
            Runner.Run("launchctl", new[] { "bootout", Domain() + "/" + name });
            File.Delete(PlistPath(name));
        }

        public override bool IsInstalled(string name) => Runner.Run("launchctl", new[] { "print", Domain() + "/" + name }) is { ExitCode: 0 };

        /// <summary>gui/&lt;uid&gt;: the user's own domain.</summary>
        private string Domain() => "gui/" + Runner.Require("id", new[] { "-u" }).Output.Trim();
    }

    /// <summary>
    /// A Scheduled Task of the user, defined in Task Scheduler's XML: a daily trigger for each time, run whether the user
    /// is logged on or not and without a stored password (S4U), at least privilege.
    /// </summary>
    internal sealed class ScheduledTask : JobPlatform
    {
        private static readonly XNamespace Task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

        public ScheduledTask(CommandRunner runner)
            : base(runner)
        {
        }

        public override JobScheduler Scheduler => JobScheduler.TaskScheduler;

        public static string Xml(JobDefinition job, DateTime today)
        {
            var document = new XDocument(
                new XElement(Task + "Task", new XAttribute("version", "1.2"),
                    new XElement(Task + "RegistrationInfo", new XElement(Task + "Description", Messages.RenewalJobDescription.Format(job.StorePath))),
                    new XElement(Task + "Triggers", job.Hours.Select(h => new XElement(Task + "CalendarTrigger",
                        new XElement(Task + "StartBoundary", today.Date.AddHours(h).AddMinutes(job.Minute).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
                        new XElement(Task + "ScheduleByDay", new XElement(Task + "DaysInterval", 1))))),
                    new XElement(Task + "Principals", new XElement(Task + "Principal", new XAttribute("id", "Author"),
                        new XElement(Task + "LogonType", "S4U"),
                        new XElement(Task + "RunLevel", "LeastPrivilege"))),
                    new XElement(Task + "Settings",
                        new XElement(Task + "MultipleInstancesPolicy", "IgnoreNew"),
                        new XElement(Task + "DisallowStartIfOnBatteries", false),
                        new XElement(Task + "StopIfGoingOnBatteries", false),
                        new XElement(Task + "StartWhenAvailable", true),
                        new XElement(Task + "ExecutionTimeLimit", "PT2H")),
                    new XElement(Task + "Actions", new XAttribute("Context", "Author"),
                        new XElement(Task + "Exec",
                            new XElement(Task + "Command", job.Executable),
                            new XElement(Task + "Arguments", CommandRunner.WindowsCommandLine(job.Arguments))))));
            return "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + document.ToString() + "\n";
        }

        public override bool IsAvailable() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public override IReadOnlyList<string> Install(JobDefinition job)
        {
            // schtasks reads a task's XML as UTF-16.
            var file = Path.Combine(Path.GetTempPath(), job.Name + "-" + Guid.NewGuid().ToString("N") + ".xml");
            File.WriteAllText(file, Xml(job, DateTime.Now), Encoding.Unicode);
            try
            {
                Runner.Require("schtasks", new[] { "/Create", "/TN", job.Name, "/XML", file, "/F" });
            }
            finally
            {
                File.Delete(file);
            }
            return Array.Empty<string>();
        }

        public override void Remove(string name) => Runner.Run("schtasks", new[] { "/Delete", "/TN", name, "/F" });

        public override bool IsInstalled(string name) => Runner.Run("schtasks", new[] { "/Query", "/TN", name }) is { ExitCode: 0 };
    }
}
