using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>A certificate renewal looks at: the certificate, the order that brought it (ACME), and its settings.</summary>
    internal sealed class Lineage
    {
        public Lineage(IssuedCertificate certificate, OrderRecord? order, RenewalEntry? entry)
        {
            Certificate = certificate;
            Order = order;
            Entry = entry;
        }

        public IssuedCertificate Certificate { get; }

        /// <summary>For a certificate ordered over ACME, its order; null when that was removed from the store.</summary>
        public OrderRecord? Order { get; }

        public RenewalEntry? Entry { get; }

        public bool IsAcme => Certificate.IssuerId == CertificateService.ExternalIssuerId;

        /// <summary>Whether every run renews it: as set, else ACME certificates with their order, and no store-issued one.</summary>
        public bool Enabled => Entry?.Enabled ?? (IsAcme && Order != null);
    }

    /// <summary>Finds the certificates renewal looks at: those named, or every current one that renews or was set up.</summary>
    internal static class Lineages
    {
        /// <summary>
        /// The certificates named by <paramref name="identifiers"/> (identifiers or serial numbers; one not found is a
        /// problem), or, without any, every current certificate of an ACME order and every one with settings (set up,
        /// turned off, or renewed before). Each with its order and settings.
        /// </summary>
        public static List<Lineage> Find(CertificateService certificates, OrderRepository orders, RenewalSettings settings,
            IReadOnlyList<string>? identifiers, List<PkiException> problems)
        {
            var entries = settings.Load();
            var byCertificate = new Dictionary<string, OrderRecord>(StringComparer.OrdinalIgnoreCase);
            foreach (var order in orders.LoadAll(problems).Where(o => o.CertificateIdentifier != null))
            {
                // The newest order of a certificate (there is one, unless a record was copied by hand).
                byCertificate[order.CertificateIdentifier!] = order;
            }
            var named = identifiers != null && identifiers.Count > 0;
            var wanted = named ? identifiers!.ToList() : byCertificate.Keys.Concat(entries.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (wanted.Count == 0) return new List<Lineage>();
            var found = certificates.FindEach(new CertificateQuery { Identifiers = wanted }, problems).ToList();
            return found
                .Where(c => named || c.ReplacedBy == null)
                .Select(c => new Lineage(c,
                    byCertificate.TryGetValue(c.Identifier, out var order) ? order : null,
                    entries.TryGetValue(c.Identifier, out var entry) ? entry : null))
                .ToList();
        }
    }
}
