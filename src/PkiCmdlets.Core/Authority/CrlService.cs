using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Builds and writes a CA's CRL from its journal's revocations, with a CRL number that only grows; or keeps one a CA signed
    /// outside the store (Import-Crl).
    /// </summary>
    public sealed class CrlService
    {
        public const int DefaultNextUpdateHours = 168;
        public const int MaxNextUpdateHours = 24 * 366;

        private readonly CaService _cas;
        private readonly PkiStore _store;

        public CrlService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal CrlService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// Signs a new CRL of every certificate the issuer revoked and keeps it in the store; with a
        /// <see cref="PublishCrlRequest.Path"/>, also writes a copy there. Everything is checked before anything is written.
        /// </summary>
        public PublishedCrl Publish(PublishCrlRequest request, CancellationToken cancellation = default)
        {
            var path = request.Path;
            if (path != null) OutputFile.RequireNewOrForced(path, request.Force);
            var hours = request.NextUpdateHours ?? DefaultNextUpdateHours;
            if (hours < 1 || hours > MaxNextUpdateHours)
            {
                throw new PkiException(ErrorIds.InvalidNextUpdate, PkiErrorKind.InvalidArgument, hours, Messages.InvalidNextUpdate.Format(hours, MaxNextUpdateHours));
            }
            var issuer = _cas.Load(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request)));
            issuer.RequireCurrent(_cas.Now);
            using var key = _cas.Keys.Open(issuer, request.IssuerKeyPassword);
            var thisUpdate = _cas.Now;
            var nextUpdate = thisUpdate.AddHours(hours);
            if (nextUpdate > issuer.NotAfter) nextUpdate = issuer.NotAfter;

            _store.EnsureCreated(StoreLayout.CrlFolder);
            using (_store.Lock(cancellation))
            {
                var id = issuer.Record.Id;
                var statePath = StoreLayout.CrlNumber(id);
                var state = ReadState(id);
                var previous = PreviousCrl(id);
                var problems = new List<PkiException>();
                var revoked = Revoked(id, state, previous, problems, out var reached);
                if (problems.Count > 0) throw problems[0];
                // The number only grows, whichever of the two records of the last one is ahead (one may have been rolled back).
                var number = Math.Max(state.LastCrlNumber, previous?.Number ?? 0) + 1;
                var der = CrlBuilder.Build(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, key, number, thisUpdate, nextUpdate, revoked);
                var text = Pem.Encode(Pem.CrlLabel, der);
                // The number is taken, durably, before any CRL carries it: a crash after this skips a number, never repeats one.
                _store.WriteJson(statePath, new CrlState { LastCrlNumber = number, Journal = reached.Lines > 0 ? reached : null });
                if (path != null)
                {
                    OutputFile.Write(path, request.AsPem ? PkiStore.Utf8(text) : der, OutputFile.PublicMode);
                }
                _store.WriteText(StoreLayout.Crl(id), text);
                return new PublishedCrl
                {
                    IssuerName = issuer.Record.Name,
                    IssuerId = id,
                    CrlNumber = number,
                    ThisUpdate = thisUpdate,
                    NextUpdate = nextUpdate,
                    RevokedCount = revoked.Count,
                    CrlUrl = issuer.Record.CrlUrl,
                    StoreFile = _store.FullPath(StoreLayout.Crl(id)),
                    Path = path,
                    Pem = text,
                    Der = der,
                };
            }
        }

        /// <summary>
        /// Keeps a CRL a CA signed outside the store (an offline root's, signed where its key is) as that CA's latest CRL, as
        /// Publish-Crl keeps its own: the file (PEM or DER) must be a CRL whose signature a CA of the store made
        /// (CrlIssuerNotFound otherwise; with <paramref name="issuer"/>, that CA), with a CRL number above the last one kept
        /// for it, by the CRL state or the stored CRL, whichever is ahead (CrlNotNewer), so numbers only grow. The number is
        /// taken before the CRL is written, as by Publish-Crl. Its copy in the store is what Export-CA -CrlPath writes.
        /// </summary>
        public PublishedCrl Import(string path, CaIdentity? issuer = null, CancellationToken cancellation = default)
        {
            var bytes = InputFile.Read(path, e => new PkiException(ErrorIds.CrlUnreadable, PkiErrorKind.ObjectNotFound, path, Messages.CrlUnreadable.Format(path, e.Message), e));
            Org.BouncyCastle.Asn1.X509.CertificateList crl;
            byte[] der;
            long number;
            try
            {
                der = InputFile.IsDer(bytes) ? bytes : Pem.Decode(InputFile.Text(bytes), Pem.CrlLabel);
                crl = Org.BouncyCastle.Asn1.X509.CertificateList.GetInstance(DerInput.Read(der, path));
                var extension = crl.TbsCertList.Extensions?.GetExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.CrlNumber)
                    ?? throw new ArgumentException(Messages.ReasonCrlNumberMissing);
                var value = Org.BouncyCastle.Asn1.DerInteger.GetInstance(extension.GetParsedValue()).Value;
                if (value.SignValue < 0 || value.BitLength > 62) throw new ArgumentException(Messages.ReasonCrlNumberRange);
                number = value.LongValue;
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.InvalidPem })
            {
                throw new PkiException(ErrorIds.CrlUnreadable, PkiErrorKind.InvalidData, path,
                    Messages.CrlUnreadable.Format(path, e is PkiException ? e.Message : Malformed.Reason(e, Messages.ReasonDerDamaged)), e);
            }

            var candidates = issuer != null ? new List<StoredCa> { _cas.Load(issuer) }
                : _cas.Repository.LoadReadable().Where(c => c.Certificate.Subject.Equivalent(crl.Issuer)).ToList();
            var signer = candidates.FirstOrDefault(c => c.Certificate.Subject.Equivalent(crl.Issuer)
                && PublicKeyInfo.FromSubjectPublicKeyInfo(c.SubjectPublicKeyInfo, c.Record.Name).Verify(crl.SignatureAlgorithm.GetDerEncoded(), crl.TbsCertList.GetDerEncoded(), crl.Signature.GetOctets()));
            if (signer == null)
            {
                throw new PkiException(ErrorIds.CrlIssuerNotFound, PkiErrorKind.ObjectNotFound, path,
                    Messages.CrlIssuerNotFound.Format(path, crl.Issuer.ToString(), issuer?.Value ?? Messages.CrlIssuerAnyCa));
            }
            var text = Pem.Encode(Pem.CrlLabel, der);
            var id = signer.Record.Id;
            _store.EnsureCreated(StoreLayout.CrlFolder);
            using (_store.Lock(cancellation))
            {
                var state = ReadState(id);
                var kept = PreviousCrl(id)?.Number ?? 0;
                // The number only grows, whichever of the two records of the last one is ahead (one may have been rolled back);
                // a number taken by an import that stopped before its CRL was written is that CRL's to finish.
                var last = Math.Max(state.LastCrlNumber, kept);
                var interrupted = number == state.LastCrlNumber && number == state.ImportedCrlNumber && kept < number;
                if (number <= last && !interrupted)
                {
                    throw new PkiException(ErrorIds.CrlNotNewer, PkiErrorKind.InvalidData, path, Messages.CrlNotNewer.Format(path, number, signer.Record.Name, last));
                }
                // As Publish-Crl does: the number is taken, durably, before the CRL that carries it is written.
                _store.WriteJson(StoreLayout.CrlNumber(id), new CrlState { LastCrlNumber = number, Journal = state.Journal, ImportedCrlNumber = number });
                _store.WriteText(StoreLayout.Crl(id), text);
            }
            return new PublishedCrl
            {
                IssuerName = signer.Record.Name,
                IssuerId = id,
                CrlNumber = number,
                ThisUpdate = new DateTimeOffset(crl.ThisUpdate.ToDateTime().ToUniversalTime(), TimeSpan.Zero),
                NextUpdate = crl.NextUpdate == null ? default : new DateTimeOffset(crl.NextUpdate.ToDateTime().ToUniversalTime(), TimeSpan.Zero),
                RevokedCount = crl.GetRevokedCertificates().Length,
                CrlUrl = signer.Record.CrlUrl,
                StoreFile = _store.FullPath(StoreLayout.Crl(id)),
                Path = path,
                Pem = text,
                Der = der,
            };
        }

        /// <summary>The latest CRL the store keeps for a CA (published or imported), as PEM; null when it has none.</summary>
        internal string? Latest(string caId) => _store.Exists(StoreLayout.Crl(caId)) ? _store.ReadText(StoreLayout.Crl(caId)) : null;

        /// <summary>
        /// The revoked certificates of one issuer. A damaged line might be a revocation, and a CRL that silently left
        /// one out would vouch for a revoked certificate, so damage is an error here, not a warning: a line that does not
        /// hold in the journal's chain, a journal that lost lines since its head or since the last CRL, and a journal that
        /// no longer records a certificate the last CRL listed.
        /// </summary>
        private List<RevocationEntry> Revoked(string issuerId, CrlState state, StoredCrl? previous, List<PkiException> problems, out JournalMark reached)
        {
            var marks = new List<JournalMark>();
            if (state.Journal != null)
            {
                state.Journal.Source = _store.FullPath(StoreLayout.CrlNumber(issuerId));
                marks.Add(state.Journal);
            }
            var journal = new IssuedJournal(_store, issuerId);
            var before = problems.Count;
            var entries = journal.RevokedEntries(problems, marks, out reached);
            // A journal that does not hold is reported for what it is; what it then seems to drop would only repeat that.
            // A CRL signed elsewhere (Import-Crl) lists what it lists; only the store's own CRLs are built from the journal.
            if (previous != null && problems.Count == before && previous.Number != state.ImportedCrlNumber)
            {
                var now = new HashSet<string>(entries.Select(e => StoredCrl.SerialKey(e.Serial)), StringComparer.Ordinal);
                var dropped = previous.Serials.Where(s => !now.Contains(s)).ToList();
                if (dropped.Count > 0)
                {
                    var journalPath = _store.FullPath(IssuedJournal.PathOf(issuerId));
                    problems.Add(new PkiException(ErrorIds.StoreRecordCorrupt, PkiErrorKind.InvalidData, journalPath,
                        Messages.JournalDropsRevocations.Format(journalPath, _store.FullPath(StoreLayout.Crl(issuerId)), previous.Number, dropped.Count, dropped[0].ToUpperInvariant())));
                }
            }
            return entries;
        }

        /// <summary>
        /// Test-PkiStore's check of one CA's revocation state, changing nothing: what Publish-Crl would refuse (a journal
        /// that does not hold, that lost lines since the last CRL, that dropped a revocation the last CRL lists), a CRL
        /// state behind the CRL it numbers, and a stored CRL the CA did not sign, each to <paramref name="problems"/>.
        /// </summary>
        /// <returns>How far the journal reaches.</returns>
        internal JournalMark Verify(StoredCa issuer, List<PkiException> problems)
        {
            var id = issuer.Record.Id;
            var state = new CrlState();
            StoredCrl? previous = null;
            try
            {
                state = ReadState(id);
                previous = PreviousCrl(id);
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
            {
                problems.Add(e);
            }
            Revoked(id, state, previous, problems, out var reached);
            if (previous == null) return reached;
            if (previous.Number > state.LastCrlNumber)
            {
                problems.Add(_store.Corrupt(StoreLayout.CrlNumber(id), Messages.ReasonCrlNumberBehind.Format(state.LastCrlNumber, previous.Number), null));
            }
            var signer = PublicKeyInfo.FromSubjectPublicKeyInfo(issuer.SubjectPublicKeyInfo, _store.FullPath(StoreLayout.CaCertificate(id)));
            if (!signer.Verify(previous.SignatureAlgorithm, previous.ToBeSigned, previous.Signature))
            {
                problems.Add(_store.Corrupt(StoreLayout.Crl(id), Messages.ReasonCrlNotSignedByCa.Format(issuer.Record.Name), null));
            }
            return reached;
        }

        private CrlState ReadState(string issuerId) =>
            _store.Exists(StoreLayout.CrlNumber(issuerId)) ? _store.ReadJson<CrlState>(StoreLayout.CrlNumber(issuerId)) : new CrlState();

        /// <summary>The CRL the store keeps from the last Publish-Crl, or null; StoreRecordCorrupt naming it when it does not read.</summary>
        private StoredCrl? PreviousCrl(string issuerId)
        {
            var path = StoreLayout.Crl(issuerId);
            if (!_store.Exists(path)) return null;
            try
            {
                return StoredCrl.Read(Pem.Decode(_store.ReadText(path), Pem.CrlLabel));
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.InvalidPem })
            {
                throw _store.Corrupt(path, Malformed.Reason(e, Messages.ReasonDerDamaged), e);
            }
        }

        /// <summary>
        /// crls/&lt;ca id&gt;.json: the last CRL number taken, how far the journal reached when the store's last CRL was built, and
        /// whether the last one was imported.
        /// </summary>
        private sealed class CrlState
        {
            public long LastCrlNumber { get; set; }
            public JournalMark? Journal { get; set; }

            /// <summary>The number of the CRL Import-Crl kept, while it is the last one taken; null after Publish-Crl.</summary>
            public long? ImportedCrlNumber { get; set; }
        }
    }
}
