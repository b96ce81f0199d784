using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Owner-only permissions on Unix (0700 folders, 0600 files). On Windows the store sits in the
    /// user's own %LOCALAPPDATA%, whose inherited ACL already admits only the user and SYSTEM.
    /// </summary>
    internal static class FilePermissions
    {
        public const int OwnerOnlyFile = 0x180;   // 0600
        public const int OwnerOnlyFolder = 0x1C0; // 0700

        private static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // File.SetUnixFileMode exists from .NET 7 (PowerShell 7.3+); this assembly targets netstandard2.0,
        // so it is found at run time, with libc's chmod for older runtimes.
        private static readonly MethodInfo? SetUnixFileMode = typeof(File).GetMethod(
            "SetUnixFileMode", new[] { typeof(string), typeof(File).Assembly.GetType("System.IO.UnixFileMode") ?? typeof(void) });

        public static void Restrict(string path, int mode)
        {
            if (!IsUnix) return;
            if (SetUnixFileMode != null)
            {
                var unixMode = Enum.ToObject(SetUnixFileMode.GetParameters()[1].ParameterType, mode);
                try
                {
                    SetUnixFileMode.Invoke(null, new[] { path, unixMode });
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    throw e.InnerException;
                }
                return;
            }
            if (chmod(path, mode) != 0)
            {
                throw new IOException("chmod failed for '" + path + "' (errno " + Marshal.GetLastWin32Error() + ").");
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);
    }
}
