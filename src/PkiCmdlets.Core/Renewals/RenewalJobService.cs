using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>The parameters of Register-RenewalJob.</summary>
    public sealed class RegisterJobRequest
    {
        /// <summary>The PowerShell the job runs (see <see cref="RenewalJobService.PowerShellExecutable"/>).</summary>
        public string Executable { get; set; } = string.Empty;

        /// <summary>The module manifest the job imports.</summary>
        public string ModulePath { get; set; } = string.Empty;

        /// <summary>The platform's way to schedule it; null for this machine's own (see <see cref="RenewalJobService.Detect"/>).</summary>
        public JobScheduler? Scheduler { get; set; }
    }

    /// <summary>
    /// The scheduled job that runs Invoke-CertificateRenewal on one store twice a day, registered the platform's way
    /// (<see cref="JobPlatform"/>), and the record of it in the store (renewal/job.json), which keeps the times chosen at
    /// the first registration.
    /// </summary>
    public sealed class RenewalJobService
    {
        private readonly PkiStore _store;
        private readonly CommandRunner _runner = new CommandRunner();
        private readonly Func<int, int> _random;
        private readonly Func<DateTimeOffset> _clock;

        public RenewalJobService(PkiStore store)
            : this(store, new Random().Next, () => DateTimeOffset.UtcNow)
        {
        }

        /// <summary>Lets tests choose the "random" hour and minute and set the clock.</summary>
        internal RenewalJobService(PkiStore store, Func<int, int> random, Func<DateTimeOffset> clock)
        {
            _store = store;
            _random = random;
            _clock = clock;
        }

        /// <summary>The PowerShell running now, by its own program where there is one (pwsh, pwsh.exe, powershell.exe), else the process's.</summary>
        public static string PowerShellExecutable(string psHome, bool isCore, string processPath) =>
            JobDefinition.PowerShellExecutable(psHome, isCore, RuntimeInformation.IsOSPlatform(OSPlatform.Windows), processPath, File.Exists);

        /// <summary>
        /// This machine's way: a Scheduled Task on Windows, a launchd agent on macOS; on Linux a systemd user timer where a
        /// systemd user instance answers, else a crontab line; RenewalJobSchedulerUnavailable when there is none.
        /// </summary>
        public JobScheduler Detect()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return JobScheduler.TaskScheduler;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return JobScheduler.Launchd;
            if (JobPlatform.For(JobScheduler.Systemd, _runner).IsAvailable()) return JobScheduler.Systemd;
            if (JobPlatform.For(JobScheduler.Cron, _runner).IsAvailable()) return JobScheduler.Cron;
            throw new PkiException(ErrorIds.RenewalJobSchedulerUnavailable, PkiErrorKind.InvalidOperation, null, Messages.RenewalJobNoScheduler);
        }

        /// <summary>
        /// Registers the job (again, in place of this store's job, at the times chosen the first time): checks the program
        /// and module, then installs it with the platform, then records it in the store.
        /// </summary>
        public RenewalJob Register(RegisterJobRequest request, CancellationToken cancellation = default)
        {
            if (!File.Exists(request.Executable))
            {
                throw new PkiException(ErrorIds.PathNotFound, PkiErrorKind.ObjectNotFound, request.Executable, Messages.RenewalJobExecutableMissing.Format(request.Executable));
            }
            if (!File.Exists(request.ModulePath))
            {
                throw new PkiException(ErrorIds.PathNotFound, PkiErrorKind.ObjectNotFound, request.ModulePath, Messages.RenewalJobModuleMissing.Format(request.ModulePath));
            }
            var scheduler = request.Scheduler ?? Detect();
            var platform = JobPlatform.For(scheduler, _runner);
            if (!platform.IsAvailable())
            {
                throw new PkiException(ErrorIds.RenewalJobSchedulerUnavailable, PkiErrorKind.InvalidOperation, scheduler.ToString(),
                    Messages.RenewalJobSchedulerUnavailable.Format(scheduler));
            }
            var existing = Load();
            var job = new JobDefinition(_store.Root, Path.GetFullPath(request.Executable), Path.GetFullPath(request.ModulePath),
                existing?.Hour ?? _random(12), existing?.Minute ?? _random(60));
            cancellation.ThrowIfCancellationRequestedAsPki();
            if (existing != null && existing.Scheduler != scheduler) JobPlatform.For(existing.Scheduler, _runner).Remove(existing.Name);
            var files = platform.Install(job);
            var record = new JobRecord
            {
                Name = job.Name,
                Scheduler = scheduler,
                Hour = job.Hour,
                Minute = job.Minute,
                Executable = job.Executable,
                ModulePath = job.ModulePath,
                Files = files.ToList(),
                RegisteredAt = _clock(),
            };
            _store.EnsureCreated(StoreLayout.RenewalFolder);
            using (_store.Lock(cancellation))
            {
                _store.WriteJson(StoreLayout.RenewalJob, record);
            }
            return ToOutput(record, true);
        }

        /// <summary>The job of this store, whether the platform still has it, and the last runs; RenewalJobNotFound when none was registered.</summary>
        public RenewalJob Get()
        {
            var record = Load() ?? throw NotFound();
            return ToOutput(record, JobPlatform.For(record.Scheduler, _runner).IsInstalled(record.Name));
        }

        /// <summary>Removes the job from the platform and from the store; returns it as it was.</summary>
        public RenewalJob Unregister(CancellationToken cancellation = default)
        {
            var record = Load() ?? throw NotFound();
            JobPlatform.For(record.Scheduler, _runner).Remove(record.Name);
            using (_store.Lock(cancellation))
            {
                _store.DeleteFile(StoreLayout.RenewalJob);
            }
            return ToOutput(record, false);
        }

        private JobRecord? Load() => _store.Exists(StoreLayout.RenewalJob) ? _store.ReadJson<JobRecord>(StoreLayout.RenewalJob) : null;

        private PkiException NotFound() =>
            new PkiException(ErrorIds.RenewalJobNotFound, PkiErrorKind.ObjectNotFound, _store.Root, Messages.RenewalJobNotFound.Format(_store.Root));

        private RenewalJob ToOutput(JobRecord record, bool registered)
        {
            var job = new JobDefinition(_store.Root, record.Executable, record.ModulePath, record.Hour, record.Minute);
            return new RenewalJob
            {
                Name = record.Name,
                Scheduler = record.Scheduler.ToString(),
                Registered = registered,
                Schedule = job.Schedule,
                Executable = job.Executable,
                Arguments = job.Arguments.ToArray(),
                CommandLine = job.CommandLine,
                Files = record.Files.ToArray(),
                RegisteredAt = record.RegisteredAt,
                LastRuns = new RenewalRunLog(_store).Load().ToArray(),
                StorePath = _store.Root,
            };
        }

        private sealed class JobRecord
        {
            public string Name { get; set; } = string.Empty;
            public JobScheduler Scheduler { get; set; }
            public int Hour { get; set; }
            public int Minute { get; set; }
            public string Executable { get; set; } = string.Empty;
            public string ModulePath { get; set; } = string.Empty;
            public System.Collections.Generic.List<string> Files { get; set; } = new System.Collections.Generic.List<string>();
            public DateTimeOffset RegisteredAt { get; set; }
        }
    }
}
