using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// The one table of certificate profiles, by name (case-insensitive). A new kind of certificate is a
    /// <see cref="CertificateProfile"/> subclass and one <see cref="Register"/> line here.
    /// </summary>
    internal static class CertificateProfiles
    {
        private static readonly Dictionary<string, CertificateProfile> Table = new Dictionary<string, CertificateProfile>(StringComparer.OrdinalIgnoreCase);

        static CertificateProfiles()
        {
            Register(Server);
            Register(Client);
            Register(ServerAndClient);
        }

        /// <summary>What New-ServerCertificate makes, and what a request that names no profile gets.</summary>
        public static CertificateProfile Server { get; } = new ServerProfile();

        /// <summary>What New-ClientCertificate makes: clientAuth, identities as e-mail, UPN, URI and DNS names.</summary>
        public static CertificateProfile Client { get; } = new ClientProfile();

        /// <summary>A server certificate that is also a TLS client's (serverAuth and clientAuth).</summary>
        public static CertificateProfile ServerAndClient { get; } = new ServerAndClientProfile();

        /// <summary>The names of the profiles, in the order they were registered.</summary>
        public static IReadOnlyList<string> Names
        {
            get
            {
                lock (Table) return Table.Values.Select(p => p.Name).ToList();
            }
        }

        /// <summary>The profile with this name, the server profile for none, or CertificateProfileUnknown.</summary>
        public static CertificateProfile Get(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return Server;
            lock (Table)
            {
                if (Table.TryGetValue(name!.Trim(), out var profile)) return profile;
            }
            throw new PkiException(ErrorIds.CertificateProfileUnknown, PkiErrorKind.InvalidArgument, name,
                Messages.CertificateProfileUnknown.Format(name, string.Join(", ", Names)));
        }

        /// <summary>Adds a profile to the table; a second one with the same name replaces the first.</summary>
        internal static void Register(CertificateProfile profile)
        {
            lock (Table) Table[profile.Name] = profile;
        }
    }
}
