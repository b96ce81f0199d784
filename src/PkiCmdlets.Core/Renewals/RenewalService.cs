using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// Renewal that runs itself, as Invoke-, Get-, Set- and Remove-CertificateRenewal and the hook cmdlets use it: a thin
    /// front over which certificates renew (<see cref="Lineages"/>, <see cref="RenewalSettings"/>), when
    /// (<see cref="RenewalTiming"/>), the run (<see cref="RenewalRunner"/>, over the orders' <see cref="OrderRenewal"/> and
    /// the store CAs' issuing), the hooks (<see cref="HookRepository"/>) and the run log (<see cref="RenewalRunLog"/>).
    /// </summary>
    public sealed class RenewalService
    {
        private readonly PkiStore _store;
        private readonly Func<DateTimeOffset> _clock;
        private readonly CertificateService _certificates;
        private readonly CertificateOrderService _orders;
        private readonly RenewalSettings _settings;
        private readonly RenewalRunner _runner;

        public RenewalService(PkiStore store)
            : this(store, () => DateTimeOffset.UtcNow, null, PrivateKey.Generate, null)
        {
        }

        /// <summary>Lets tests set the clock, poll ACME servers faster, supply pre-generated keys and choose the "random" time in a window.</summary>
        internal RenewalService(PkiStore store, Func<DateTimeOffset> clock, Action<AcmeClientOptions>? configureAcme, Func<KeySpec, PrivateKey> generateKey,
            Func<double>? random)
        {
            _store = store;
            _clock = clock;
            _certificates = new CertificateService(new CaService(store, generateKey, clock));
            _orders = new CertificateOrderService(store, configureAcme);
            _settings = new RenewalSettings(store);
            _runner = new RenewalRunner(store, clock, random ?? RandomFraction, _certificates, _orders, _settings, new CsrService(store, generateKey));
        }

        /// <summary>
        /// The certificates named (identifiers or serial numbers), or every current one that renewal looks at: each ACME
        /// order's and each store-issued one set up for renewal. When each is due is as last known; no server is asked.
        /// </summary>
        public Listing<CertificateRenewal> Find(IReadOnlyList<string>? identifiers = null)
        {
            var problems = new List<PkiException>();
            var now = _clock();
            var items = Lineages.Find(_certificates, _orders.Repository, _settings, identifiers, problems)
                .Where(l => identifiers != null && identifiers.Count > 0 || l.IsAcme && l.Order != null || l.Entry != null)
                .Select(l => RenewalOutput.From(l, now, _store.Root))
                .ToList();
            return new Listing<CertificateRenewal>(items, problems);
        }

        /// <summary>
        /// Sets a certificate up for renewal by every run, as <paramref name="request"/> says; the settings follow it to each
        /// renewed certificate. A new key needs the certificate's key in the store (a CSR made there), not encrypted.
        /// </summary>
        public CertificateRenewal Set(SetRenewalRequest request, CancellationToken cancellation = default)
        {
            if (request.RenewAfterPercent.HasValue && (request.RenewAfterPercent < 0 || request.RenewAfterPercent > 99))
            {
                throw new PkiException(ErrorIds.RenewalPercentInvalid, PkiErrorKind.InvalidArgument, request.RenewAfterPercent,
                    Messages.RenewalPercentInvalid.Format(request.RenewAfterPercent));
            }
            var lineage = Current(request.Identifier);
            if (request.NewKey == true) _runner.CheckNewKey(lineage.Certificate);
            if (lineage.IsAcme && lineage.Order == null)
            {
                throw new PkiException(ErrorIds.RenewalNotPossible, PkiErrorKind.InvalidOperation, lineage.Certificate.Identifier,
                    Messages.RenewalNoOrder.Format(lineage.Certificate.Identifier));
            }
            var entry = _settings.Update(lineage.Certificate.Identifier, e =>
            {
                e.Enabled = true;
                if (request.RenewAfterPercent.HasValue) e.RenewAfterPercent = request.RenewAfterPercent == 0 ? null : request.RenewAfterPercent;
                if (request.NewKey.HasValue) e.NewKey = request.NewKey.Value;
                return e;
            }, cancellation);
            return RenewalOutput.From(new Lineage(lineage.Certificate, lineage.Order, entry), _clock(), _store.Root);
        }

        /// <summary>
        /// Stops every run from renewing the certificate (naming it to Invoke-CertificateRenewal still does): a store-issued
        /// one loses its settings, an ACME one is turned off. Returns it as it now stands.
        /// </summary>
        public CertificateRenewal Remove(string identifier, CancellationToken cancellation = default)
        {
            var lineage = Current(identifier);
            var entry = _settings.Update(lineage.Certificate.Identifier, e =>
            {
                if (!lineage.IsAcme) return null;
                e.Enabled = false;
                return e;
            }, cancellation);
            return RenewalOutput.From(new Lineage(lineage.Certificate, lineage.Order, entry), _clock(), _store.Root);
        }

        /// <summary>
        /// Renews what is due: the certificates named, or every one that renews (see <see cref="Find"/>), one at a time, each
        /// reported as it is done: Renewed, NotDue, Skipped or Failed. <paramref name="confirm"/> is asked before each
        /// renewal (a declined one is not reported); <paramref name="runHook"/> runs the DNS and deploy hooks;
        /// <paramref name="failed"/> gets each failure's error. Certificates not found go to <paramref name="problems"/>,
        /// complete once the enumeration ends, when the run is also logged (unless <see cref="RenewalRequest.WhatIf"/>).
        /// </summary>
        public IEnumerable<RenewalResult> Run(RenewalRequest request, Func<CertificateRenewal, bool>? confirm, Action<Hook, IDictionary<string, object?>>? runHook,
            Action<PkiException>? failed, OrderCallbacks? callbacks, List<PkiException> problems, CancellationToken cancellation = default)
        {
            var seconds = request.TimeoutSeconds ?? CompleteCertificateOrderRequest.DefaultTimeoutSeconds;
            if (seconds < 1 || seconds > CompleteCertificateOrderRequest.MaxTimeoutSeconds)
            {
                throw new PkiException(ErrorIds.InvalidTimeout, PkiErrorKind.InvalidArgument, seconds, Messages.InvalidTimeout.Format(seconds));
            }
            return _runner.Run(request, TimeSpan.FromSeconds(seconds), confirm, runHook, failed, callbacks, problems, cancellation);
        }

        /// <summary>The hooks registered, Dns then Deploy.</summary>
        public IReadOnlyList<Hook> Hooks() => _orders.Hooks.List();

        /// <summary>Registers the hook of a type, a script block's text or a script file's full path, in place of the one before.</summary>
        public Hook RegisterHook(HookType type, string? scriptBlock, string? path, CancellationToken cancellation = default) =>
            _orders.Hooks.Register(type, scriptBlock, path, _clock(), cancellation);

        /// <summary>Removes the hook of a type; HookNotFound when none is registered.</summary>
        public Hook UnregisterHook(HookType type, CancellationToken cancellation = default) =>
            _orders.Hooks.Unregister(type, cancellation)
            ?? throw new PkiException(ErrorIds.HookNotFound, PkiErrorKind.ObjectNotFound, type.ToString(), Messages.HookNotFound.Format(type, _store.Root));

        /// <summary>The last renewal runs, oldest first.</summary>
        public IReadOnlyList<RenewalRun> Runs() => new RenewalRunLog(_store).Load();

        /// <summary>The current certificate with this identifier (or serial number), or CertificateNotFound, or CertificateAlreadyRenewed.</summary>
        private Lineage Current(string identifier)
        {
            var problems = new List<PkiException>();
            var lineage = Lineages.Find(_certificates, _orders.Repository, _settings, new[] { identifier }, problems).FirstOrDefault();
            if (lineage == null) throw problems.FirstOrDefault() ?? new PkiException(ErrorIds.CertificateNotFound, PkiErrorKind.ObjectNotFound, identifier,
                Messages.CertificateNotFound.Format(identifier, _store.Root));
            if (lineage.Certificate.ReplacedBy != null)
            {
                throw new PkiException(ErrorIds.CertificateAlreadyRenewed, PkiErrorKind.InvalidOperation, lineage.Certificate.Identifier,
                    Messages.CertificateAlreadyRenewed.Format(lineage.Certificate.Identifier, lineage.Certificate.ReplacedBy));
            }
            return lineage;
        }

        private static double RandomFraction()
        {
            var bytes = new byte[8];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return (BitConverter.ToUInt64(bytes, 0) >> 11) / (double)(1UL << 53);
        }
    }
}
