using System;
using System.Collections.Generic;
using System.IO;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>
    /// Linux's system trust: a PEM file in the distribution's anchor folder, then its update command, which rebuilds the
    /// bundle and hashed folder that OpenSSL, curl, GnuTLS and .NET read. Debian and Ubuntu: /usr/local/share/ca-certificates
    /// and update-ca-certificates; RHEL, Fedora and their kin: /etc/pki/ca-trust/source/anchors and update-ca-trust extract.
    /// Linux has no per-user trust store that these all read, so only the machine's scope is offered; it needs root.
    /// </summary>
    internal sealed class LinuxTrustStore : ITrustStore
    {
        private readonly ICommandRunner _runner;
        private readonly Func<bool> _isRoot;

        public LinuxTrustStore(string anchorFolder, string extension, string command, IReadOnlyList<string> arguments, ICommandRunner runner, Func<bool> isRoot)
        {
            AnchorFolder = anchorFolder;
            Extension = extension;
            Command = command;
            Arguments = arguments;
            _runner = runner;
            _isRoot = isRoot;
        }

        public static LinuxTrustStore Debian(ICommandRunner runner, Func<bool> isRoot) =>
            new LinuxTrustStore("/usr/local/share/ca-certificates", ".crt", "update-ca-certificates", Array.Empty<string>(), runner, isRoot);

        public static LinuxTrustStore RedHat(ICommandRunner runner, Func<bool> isRoot) =>
            new LinuxTrustStore("/etc/pki/ca-trust/source/anchors", ".pem", "update-ca-trust", new[] { "extract" }, runner, isRoot);

        public string AnchorFolder { get; }
        public string Extension { get; }
        public string Command { get; }
        public IReadOnlyList<string> Arguments { get; }

        public string Location(TrustScope scope) => AnchorFolder + " (" + Command + ")";

        public string FileOf(TrustedRootFile root) => Path.Combine(AnchorFolder, root.Name + Extension);

        public void RequireUsable(TrustScope scope)
        {
            if (scope == TrustScope.CurrentUser)
            {
                throw new PkiException(ErrorIds.TrustScopeNotSupported, PkiErrorKind.InvalidArgument, scope.ToString(), Messages.TrustScopeLinuxUser);
            }
            if (!_isRoot())
            {
                throw new PkiException(ErrorIds.TrustElevationRequired, PkiErrorKind.PermissionDenied, scope.ToString(), Messages.TrustElevationLinux.Format(AnchorFolder));
            }
        }

        public bool Contains(TrustedRootFile root, TrustScope scope) => File.Exists(FileOf(root));

        public void Install(TrustedRootFile root, TrustScope scope)
        {
            var file = FileOf(root);
            try
            {
                Directory.CreateDirectory(AnchorFolder);
                AtomicFile.Write(file, PkiStore.Utf8(root.Pem), OutputFile.PublicMode);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Failed(file, e.Message, e);
            }
            var result = _runner.Run(Command, Arguments);
            if (result.ExitCode != 0)
            {
                // A root the system did not take in is not left behind for the next update to find.
                File.Delete(file);
                throw Failed(Command, result.Output, null);
            }
        }

        public void Remove(TrustedRootFile root, TrustScope scope)
        {
            var file = FileOf(root);
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Failed(file, e.Message, e);
            }
            var result = _runner.Run(Command, Arguments);
            if (result.ExitCode != 0) throw Failed(Command, result.Output, null);
        }

        private static PkiException Failed(string target, string reason, Exception? inner) =>
            new PkiException(ErrorIds.TrustStoreFailed, PkiErrorKind.InvalidOperation, target, Messages.TrustStoreFailed.Format(target, reason), inner);
    }
}
