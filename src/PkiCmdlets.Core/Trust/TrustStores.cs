using System;
using System.Runtime.InteropServices;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>The trust store of the system this runs on, chosen once per call: Windows, macOS, or a Linux family by its update command.</summary>
    internal static class TrustStores
    {
        public static ITrustStore ForThisSystem(ICommandRunner runner)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return new WindowsTrustStore();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return new MacTrustStore(runner, IsRoot, Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            }
            if (runner.Exists("update-ca-certificates")) return LinuxTrustStore.Debian(runner, IsRoot);
            if (runner.Exists("update-ca-trust")) return LinuxTrustStore.RedHat(runner, IsRoot);
            throw new PkiException(ErrorIds.TrustStoreUnavailable, PkiErrorKind.InvalidOperation, null, Messages.TrustStoreUnavailable);
        }

        /// <summary>The default scope: the user's where there is one (Windows, macOS), the machine's on Linux, which has no other.</summary>
        public static TrustScope DefaultScope =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? TrustScope.CurrentUser : TrustScope.LocalMachine;

        /// <summary>Whether this process runs as root (Linux, macOS).</summary>
        private static bool IsRoot() => geteuid() == 0;

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
