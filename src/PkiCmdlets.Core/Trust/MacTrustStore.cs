using System;
using System.Collections.Generic;
using System.IO;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>
    /// macOS: the root as a trusted root certificate in a keychain, with `security`. CurrentUser: the login keychain, which
    /// asks for the user's password in a dialog before it changes trust settings. LocalMachine: the System keychain with
    /// admin trust settings (-d), which needs sudo. Removal takes the trust setting away (remove-trusted-cert) and the
    /// certificate out of the keychain (delete-certificate by its SHA-1).
    /// </summary>
    internal sealed class MacTrustStore : ITrustStore
    {
        public const string Security = "/usr/bin/security";
        public const string SystemKeychain = "/Library/Keychains/System.keychain";

        private readonly ICommandRunner _runner;
        private readonly Func<bool> _isRoot;
        private readonly string _home;

        public MacTrustStore(ICommandRunner runner, Func<bool> isRoot, string home)
        {
            _runner = runner;
            _isRoot = isRoot;
            _home = home;
        }

        public string Keychain(TrustScope scope) =>
            scope == TrustScope.LocalMachine ? SystemKeychain : Path.Combine(_home, "Library", "Keychains", "login.keychain-db");

        public string Location(TrustScope scope) => Keychain(scope);

        public void RequireUsable(TrustScope scope)
        {
            if (scope == TrustScope.LocalMachine && !_isRoot())
            {
                throw new PkiException(ErrorIds.TrustElevationRequired, PkiErrorKind.PermissionDenied, scope.ToString(), Messages.TrustElevationMac);
            }
        }

        /// <summary>The command lines Install runs, with the root's PEM at <paramref name="file"/>.</summary>
        public IReadOnlyList<IReadOnlyList<string>> InstallCommands(string file, TrustScope scope) => new[]
        {
            scope == TrustScope.LocalMachine
                ? new[] { "add-trusted-cert", "-d", "-r", "trustRoot", "-k", Keychain(scope), file }
                : new[] { "add-trusted-cert", "-r", "trustRoot", "-k", Keychain(scope), file },
        };

        /// <summary>The command lines Remove runs.</summary>
        public IReadOnlyList<IReadOnlyList<string>> RemoveCommands(string file, TrustedRootFile root, TrustScope scope) => new[]
        {
            scope == TrustScope.LocalMachine ? new[] { "remove-trusted-cert", "-d", file } : new[] { "remove-trusted-cert", file },
            new[] { "delete-certificate", "-Z", root.Thumbprint, Keychain(scope) },
        };

        public bool Contains(TrustedRootFile root, TrustScope scope)
        {
            var result = _runner.Run(Security, new[] { "find-certificate", "-a", "-Z", Keychain(scope) });
            return result.ExitCode == 0 && result.Output.IndexOf(root.Thumbprint, StringComparison.OrdinalIgnoreCase) >= 0;
        }

        public void Install(TrustedRootFile root, TrustScope scope) => WithFile(root, file =>
        {
            foreach (var command in InstallCommands(file, scope)) Run(command);
        });

        public void Remove(TrustedRootFile root, TrustScope scope) => WithFile(root, file =>
        {
            foreach (var command in RemoveCommands(file, root, scope)) Run(command);
        });

        private void Run(IReadOnlyList<string> arguments)
        {
            var result = _runner.Run(Security, arguments);
            if (result.ExitCode != 0)
            {
                throw new PkiException(ErrorIds.TrustStoreFailed, PkiErrorKind.InvalidOperation, "security " + arguments[0],
                    Messages.TrustStoreFailed.Format("security " + string.Join(" ", arguments), result.Output));
            }
        }

        /// <summary>`security` reads the root from a file: a temporary one, removed afterwards.</summary>
        private static void WithFile(TrustedRootFile root, Action<string> action)
        {
            var file = Path.Combine(Path.GetTempPath(), root.Name + "-" + Guid.NewGuid().ToString("N") + ".pem");
            try
            {
                AtomicFile.Write(file, PkiStore.Utf8(root.Pem));
                action(file);
            }
            finally
            {
                if (File.Exists(file)) File.Delete(file);
            }
        }
    }
}
