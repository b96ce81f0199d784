using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>
    /// Windows: the Trusted Root Certification Authorities store (Root) of the user (Cert:\CurrentUser\Root) or of the machine
    /// (Cert:\LocalMachine\Root, which needs an elevated session), through X509Store. Adding to or removing from the user's
    /// Root store makes Windows show a security warning that names the root and its thumbprint; answering No refuses it.
    /// </summary>
    internal sealed class WindowsTrustStore : ITrustStore
    {
        public static StoreLocation StoreLocationOf(TrustScope scope) => scope == TrustScope.LocalMachine ? StoreLocation.LocalMachine : StoreLocation.CurrentUser;

        public const StoreName Store = StoreName.Root;

        public string Location(TrustScope scope) => "Cert:\\" + StoreLocationOf(scope) + "\\" + Store;

        public void RequireUsable(TrustScope scope)
        {
            // Whether the session may change the machine's store shows when it is opened for writing.
        }

        public bool Contains(TrustedRootFile root, TrustScope scope)
        {
            using var store = Open(scope, OpenFlags.ReadOnly);
            return store.Certificates.Find(X509FindType.FindByThumbprint, root.Thumbprint, validOnly: false).Count > 0;
        }

        public void Install(TrustedRootFile root, TrustScope scope)
        {
            using var store = Open(scope, OpenFlags.ReadWrite);
            using var certificate = new X509Certificate2(root.Der);
            Change(scope, () => store.Add(certificate));
        }

        public void Remove(TrustedRootFile root, TrustScope scope)
        {
            using var store = Open(scope, OpenFlags.ReadWrite);
            foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, root.Thumbprint, validOnly: false))
            {
                Change(scope, () => store.Remove(certificate));
            }
        }

        private X509Store Open(TrustScope scope, OpenFlags flags)
        {
            var store = new X509Store(Store, StoreLocationOf(scope));
            Change(scope, () => store.Open(flags));
            return store;
        }

        private void Change(TrustScope scope, Action action)
        {
            try
            {
                action();
            }
            catch (CryptographicException e) when (scope == TrustScope.LocalMachine)
            {
                throw new PkiException(ErrorIds.TrustElevationRequired, PkiErrorKind.PermissionDenied, Location(scope), Messages.TrustElevationWindows.Format(Location(scope)), e);
            }
            catch (CryptographicException e)
            {
                // The user answered No to Windows' security warning, or the store refused.
                throw new PkiException(ErrorIds.TrustStoreFailed, PkiErrorKind.InvalidOperation, Location(scope), Messages.TrustStoreFailed.Format(Location(scope), e.Message), e);
            }
        }
    }
}
