using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// How each certificate renews where that differs from its kind's default, and what its renewals last did
    /// (renewal/certificates.json): one entry per certificate lineage, under the identifier of its current certificate,
    /// which moves to the new certificate at each renewal. Every change is a read-modify-write under the store lock.
    /// </summary>
    internal sealed class RenewalSettings
    {
        private readonly PkiStore _store;

        public RenewalSettings(PkiStore store)
        {
            _store = store;
        }

        /// <summary>Every entry, by certificate identifier.</summary>
        public Dictionary<string, RenewalEntry> Load()
        {
            var entries = new Dictionary<string, RenewalEntry>(StringComparer.OrdinalIgnoreCase);
            if (!_store.Exists(StoreLayout.RenewalSettings)) return entries;
            foreach (var entry in _store.ReadJson<RenewalFile>(StoreLayout.RenewalSettings).Certificates)
            {
                if (!string.IsNullOrEmpty(entry.Identifier)) entries[entry.Identifier] = entry;
            }
            return entries;
        }

        /// <summary>
        /// Changes the entry of <paramref name="identifier"/> under the lock: <paramref name="change"/> gets it (a new one
        /// when there is none) and returns it, or null to remove it. Returns what was kept.
        /// </summary>
        public RenewalEntry? Update(string identifier, Func<RenewalEntry, RenewalEntry?> change, CancellationToken cancellation)
        {
            _store.EnsureCreated(StoreLayout.RenewalFolder);
            using (_store.Lock(cancellation))
            {
                var entries = Load();
                var current = entries.TryGetValue(identifier, out var found) ? found : new RenewalEntry { Identifier = identifier };
                var kept = change(current);
                entries.Remove(identifier);
                if (kept != null) entries[kept.Identifier] = kept;
                _store.WriteJson(StoreLayout.RenewalSettings, new RenewalFile { Certificates = entries.Values.OrderBy(e => e.Identifier, StringComparer.Ordinal).ToList() });
                return kept;
            }
        }
    }

    internal sealed class RenewalFile
    {
        public List<RenewalEntry> Certificates { get; set; } = new List<RenewalEntry>();
    }

    /// <summary>One certificate lineage's renewal: what the user set, what its certificate authority said, what happened last.</summary>
    internal sealed class RenewalEntry
    {
        /// <summary>The current certificate of the lineage.</summary>
        public string Identifier { get; set; } = string.Empty;

        /// <summary>True: renewed by every run (Set-CertificateRenewal); false: never unless named; null: its kind's default (ACME yes, store no).</summary>
        public bool? Enabled { get; set; }

        /// <summary>Renew once this share of the lifetime has passed; null for two thirds.</summary>
        public int? RenewAfterPercent { get; set; }

        /// <summary>A new key at each renewal.</summary>
        public bool NewKey { get; set; }

        /// <summary>The CSR made for a renewal with a new key that has not succeeded yet: the next attempt uses it again.</summary>
        public int? PendingCsrId { get; set; }

        /// <summary>The certificate authority's renewal window, as last read (ACME servers with renewal information).</summary>
        public RenewalWindow? RenewalInfo { get; set; }

        public DateTimeOffset? LastAttempt { get; set; }

        /// <summary>Renewed or Failed (a RenewalStatus name).</summary>
        public string? LastStatus { get; set; }

        /// <summary>Why the last attempt failed, or what its hooks could not do.</summary>
        public string? LastMessage { get; set; }
    }

    /// <summary>ACME Renewal Information as remembered between runs: the window, the time chosen in it, and when to ask again.</summary>
    internal sealed class RenewalWindow
    {
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public string? ExplanationUrl { get; set; }

        /// <summary>A uniformly random time in the window, chosen again only when the window moves (RFC 9773 §4.2).</summary>
        public DateTimeOffset RenewAt { get; set; }

        /// <summary>Not to be asked again before this (the server's Retry-After, within a minute and a day).</summary>
        public DateTimeOffset CheckAfter { get; set; }
    }
}
