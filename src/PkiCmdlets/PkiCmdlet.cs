using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PkiCmdlets.Core;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets
{
    /// <summary>
    /// What every store cmdlet shares: -StorePath, the core's errors as ErrorRecords with their stable
    /// ErrorId and target, progress from the core, and Ctrl+C turned into a cancellation the core honours.
    /// </summary>
    public abstract class PkiCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>
        /// The store folder. Default: $env:PKICMDLETS_STORE, else %LOCALAPPDATA%\PkiCmdlets on Windows and
        /// $XDG_DATA_HOME/PkiCmdlets (~/.local/share/PkiCmdlets) elsewhere.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StorePath { get; set; }

        protected CancellationToken Cancellation => _stop.Token;

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Opens the store; a store this version cannot use makes the whole call fail.</summary>
        protected PkiStore OpenStore()
        {
            try
            {
                // The environment variable is resolved here too, so that a relative path or ~ means what it
                // means to the user ($PWD), not to the process.
                var path = StorePath ?? Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable);
                return new PkiStore(string.IsNullOrWhiteSpace(path) ? null : FileSystemPath(path!));
            }
            catch (PkiException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        /// <summary>
        /// Resolves a path the PowerShell way (relative to the current location, drives such as TestDrive:),
        /// refusing paths of other providers such as Cert: or HKLM:.
        /// </summary>
        private string FileSystemPath(string path)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is RuntimeException || e is ArgumentException || e is NotSupportedException)
            {
                // An unknown drive (Q:\store) or a provider failure (all RuntimeExceptions): the same error as any other unusable store path.
                throw InvalidStorePath(path, e.Message, e);
            }
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw InvalidStorePath(path, Core.Messages.StorePathNotFileSystem, null);
            }
            return resolved;
        }

        /// <summary>
        /// An existing file named by a parameter such as -CsrPath: wildcards allowed, but they must match exactly
        /// one file; resolved through the provider and refused outside the file system.
        /// </summary>
        protected string ResolveInputFile(string path)
        {
            Collection<string> resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (Exception e) when (e is RuntimeException || e is ArgumentException || e is NotSupportedException)
            {
                throw new PkiException(ErrorIds.PathNotFound, PkiErrorKind.ObjectNotFound, path, Core.Messages.PathNotFound.Format(path, e.Message), e);
            }
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new PkiException(ErrorIds.PathInvalid, PkiErrorKind.InvalidArgument, path, Core.Messages.PathInvalid.Format(path, Core.Messages.PathNotFileSystem));
            }
            if (resolved.Count != 1)
            {
                throw new PkiException(ErrorIds.PathAmbiguous, PkiErrorKind.InvalidArgument, path, Core.Messages.PathAmbiguous.Format(path, resolved.Count));
            }
            return resolved[0];
        }

        /// <summary>The parameter sets of a command's -Path (wildcards) and -LiteralPath pair.</summary>
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>The file to write that -Path or -LiteralPath names, by the parameter set in use; null in any other set.</summary>
        protected string? ResolveOutputFile(string path, string literalPath) =>
            ParameterSetName == PathSet ? ResolveOutputFile(path, literal: false)
            : ParameterSetName == LiteralPathSet ? ResolveOutputFile(literalPath, literal: true)
            : null;

        /// <summary>
        /// A file to write, resolved against the current location, file system only. For -Path (not
        /// <paramref name="literal"/>) wildcards that match one existing file name it; a new file's name is taken as typed.
        /// </summary>
        protected string ResolveOutputFile(string path, bool literal)
        {
            if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
            {
                try
                {
                    var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    {
                        throw new PkiException(ErrorIds.PathInvalid, PkiErrorKind.InvalidArgument, path, Core.Messages.PathInvalid.Format(path, Core.Messages.PathNotFileSystem));
                    }
                    if (matches.Count > 1)
                    {
                        throw new PkiException(ErrorIds.PathAmbiguous, PkiErrorKind.InvalidArgument, path, Core.Messages.PathAmbiguous.Format(path, matches.Count));
                    }
                    if (matches.Count == 1) path = matches[0];
                }
                catch (ItemNotFoundException)
                {
                    // No match: a new file, whose name is the path as written.
                }
                catch (Exception e) when (e is RuntimeException || e is ArgumentException || e is NotSupportedException)
                {
                    throw new PkiException(ErrorIds.PathInvalid, PkiErrorKind.InvalidArgument, path, Core.Messages.PathInvalid.Format(path, e.Message), e);
                }
            }
            try
            {
                return FileSystemPath(path);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StorePathInvalid)
            {
                throw new PkiException(ErrorIds.PathInvalid, PkiErrorKind.InvalidArgument, path, Core.Messages.PathInvalid.Format(path, e.InnerException?.Message ?? Core.Messages.PathNotFileSystem), e);
            }
        }

        /// <summary><see cref="ResolveOutputFile(string, bool)"/> for a parameter that may be left out (-KeyPath): null when it was.</summary>
        protected string? ResolveOptionalOutputFile(string? path, bool literal) => path == null ? null : ResolveOutputFile(path, literal);

        /// <summary>Writes the files an export wrote as the provider's items, as Get-Item gives them: Mode, Length and the PS* properties filled in.</summary>
        protected void WriteFiles(IReadOnlyList<string> written) =>
            WriteObject(InvokeProvider.Item.Get(written.ToArray(), force: true, literalPath: true), enumerateCollection: true);

        /// <summary>
        /// The one error path of every command: runs one pipeline item's core call and turns a failure of the core
        /// (a <see cref="PkiException"/>) into a non-terminating error with its ErrorId, category and target, so the
        /// pipeline goes on with the next item. Commands have no catch blocks of their own.
        /// </summary>
        protected void Try(Action action)
        {
            try
            {
                action();
            }
            catch (PkiException e)
            {
                WriteError(e);
            }
        }

        /// <summary>
        /// <see cref="Try(Action)"/> with the core's progress shown as one progress bar for <paramref name="activity"/>,
        /// which is completed whether the call succeeds or fails.
        /// </summary>
        protected void Try(string activity, Action<IProgress<string>> action)
        {
            try
            {
                Try(() => action(new ProgressReporter(this, activity)));
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressReporter.ActivityId, activity, Core.Messages.ProgressDone) { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>
        /// Checks what makes the whole call fail, whatever comes through the pipeline, as a terminating error. Called from
        /// BeginProcessing, it runs before any command of the pipeline processes its first object, so a bad argument of
        /// the last command stops the pipeline before the first one writes anything.
        /// </summary>
        protected void Require(Action check)
        {
            try
            {
                check();
            }
            catch (PkiException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
            }
        }

        /// <summary>Writes what a store query found, and its damaged records or unmatched names as non-terminating errors.</summary>
        protected void WriteListing<T>(Listing<T> listing)
        {
            foreach (var item in listing.Items)
            {
                WriteObject(item);
            }
            foreach (var problem in listing.Problems)
            {
                WriteError(problem);
            }
        }

        /// <summary>ShouldProcess for a record known by its name and common name: "name (common name)", or the common name alone.</summary>
        protected static string NamedTarget(string? name, string commonName) =>
            string.IsNullOrEmpty(name) ? commonName : Core.Messages.ShouldProcessNamedTarget.Format(name, commonName);

        /// <summary>A -NotBefore/-NotAfter as the core takes it: the moment it names, in UTC.</summary>
        protected static DateTimeOffset? Utc(DateTime? value) =>
            value.HasValue ? new DateTimeOffset(value.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;

        private static PkiException InvalidStorePath(string path, string reason, Exception? inner) =>
            new PkiException(ErrorIds.StorePathInvalid, PkiErrorKind.InvalidArgument, path,
                Core.Messages.StorePathInvalid.Format(path, reason), inner);

        /// <summary>Reports a failure on one pipeline item and lets the pipeline go on.</summary>
        protected void WriteError(PkiException e) => WriteError(ToErrorRecord(e));


        protected static ErrorRecord ToErrorRecord(PkiException e) =>
            new ErrorRecord(e, e.ErrorId, Category(e.Kind), e.Target);

        protected static Dictionary<string, string>? ToTags(Hashtable? tags)
        {
            if (tags == null) return null;
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in tags)
            {
                result[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] =
                    Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
            return result;
        }

        private static ErrorCategory Category(PkiErrorKind kind) => kind switch
        {
            PkiErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            PkiErrorKind.InvalidData => ErrorCategory.InvalidData,
            PkiErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            PkiErrorKind.ResourceExists => ErrorCategory.ResourceExists,
            PkiErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
            PkiErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            PkiErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
            PkiErrorKind.SecurityError => ErrorCategory.SecurityError,
            PkiErrorKind.OperationStopped => ErrorCategory.OperationStopped,
            PkiErrorKind.ConnectionError => ErrorCategory.ConnectionError,
            PkiErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
            _ => ErrorCategory.NotSpecified,
        };

        // The core reports synchronously on the pipeline thread, which is where WriteProgress must be called.
        private sealed class ProgressReporter : IProgress<string>
        {
            public const int ActivityId = 1;

            private readonly Cmdlet _cmdlet;
            private readonly string _activity;

            public ProgressReporter(Cmdlet cmdlet, string activity)
            {
                _cmdlet = cmdlet;
                _activity = activity;
            }

            public void Report(string value) => _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, value));
        }
    }
}
