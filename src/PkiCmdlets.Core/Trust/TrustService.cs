using System;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Trust
{
    /// <summary>
    /// Puts a root of the store into the operating system's trust (Install-CATrust) and takes it out (Uninstall-CATrust), so
    /// that curl, browsers and .NET trust the certificates its hierarchy issues. Only roots; a root without its key (an
    /// offline root) as well. Only what this module installed is removed: its entries are named after the CA's Id.
    /// </summary>
    public sealed class TrustService
    {
        private readonly CaService _cas;
        private readonly Func<ITrustStore> _trustStore;
        private ITrustStore? _chosen;

        public TrustService(PkiStore store)
            : this(new CaService(store), () => TrustStores.ForThisSystem(new ProcessRunner()))
        {
        }

        internal TrustService(CaService cas, Func<ITrustStore> trustStore)
        {
            _cas = cas;
            _trustStore = trustStore;
        }

        /// <summary>CurrentUser on Windows and macOS, LocalMachine on Linux.</summary>
        public static TrustScope DefaultScope => TrustStores.DefaultScope;

        private ITrustStore SystemStore => _chosen ??= _trustStore();

        /// <summary>
        /// Where the root <paramref name="identity"/> names goes for <paramref name="scope"/>, for a confirmation that names it;
        /// TrustNotRoot (and the rest of what the CA's name can be wrong about) before anything is asked.
        /// </summary>
        public string Location(CaIdentity identity, TrustScope scope)
        {
            Root(identity);
            return SystemStore.Location(scope);
        }

        /// <summary>Puts the root into the trust store of <paramref name="scope"/> (again, when it is there already).</summary>
        public TrustedRoot Install(CaIdentity identity, TrustScope scope)
        {
            var (authority, root) = Root(identity);
            SystemStore.RequireUsable(scope);
            SystemStore.Install(root, scope);
            return Output(authority, root, scope, installed: true);
        }

        /// <summary>Takes the root out of the trust store of <paramref name="scope"/>; TrustNotInstalled when it is not there.</summary>
        public TrustedRoot Uninstall(CaIdentity identity, TrustScope scope)
        {
            var (authority, root) = Root(identity);
            SystemStore.RequireUsable(scope);
            if (!SystemStore.Contains(root, scope))
            {
                throw new PkiException(ErrorIds.TrustNotInstalled, PkiErrorKind.ObjectNotFound, authority.Record.Name,
                    Messages.TrustNotInstalled.Format(authority.Record.Name, SystemStore.Location(scope)));
            }
            SystemStore.Remove(root, scope);
            return Output(authority, root, scope, installed: false);
        }

        private (StoredCa Authority, TrustedRootFile Root) Root(CaIdentity identity)
        {
            var authority = _cas.Load(identity);
            if (!authority.Record.IsRoot)
            {
                throw new PkiException(ErrorIds.TrustNotRoot, PkiErrorKind.InvalidArgument, authority.Record.Name, Messages.TrustNotRoot.Format(authority.Record.Name));
            }
            using var sha1 = System.Security.Cryptography.SHA1.Create();
            var thumbprint = Hex.Lower(sha1.ComputeHash(authority.Der)).ToUpperInvariant();
            return (authority, new TrustedRootFile("pkicmdlets-" + authority.Record.Id, Pem.Encode(Pem.CertificateLabel, authority.Der), authority.Der, thumbprint));
        }

        private TrustedRoot Output(StoredCa authority, TrustedRootFile root, TrustScope scope, bool installed) => new TrustedRoot
        {
            Name = authority.Record.Name,
            Id = authority.Record.Id,
            CommonName = CertificateContent.Attribute(authority.Certificate.Subject, Org.BouncyCastle.Asn1.X509.X509Name.CN) ?? string.Empty,
            Thumbprint = root.Thumbprint,
            Scope = scope.ToString(),
            Location = SystemStore.Location(scope),
            Installed = installed,
        };
    }
}
