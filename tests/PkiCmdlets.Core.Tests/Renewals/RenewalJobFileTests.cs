using System.Diagnostics;
using System.Xml.Linq;
using PkiCmdlets.Core.Renewals;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Renewals;

/// <summary>
/// What the renewal job is made of on each platform, judged by the platform's own tools where they run here:
/// systemd-analyze verifies the unit files and computes the timer's next runs (it works on files, without a running
/// systemd); the launchd agent and the Scheduled Task are checked as XML. The crontab line is judged by crontab itself in
/// tests/Pester/Register-RenewalJob.Tests.ps1.
/// </summary>
public sealed class RenewalJobFileTests : IDisposable
{
    // A store path with what quoting must survive: a space, an apostrophe, systemd's % specifier and $ variable.
    private static readonly JobDefinition Job = new("/srv/pki/o'brien store %h $HOME", Environment.ProcessPath!, "/opt/modules/PkiCmdlets/0.1.0/PkiCmdlets.psd1", 3, 27);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_job_runs_twice_a_day_twelve_hours_apart_and_is_named_after_its_store()
    {
        Assert.Equal(new[] { 3, 15 }, Job.Hours);
        Assert.Equal("03:27, 15:27", Job.Schedule);
        Assert.Matches("^pkicmdlets-renewal-[0-9a-f]{8}$", Job.Name);
        Assert.Equal(Job.Name, JobDefinition.NameFor(Job.StorePath));
        Assert.NotEqual(Job.Name, JobDefinition.NameFor("/srv/pki/other"));
        Assert.Equal(new[]
        {
            "-NoProfile", "-NonInteractive", "-Command",
            "Import-Module -Name '/opt/modules/PkiCmdlets/0.1.0/PkiCmdlets.psd1'; Invoke-CertificateRenewal -StorePath '/srv/pki/o''brien store %h $HOME'",
        }, Job.Arguments);
    }

    [Fact]
    public void The_systemd_units_pass_systemd_analyze_verify()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Folder, "units")).FullName;
        File.WriteAllText(Path.Combine(folder, Job.Name + ".service"), SystemdTimer.Service(Job));
        File.WriteAllText(Path.Combine(folder, Job.Name + ".timer"), SystemdTimer.Timer(Job));

        var verified = SystemdAnalyze("--user", "verify", Path.Combine(folder, Job.Name + ".service"), Path.Combine(folder, Job.Name + ".timer"));

        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Equal(string.Empty, verified.Output.Trim());
        var service = SystemdTimer.Service(Job);
        Assert.Contains("Type=oneshot", service);
        // Specifiers and variables are doubled, so that systemd passes them on as written.
        Assert.Contains("o''brien store %%h $$HOME", service);
        Assert.Contains("OnCalendar=*-*-* 03,15:27:00", SystemdTimer.Timer(Job));
        Assert.Contains("Persistent=true", SystemdTimer.Timer(Job));
    }

    [Fact]
    public void A_unit_file_that_systemd_refuses_fails_the_same_check()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Folder, "bad")).FullName;
        File.WriteAllText(Path.Combine(folder, Job.Name + ".timer"), SystemdTimer.Timer(Job).Replace("OnCalendar=*-*-* 03,15:27:00", "OnCalendar=twice a day"));

        var verified = SystemdAnalyze("--user", "verify", Path.Combine(folder, Job.Name + ".timer"));

        Assert.NotEqual(0, verified.ExitCode);
    }

    [Fact]
    public void Systemd_reads_the_timer_as_twice_a_day_at_the_chosen_minute()
    {
        var calendar = SystemdAnalyze("calendar", "--iterations=3", SystemdTimer.Calendar(Job));

        Assert.True(calendar.ExitCode == 0, calendar.Output);
        Assert.Contains("Normalized form: *-*-* 03,15:27:00", calendar.Output);
        // Next elapse and each iteration, in local time (systemd adds "(in UTC)" lines when that is another zone).
        var times = calendar.Output.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("Next elapse:", StringComparison.Ordinal) || l.StartsWith("Iter. #", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, times.Count);
        Assert.All(times, l => Assert.Matches(@" (03|15):27:00 ", l));
    }

    [Fact]
    public void The_launchd_agent_runs_the_command_at_both_times()
    {
        var plist = XDocument.Parse(LaunchdAgent.Plist(Job));

        Assert.Equal("plist", plist.DocumentType!.Name);
        var dict = plist.Root!.Element("dict")!.Elements().ToList();
        string Value(string key) => (string)dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1];
        XElement Element(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1];
        Assert.Equal(Job.Name, Value("Label"));
        Assert.Equal(new[] { Job.Executable }.Concat(Job.Arguments), Element("ProgramArguments").Elements("string").Select(e => e.Value));
        var times = Element("StartCalendarInterval").Elements("dict").Select(d => string.Join(" ", d.Elements().Select(e => e.Value)));
        Assert.Equal(new[] { "Hour 3 Minute 27", "Hour 15 Minute 27" }, times);
    }

    [Fact]
    public void The_scheduled_task_has_a_daily_trigger_for_each_time_and_runs_the_command()
    {
        var xml = ScheduledTask.Xml(Job, new DateTime(2026, 11, 22));
        var task = XDocument.Parse(xml);
        XNamespace ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-16\"?>", xml);
        Assert.Equal(new[] { "2026-11-22T03:27:00", "2026-11-22T15:27:00" }, task.Descendants(ns + "StartBoundary").Select(e => e.Value));
        Assert.All(task.Descendants(ns + "DaysInterval"), e => Assert.Equal("1", e.Value));
        Assert.Equal(Job.Executable, task.Descendants(ns + "Command").Single().Value);
        Assert.Equal("S4U", task.Descendants(ns + "LogonType").Single().Value);
        Assert.Equal(
            "-NoProfile -NonInteractive -Command \"Import-Module -Name '/opt/modules/PkiCmdlets/0.1.0/PkiCmdlets.psd1'; Invoke-CertificateRenewal -StorePath '/srv/pki/o''brien store %h $HOME'\"",
            task.Descendants(ns + "Arguments").Single().Value);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\Program Files\\", "\"C:\\Program Files\\\\\"")]
    [InlineData("", "\"\"")]
    public void Windows_command_lines_quote_each_argument_as_it_is_split_again(string argument, string quoted)
    {
        Assert.Equal(quoted, CommandRunner.WindowsCommandLine(new[] { argument }));
    }

    [Fact]
    public void The_powershell_to_run_is_its_own_program_in_pshome_else_the_process()
    {
        Assert.Equal(Path.Combine("/opt/pwsh", "pwsh"), JobDefinition.PowerShellExecutable("/opt/pwsh", true, false, "/usr/bin/dotnet", p => p == "/opt/pwsh/pwsh"));
        Assert.Equal("/usr/bin/dotnet", JobDefinition.PowerShellExecutable("/opt/pwsh", true, false, "/usr/bin/dotnet", _ => false));
        Assert.EndsWith("powershell.exe", JobDefinition.PowerShellExecutable(@"C:\Windows\System32\WindowsPowerShell\v1.0", false, true, "x", _ => true));
    }

    /// <summary>systemd-analyze, with a runtime folder of its own so that --user works without a logged-in session.</summary>
    private (int ExitCode, string Output) SystemdAnalyze(params string[] arguments)
    {
        var runtime = Directory.CreateDirectory(Path.Combine(_temp.Folder, "runtime")).FullName;
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["XDG_RUNTIME_DIR"] = runtime;
        start.Environment["SYSTEMD_COLORS"] = "0";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("These tests need systemd-analyze: install it with 'apt-get install -y systemd'.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
    }
}
