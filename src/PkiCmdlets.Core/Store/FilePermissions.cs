using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Owner-only store files on every platform, wherever -StorePath or PKICMDLETS_STORE puts the store.
    /// Unix: folders 0700 and files 0600, set before the first byte is written.
    /// Windows: each store folder gets a protected DACL (nothing inherited from the folders above) with one entry, full
    /// control for the current user, inherited by every file and folder below it, and the user as its owner; files are
    /// not touched one by one, they inherit that entry when they are created.
    /// </summary>
    internal static class FilePermissions
    {
        public const int OwnerOnlyFile = 0x180;   // 0600
        public const int OwnerOnlyFolder = 0x1C0; // 0700

        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // File.SetUnixFileMode exists from .NET 7 (PowerShell 7.3+); this assembly targets netstandard2.0,
        // so it is found at run time, with libc's chmod for older runtimes.
        private static readonly MethodInfo? SetUnixFileMode = typeof(File).GetMethod(
            "SetUnixFileMode", new[] { typeof(string), typeof(File).Assembly.GetType("System.IO.UnixFileMode") ?? typeof(void) });

        /// <summary>Makes a store file or folder owner-only: the Unix <paramref name="mode"/>, or on Windows a folder's owner-only ACL.</summary>
        public static void Restrict(string path, int mode)
        {
            if (IsWindows)
            {
                if (mode == OwnerOnlyFolder) WindowsAcl.SetOwnerOnly(path);
                return;
            }
            mode &= 0xFFF;
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
                throw new IOException(Messages.ReasonChmodFailed.Format(path, Marshal.GetLastWin32Error()));
            }
        }

        /// <summary>
        /// The Unix mode of a file or folder that others (group or anyone) may use, or null when only its owner may, and
        /// on Windows, where the store's owner-only access list is inherited, not set per file. Null too on runtimes older
        /// than .NET 7 (PowerShell 7.2), which cannot read a mode.
        /// </summary>
        public static int? OpenToOthers(string path)
        {
            if (IsWindows || GetUnixFileMode == null) return null;
            int mode;
            try
            {
                mode = Convert.ToInt32(GetUnixFileMode.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException)
            {
                return null; // gone or unreadable: the read that follows says so
            }
            return (mode & 0x3F) != 0 ? mode : (int?)null;
        }

        private static readonly MethodInfo? GetUnixFileMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        /// <summary>
        /// The security descriptor of a store folder on Windows, in SDDL: owner the user; a DACL that is protected (P: no entry
        /// inherited from the folders above) and holds one entry, allow (A) full access (FA) to the user, inherited by the
        /// files (OI) and folders (CI) below. No entry for SYSTEM, Administrators or anyone else.
        /// </summary>
        internal static string OwnerOnlySddl(string userSid) => "O:" + userSid + "D:P(A;OICI;FA;;;" + userSid + ")";

        /// <summary>
        /// A file's Unix mode (its permission bits), or null on Windows and where the runtime cannot tell (File.GetUnixFileMode
        /// exists from .NET 7, PowerShell 7.3); found at run time for the reason <see cref="SetUnixFileMode"/> is.
        /// </summary>
        public static int? ModeOf(string path)
        {
            if (IsWindows || GetUnixFileMode == null || !File.Exists(path)) return null;
            try
            {
                return Convert.ToInt32(GetUnixFileMode.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture) & 0xFFF;
            }
            catch (TargetInvocationException)
            {
                return null;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        /// <summary>The Windows half: the current user's SID, and the descriptor set on a folder. Nothing here runs elsewhere.</summary>
        private static class WindowsAcl
        {
            private const uint SddlRevision1 = 1;
            private const uint OwnerSecurityInformation = 0x1;
            private const uint DaclSecurityInformation = 0x4;
            private const uint ProtectedDaclSecurityInformation = 0x80000000;

            public static void SetOwnerOnly(string folder)
            {
                if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(OwnerOnlySddl(CurrentUserSid()), SddlRevision1, out var descriptor, out _))
                {
                    throw new IOException(Messages.ReasonAclFailed.Format(folder, Marshal.GetLastWin32Error()));
                }
                try
                {
                    if (!SetFileSecurityW(folder, OwnerSecurityInformation | DaclSecurityInformation | ProtectedDaclSecurityInformation, descriptor))
                    {
                        throw new IOException(Messages.ReasonAclFailed.Format(folder, Marshal.GetLastWin32Error()));
                    }
                }
                finally
                {
                    LocalFree(descriptor);
                }
            }

            /// <summary>
            /// WindowsIdentity.GetCurrent().User as "S-1-5-…": System.Security.Principal.Windows on .NET, mscorlib on .NET
            /// Framework; neither is in netstandard2.0, so it is found at run time.
            /// </summary>
            private static string CurrentUserSid()
            {
                var identity = Type.GetType("System.Security.Principal.WindowsIdentity, System.Security.Principal.Windows", throwOnError: false)
                    ?? Type.GetType("System.Security.Principal.WindowsIdentity, mscorlib", throwOnError: true)!;
                var current = identity.GetMethod("GetCurrent", Type.EmptyTypes)!.Invoke(null, null);
                return identity.GetProperty("User")!.GetValue(current)!.ToString();
            }

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string sddl, uint revision, out IntPtr descriptor, out uint size);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern bool SetFileSecurityW(string path, uint securityInformation, IntPtr descriptor);

            [DllImport("kernel32.dll")]
            private static extern IntPtr LocalFree(IntPtr memory);
        }
    }
}
