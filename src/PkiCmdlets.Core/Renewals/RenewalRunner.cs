using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Acme;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>
    /// One renewal run: for each certificate, whether it is due, and if so a claim on it (so that two processes never
    /// renew it both), a fresh look at whether it was renewed meanwhile, the renewal itself (a new ACME order like its
    /// own, or a store CA issuing it again), its settings moved to the new certificate, and the deploy hook.
    /// </summary>
    internal sealed class RenewalRunner
    {
        private readonly PkiStore _store;
        private readonly Func<DateTimeOffset> _clock;
        private readonly Func<double> _random;
        private readonly CertificateService _certificates;
        private readonly CertificateOrderService _orders;
        private readonly RenewalSettings _settings;
        private readonly CsrService _csrs;

        public RenewalRunner(PkiStore store, Func<DateTimeOffset> clock, Func<double> random, CertificateService certificates, CertificateOrderService orders,
            RenewalSettings settings, CsrService csrs)
        {
            _store = store;
            _clock = clock;
            _random = random;
            _certificates = certificates;
            _orders = orders;
            _settings = settings;
            _csrs = csrs;
        }

        public IEnumerable<RenewalResult> Run(RenewalRequest request, TimeSpan timeout, Func<CertificateRenewal, bool>? confirm,
            Action<Hook, IDictionary<string, object?>>? runHook, Action<PkiException>? failed, OrderCallbacks? callbacks, List<PkiException> problems,
            CancellationToken cancellation)
        {
            var started = _clock();
            var named = request.Identifiers != null && request.Identifiers.Count > 0;
            if (!named && !request.WhatIf) MoveStaleSettings(cancellation);
            var results = new List<RenewalResult>();
            foreach (var lineage in Lineages.Find(_certificates, _orders.Repository, _settings, request.Identifiers?.ToList(), problems))
            {
                if (!named && !lineage.Enabled) continue;
                cancellation.ThrowIfCancellationRequestedAsPki();
                var result = One(lineage, request, timeout, confirm, runHook, failed, callbacks, cancellation);
                if (result == null) continue;
                results.Add(result);
                yield return result;
            }
            if (!request.WhatIf)
            {
                new RenewalRunLog(_store).Append(new RenewalRun
                {
                    StartedAt = started,
                    FinishedAt = _clock(),
                    Renewed = results.Where(r => r.Status == nameof(RenewalStatus.Renewed)).Select(r => r.Identifier + " -> " + r.ReplacedBy).ToArray(),
                    Failed = results.Where(r => r.Status == nameof(RenewalStatus.Failed)).Select(r => r.Identifier + ": " + r.Reason).ToArray(),
                    NotDue = results.Count(r => r.Status == nameof(RenewalStatus.NotDue)),
                    Skipped = results.Count(r => r.Status == nameof(RenewalStatus.Skipped)),
                }, cancellation);
            }
        }

        /// <summary>NewKey needs the certificate's key in the store, as a CSR made there whose key is not encrypted.</summary>
        public CertificateSigningRequest CheckNewKey(IssuedCertificate certificate)
        {
            CertificateSigningRequest? csr = null;
            if (certificate.CsrId.HasValue)
            {
                try
                {
                    csr = _csrs.Get(certificate.CsrId.Value);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.CsrNotFound)
                {
                }
            }
            if (csr == null || csr.Csr == null)
            {
                throw new PkiException(ErrorIds.RenewalNotPossible, PkiErrorKind.InvalidOperation, certificate.Identifier,
                    Messages.RenewalNewKeyNotInStore.Format(certificate.Identifier));
            }
            if (csr.KeyProtected)
            {
                throw new PkiException(ErrorIds.RenewalNotPossible, PkiErrorKind.InvalidOperation, certificate.Identifier,
                    Messages.RenewalNewKeyProtected.Format(certificate.Identifier, csr.Id));
            }
            return csr;
        }

        private RenewalResult? One(Lineage lineage, RenewalRequest request, TimeSpan timeout, Func<CertificateRenewal, bool>? confirm,
            Action<Hook, IDictionary<string, object?>>? runHook, Action<PkiException>? failed, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var certificate = lineage.Certificate;
            var result = RenewalOutput.Result(lineage, RenewalStatus.NotDue, _store.Root);
            if (certificate.ReplacedBy != null) return Skipped(result, Messages.RenewalSkippedRenewed.Format(certificate.ReplacedBy));
            if (lineage.IsAcme && lineage.Order == null) return Skipped(result, Messages.RenewalSkippedNoOrder);
            if (certificate.Status == nameof(CertificateStatus.Revoked) && !request.Force) return Skipped(result, Messages.RenewalSkippedRevoked);

            var certificateId = lineage.IsAcme ? AcmeRenewalInfo.CertificateId(certificate.Der) : null;
            var due = WhenDue(lineage, certificateId, request.WhatIf, callbacks, cancellation);
            result.RenewAt = due.RenewAt;
            result.ExplanationUrl = due.ExplanationUrl;
            if (!request.Force && due.RenewAt > _clock())
            {
                result.Reason = due.Reason;
                return result;
            }
            if (confirm != null && !confirm(RenewalOutput.From(lineage, _clock(), _store.Root))) return null;

            using var claim = _store.TryClaim(StoreLayout.RenewalClaim(certificate.Identifier));
            if (claim == null) return Skipped(result, Messages.RenewalSkippedClaimed);
            // Under the claim, from the journal: another session may have renewed it since this run listed it.
            var replacedBy = new IssuedJournal(_store, certificate.IssuerId).ReplacementOf(certificate.Identifier);
            if (replacedBy != null) return Skipped(result, Messages.RenewalSkippedRenewed.Format(replacedBy));

            var hookErrors = new List<string>();
            IssuedCertificate renewed;
            try
            {
                if (lineage.IsAcme)
                {
                    var outcome = _orders.Renewal.Renew(lineage.Order!, new RenewOrderRequest
                    {
                        NewKey = lineage.Entry?.NewKey == true ? () => NewKey(lineage, callbacks, cancellation) : (Func<(CsrContent, int)>?)null,
                        AriReplaces = certificateId,
                        Timeout = timeout,
                    }, runHook, callbacks, cancellation);
                    hookErrors.AddRange(outcome.HookProblems.Select(p => p.Message));
                    result.NewOrderId = outcome.Order.OrderId;
                    renewed = _certificates.Get(outcome.Order.CertificateIdentifier!);
                }
                else
                {
                    var newKey = lineage.Entry?.NewKey == true ? NewKey(lineage, callbacks, cancellation) : ((CsrContent Csr, int CsrId)?)null;
                    using var batch = _certificates.BeginBatch();
                    batch.Add(IssuanceRequest.Renewing(certificate, _clock(), newKey?.Csr), callbacks?.Progress, cancellation);
                    renewed = batch.Commit(cancellation)[0];
                }
            }
            catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled)
            {
                result.Status = nameof(RenewalStatus.Failed);
                result.Reason = e.Message;
                result.ErrorId = e.ErrorId;
                failed?.Invoke(e);
                if (Recorded(lineage)) Record(certificate.Identifier, null, RenewalStatus.Failed, e.Message, cancellation);
                return result;
            }

            // The settings follow the certificate before anything else can fail, so that the new one renews in its turn.
            if (Recorded(lineage)) Record(certificate.Identifier, renewed.Identifier, RenewalStatus.Renewed, null, cancellation);
            var deploy = runHook == null ? null : _orders.Hooks.Get(HookType.Deploy);
            if (deploy != null)
            {
                try
                {
                    HookCall.Run(runHook!, deploy, new Dictionary<string, object?> { ["Certificate"] = renewed }, Messages.HookDoingDeploy.Format(renewed.Identifier), cancellation);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.HookFailed)
                {
                    hookErrors.Add(e.Message);
                }
            }
            result.Status = nameof(RenewalStatus.Renewed);
            result.Reason = Messages.RenewalRenewedAs.Format(renewed.Identifier);
            result.ReplacedBy = renewed.Identifier;
            result.NewCertificate = renewed;
            if (hookErrors.Count > 0)
            {
                result.HookError = string.Join(" ", hookErrors);
                if (Recorded(lineage)) Record(renewed.Identifier, null, RenewalStatus.Renewed, result.HookError, cancellation);
            }
            return result;
        }

        /// <summary>When the certificate is due: by its server's renewal information when there is some, else by its lifetime.</summary>
        private (DateTimeOffset RenewAt, string Reason, string? ExplanationUrl) WhenDue(Lineage lineage, string? certificateId, bool whatIf,
            OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var certificate = lineage.Certificate;
            var entry = lineage.Entry;
            var now = _clock();
            if (lineage.Order != null && certificateId != null)
            {
                var window = entry?.RenewalInfo;
                if (window == null || window.CheckAfter <= now)
                {
                    AcmeRenewalInfo? info;
                    try
                    {
                        info = _orders.Renewal.RenewalInfo(lineage.Order, certificateId, callbacks, cancellation);
                        window = info == null ? null : RenewalTiming.Window(info, window, now, _random);
                        var remembered = window;
                        if (!whatIf && (remembered != null || entry?.RenewalInfo != null))
                        {
                            _settings.Update(certificate.Identifier, e =>
                            {
                                e.RenewalInfo = remembered;
                                return e;
                            }, cancellation);
                        }
                    }
                    catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled)
                    {
                        // The window read before, if any, still stands; without one, the lifetime decides this time.
                        callbacks?.Warning?.Invoke(Messages.RenewalInfoUnreadable.Format(certificate.Identifier, e.Message));
                    }
                }
                if (window != null)
                {
                    return (window.RenewAt, Messages.RenewalNotDueWindow.Format(Text(window.RenewAt), Text(window.Start), Text(window.End)), window.ExplanationUrl);
                }
            }
            var renewAt = RenewalTiming.ByLifetime(certificate.NotBefore, certificate.NotAfter, entry?.RenewAfterPercent);
            return (renewAt, entry?.RenewAfterPercent is int percent
                ? Messages.RenewalNotDuePercent.Format(Text(renewAt), percent)
                : Messages.RenewalNotDueTwoThirds.Format(Text(renewAt)), null);
        }

        /// <summary>
        /// The request of a new key for a renewal: the one made for an earlier attempt that failed, or a new CSR in the store
        /// with the subject, names and algorithm of the certificate's own.
        /// </summary>
        private (CsrContent Csr, int CsrId) NewKey(Lineage lineage, OrderCallbacks? callbacks, CancellationToken cancellation)
        {
            var pending = lineage.Entry?.PendingCsrId;
            if (pending.HasValue)
            {
                try
                {
                    var existing = _csrs.Get(pending.Value);
                    if (existing.Csr != null) return (CsrContent.FromText(existing.Csr, existing.Name), existing.Id);
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.CsrNotFound)
                {
                    // Removed meanwhile: a new one is made.
                }
            }
            var old = CheckNewKey(lineage.Certificate);
            var created = _csrs.Create(new NewCsrRequest
            {
                CommonName = old.CommonName,
                SubjectAlternativeNames = old.SubjectAlternativeNames,
                Country = old.Country,
                State = old.State,
                Locality = old.Locality,
                Organization = old.Organization,
                OrganizationalUnit = old.OrganizationalUnit,
                Email = old.Email,
                Algorithm = old.Algorithm,
                Remark = Messages.RenewalCsrRemark.Format(lineage.Certificate.Identifier),
            }, callbacks?.Progress, cancellation);
            _settings.Update(lineage.Certificate.Identifier, e =>
            {
                e.PendingCsrId = created.Id;
                return e;
            }, cancellation);
            return (CsrContent.FromText(created.Csr!, created.Name), created.Id);
        }

        /// <summary>
        /// Whether attempts are kept with the certificate: for every ACME certificate, and for a store-issued one with
        /// settings. A store-issued certificate renewed once by name gets none, so that it does not look set up.
        /// </summary>
        private static bool Recorded(Lineage lineage) => lineage.IsAcme || lineage.Entry != null;

        /// <summary>
        /// Records an attempt in the certificate's settings; a renewal moves them to <paramref name="renewedAs"/>, without the
        /// old certificate's renewal window or pending CSR.
        /// </summary>
        private void Record(string identifier, string? renewedAs, RenewalStatus status, string? message, CancellationToken cancellation) =>
            _settings.Update(identifier, e =>
            {
                if (renewedAs != null)
                {
                    e.Identifier = renewedAs;
                    e.RenewalInfo = null;
                    e.PendingCsrId = null;
                }
                e.LastAttempt = _clock();
                e.LastStatus = status.ToString();
                e.LastMessage = message;
                return e;
            }, cancellation);

        /// <summary>
        /// Settings left on a certificate that was renewed (a process stopped between the two writes) move on to the
        /// certificate that renewed it, unless that one has its own.
        /// </summary>
        private void MoveStaleSettings(CancellationToken cancellation)
        {
            var entries = _settings.Load();
            if (entries.Count == 0) return;
            var stale = _certificates.FindEach(new CertificateQuery { Identifiers = entries.Keys.ToList() }, new List<PkiException>())
                .Where(c => c.ReplacedBy != null && !entries.ContainsKey(c.ReplacedBy))
                .ToList();
            foreach (var certificate in stale)
            {
                _settings.Update(certificate.Identifier, e =>
                {
                    e.Identifier = certificate.ReplacedBy!;
                    e.RenewalInfo = null;
                    return e;
                }, cancellation);
            }
        }

        private static RenewalResult Skipped(RenewalResult result, string reason)
        {
            result.Status = nameof(RenewalStatus.Skipped);
            result.Reason = reason;
            return result;
        }

        private static string Text(DateTimeOffset value) => ValidityPeriod.Text(value);
    }
}
