using System;
using System.IO;
using System.Runtime.InteropServices;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>Where the per-user store lives (DESIGN.md, "The per-user store").</summary>
    public static class StoreLocation
    {
        public const string EnvironmentVariable = "PKICMDLETS_STORE";
        public const string FolderName = "PkiCmdlets";

        /// <summary>
        /// An explicit path wins; then PKICMDLETS_STORE; then %LOCALAPPDATA%\PkiCmdlets on Windows and
        /// $XDG_DATA_HOME/PkiCmdlets (default ~/.local/share/PkiCmdlets) elsewhere.
        /// </summary>
        public static string Resolve(string? explicitPath)
        {
            var chosen = !string.IsNullOrWhiteSpace(explicitPath)
                ? explicitPath!
                : Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(chosen))
            {
                chosen = Path.Combine(DataHome(), FolderName);
            }
            try
            {
                return Path.GetFullPath(chosen!.Trim());
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new PkiException(ErrorIds.StorePathInvalid, PkiErrorKind.InvalidArgument, chosen,
                    Messages.StorePathInvalid.Format(chosen, e.Message), e);
            }
        }

        private static string DataHome()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            {
                return xdg!;
            }
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrWhiteSpace(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }
            return Path.Combine(home!, ".local", "share");
        }
    }
}
