using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Issues certificates in groups: <see cref="Add(NewCertificateRequest, IProgress{string}, CancellationToken)"/>
    /// checks a request against the rules of issuing (<see cref="IssuanceRules"/>) and of its profile
    /// (<see cref="CertificateProfile"/>) and signs its certificate (the store is not touched); <see cref="Commit"/>
    /// records every signed certificate with one durable append per issuer and only then returns them. An issuer's certificate, chain and key are read once
    /// per batch, not once per certificate. A certificate never committed was never returned, so it is not
    /// lost: it was never issued.
    /// <see cref="Submit"/> does what Add does on worker threads, one per core (New-ServerCertificate's pipeline): the
    /// same checks in the same order, so the same request is refused with the same error, which
    /// <see cref="TakeRefused"/> hands back in the order the requests were submitted; Commit waits for the workers and
    /// returns the certificates in the order they were added or submitted.
    /// </summary>
    public sealed class IssuanceBatch : IDisposable
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;
        private readonly object _sync = new object();
        private readonly List<IssuerContext> _issuers = new List<IssuerContext>();
        private readonly Dictionary<string, CaRecord> _resolved = new Dictionary<string, CaRecord>(StringComparer.OrdinalIgnoreCase);
        private readonly List<Pending> _pending = new List<Pending>();
        /// <summary>Submitted requests not yet moved to <see cref="_pending"/> or <see cref="_refused"/>, in the order submitted.</summary>
        private readonly List<Submitted> _submitted = new List<Submitted>();
        private readonly List<PkiException> _refused = new List<PkiException>();
        private Func<byte[], int?>? _csrIds;
        private long _sequence;
        /// <summary>Submitted requests not yet done, and whether a thread waits for that count to reach zero (under <see cref="_sync"/>).</summary>
        private int _inFlight;
        private bool _waiting;
        private Workers? _workers;
        private volatile bool _disposed;

        internal IssuanceBatch(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>
        /// How many signed certificates a batch should hold before it is committed: one durable write then serves
        /// them all, while memory and the wait for the first result stay small on a long pipeline.
        /// </summary>
        public const int PreferredSize = 256;

        /// <summary>How many worker threads <see cref="Submit"/> uses: one per core, at most eight.</summary>
        internal static int WorkerCount => Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

        /// <summary>Certificates signed and not yet committed, and requests submitted and not yet checked.</summary>
        public int Count
        {
            get
            {
                lock (_sync) return _pending.Count + _submitted.Count;
            }
        }

        /// <summary>Whether the batch holds <see cref="PreferredSize"/> certificates and should be committed.</summary>
        public bool IsFull => Count >= PreferredSize;

        /// <summary>
        /// Checks <paramref name="request"/> against every rule of issuing and of its profile, and signs its certificate.
        /// A request that breaks a rule throws its PkiException and leaves the batch as it was.
        /// </summary>
        public void Add(NewCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            progress?.Report(Messages.ProgressCheckingCsr);
            Add(IssuanceRequest.FromCsr(request), progress, cancellation);
        }

        /// <summary>Issues what <paramref name="request"/> asks for, as its profile makes it, through the issuer it names.</summary>
        internal void Add(IssuanceRequest request, IProgress<string>? progress, CancellationToken cancellation)
        {
            var pending = Prepare(request, progress, cancellation);
            lock (_sync)
            {
                pending.Sequence = _sequence++;
                _pending.Add(pending);
            }
        }

        /// <summary>
        /// Queues <paramref name="request"/> for a worker thread, which checks it and signs its certificate as
        /// <see cref="Add(NewCertificateRequest, IProgress{string}, CancellationToken)"/> would; a request that breaks a
        /// rule comes back from <see cref="TakeRefused"/>, with the error Add would have thrown. Progress is reported here,
        /// on the caller's thread, never from a worker.
        /// </summary>
        public void Submit(NewCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (_disposed) throw new ObjectDisposedException(nameof(IssuanceBatch));
            progress?.Report(Messages.ProgressCheckingCsr);
            Submitted item;
            lock (_sync)
            {
                _workers ??= new Workers(Run, WorkerCount);
                item = new Submitted(_sequence++, request, cancellation);
                _submitted.Add(item);
                _inFlight++;
            }
            _workers.Queue(item);
        }

        /// <summary>
        /// The submitted requests refused since the last call, in the order they were submitted: those whose every
        /// predecessor is done too, or, with <paramref name="wait"/>, all of them once every submitted request is done.
        /// An unexpected failure of a worker (not a rule) is thrown here, in its turn.
        /// </summary>
        public IReadOnlyList<PkiException> TakeRefused(bool wait = false, CancellationToken cancellation = default)
        {
            lock (_sync)
            {
                if (wait) WaitForWorkers(cancellation);
                MoveDone();
                var refused = _refused.ToList();
                _refused.Clear();
                return refused;
            }
        }

        /// <summary>Waits, holding <see cref="_sync"/>, until every submitted request is done (woken once, by the last).</summary>
        private void WaitForWorkers(CancellationToken cancellation)
        {
            while (_inFlight > 0)
            {
                cancellation.ThrowIfCancellationRequestedAsPki();
                _waiting = true;
                Monitor.Wait(_sync, 50);
                _waiting = false;
            }
        }

        /// <summary>Moves the done submissions at the head of the queue to the pending certificates or the refusals, holding <see cref="_sync"/>.</summary>
        private void MoveDone()
        {
            while (_submitted.Count > 0 && _submitted[0].Done)
            {
                var item = _submitted[0];
                _submitted.RemoveAt(0);
                if (item.Failure != null) item.Failure.Throw();
                if (item.Refusal != null) _refused.Add(item.Refusal);
                else _pending.Add(item.Issued!);
            }
        }

        /// <summary>A worker's turn at one submitted request: what Add does, its outcome kept for the caller's thread.</summary>
        private void Run(Submitted item)
        {
            var thread = Thread.CurrentThread;
            thread.CurrentCulture = item.Culture;
            thread.CurrentUICulture = item.UICulture;
            try
            {
                if (_disposed) throw new PkiException(ErrorIds.OperationCancelled, PkiErrorKind.OperationStopped, null, Messages.OperationCancelled);
                item.Issued = Prepare(IssuanceRequest.FromCsr(item.Request), null, item.Cancellation);
                item.Issued.Sequence = item.Sequence;
            }
            catch (PkiException e)
            {
                item.Refusal = e;
            }
            catch (Exception e)
            {
                item.Failure = ExceptionDispatchInfo.Capture(e);
            }
            lock (_sync)
            {
                item.Done = true;
                if (--_inFlight == 0 && _waiting) Monitor.PulseAll(_sync);
            }
        }

        /// <summary>Checks <paramref name="request"/> against every rule and signs its certificate; the batch is not changed.</summary>
        private Pending Prepare(IssuanceRequest request, IProgress<string>? progress, CancellationToken cancellation)
        {
            var context = Issuer(request.Issuer, request.IssuerKeyPassword);
            var issuer = context.Authority;
            var profile = request.Profile;
            issuer.RequireCurrent(_cas.Now);
            IssuanceRules.CheckKey(request, issuer);
            var namesAsked = profile.NamesAsked(request);
            var subject = IssuanceRules.Subject(request, issuer, namesAsked);
            var names = profile.Covered(subject.CommonName, namesAsked);
            IssuanceRules.CheckNameConstraints(names, context.Chain);
            var validity = ValidityPeriod.ForIssued(request.Days, request.Months, request.Years, request.NotBefore, request.NotAfter,
                profile.DefaultLifetime, _cas.Now, issuer.NotBefore, issuer.NotAfter);
            var crlUrl = IssuanceRules.CrlUrl(request, issuer);
            var key = context.Key();
            cancellation.ThrowIfCancellationRequestedAsPki();

            progress?.Report(Messages.ProgressSigning);
            var subjectKey = request.SubjectKey;
            var pending = new Pending(context, profile, subject.ToX509Name(), subjectKey, names, validity, crlUrl, request.IncludeChain)
            {
                Record = new IssuedRecord
                {
                    Identifier = Hex.Lower(SerialNumber.Generate()),
                    CommonName = subject.CommonName,
                    DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                    IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                    Algorithm = subjectKey.Description,
                    NotBefore = validity.NotBefore,
                    NotAfter = validity.NotAfter,
                    CsrId = CsrIds()(subjectKey.SubjectPublicKeyInfo),
                    Profile = profile.Name,
                    Replaces = request.Replaces,
                    EmailAddresses = IssuedOutput.NamesOf(names, SubjectAlternativeNameType.Email),
                    UserPrincipalNames = IssuedOutput.NamesOf(names, SubjectAlternativeNameType.UserPrincipalName),
                    Uris = IssuedOutput.NamesOf(names, SubjectAlternativeNameType.Uri),
                },
            };
            pending.Record.Subject = new X500DistinguishedName(pending.Subject.GetDerEncoded()).Name;
            pending.Sign(key, SerialNumber.Generate());
            return pending;
        }

        private Func<byte[], int?> CsrIds()
        {
            lock (_sync) return _csrIds ??= new CsrService(_store).PublicKeyLookup();
        }

        /// <summary>
        /// Records every certificate signed since the last commit, each issuer's with one durable append under the
        /// store lock, and returns them in the order they were added. A serial number already used by the issuer
        /// (127 random bits make that all but impossible; the check makes it impossible) is drawn again first.
        /// When one issuer's append fails, the exception returns nothing, although the appends of issuers before it
        /// stand: those certificates are in the store, listed by Get-IssuedCertificate, but were never handed out.
        /// (New-ServerCertificate's batches have one issuer, so there it is all or nothing.)
        /// </summary>
        public IReadOnlyList<IssuedCertificate> Commit(CancellationToken cancellation = default)
        {
            lock (_sync)
            {
                WaitForWorkers(cancellation);
                MoveDone();
            }
            if (_pending.Count == 0) return Array.Empty<IssuedCertificate>();
            _pending.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            using (_store.Lock(cancellation))
            {
                var issuedAt = _cas.Now;
                foreach (var group in _pending.GroupBy(p => p.Context.Authority.Record.Id))
                {
                    var journal = new IssuedJournal(_store, group.Key);
                    var serials = journal.Serials();
                    foreach (var pending in group)
                    {
                        while (!serials.Add(pending.Record.SerialNumber))
                        {
                            pending.Sign(pending.Context.Key(), SerialNumber.Generate());
                        }
                        pending.Record.IssuedAt = issuedAt;
                    }
                    journal.AppendIssued(group.Select(p => new KeyValuePair<IssuedRecord, byte[]>(p.Record, p.Der)).ToList());
                }
            }
            var issued = _pending.Select(p =>
            {
                var der = p.Der;
                return IssuedOutput.From(p.Context.Authority.Record.Name, p.Context.Authority.Record.Id, p.Record,
                    () => der, p.IncludeChain ? p.Context.ChainPem : null, CertificateStatus.Valid, _store.Root);
            }).ToList();
            _pending.Clear();
            return issued;
        }

        public void Dispose()
        {
            _disposed = true;
            _workers?.Dispose(); // the workers drop what is still queued and end
            _workers = null;
            _pending.Clear();
            _submitted.Clear();
            _inFlight = 0;
            foreach (var issuer in _issuers) issuer.Dispose();
            _issuers.Clear();
        }

        private IssuerContext Issuer(CaIdentity identity, SecureString? password)
        {
            lock (_sync) return IssuerLocked(identity, password);
        }

        private IssuerContext IssuerLocked(CaIdentity identity, SecureString? password)
        {
            if (!_resolved.TryGetValue(identity.Value, out var record))
            {
                record = _cas.Repository.Resolve(identity);
                _resolved[identity.Value] = record;
            }
            var context = _issuers.FirstOrDefault(c => c.Authority.Record.Id == record.Id && ReferenceEquals(c.Password, password));
            if (context != null) return context;
            var authority = _cas.Repository.Load(record);
            if (authority.Record.IsRoot)
            {
                throw new PkiException(ErrorIds.IssuerNotIntermediate, PkiErrorKind.InvalidArgument, authority.Record.Name,
                    Messages.IssuerNotIntermediate.Format(authority.Record.Name));
            }
            context = new IssuerContext(_cas, authority, password);
            _issuers.Add(context);
            return context;
        }

        /// <summary>
        /// An issuer as the batch uses it: loaded once, its key opened on first use and kept until the batch ends; each
        /// worker thread signs with a copy of its own, so no key object is ever used by two threads at once.
        /// </summary>
        private sealed class IssuerContext : IDisposable
        {
            private readonly CaService _cas;
            private readonly object _keyLock = new object();
            private readonly ThreadLocal<CertificateBuilder.Issuer?> _threadIssuers = new ThreadLocal<CertificateBuilder.Issuer?>(trackAllValues: true);
            private PrivateKey? _key;
            private string? _chainPem;

            public IssuerContext(CaService cas, StoredCa authority, SecureString? password)
            {
                _cas = cas;
                Authority = authority;
                Password = password;
                Chain = cas.Repository.Chain(authority);
            }

            public StoredCa Authority { get; }
            public SecureString? Password { get; }
            public IReadOnlyList<StoredCa> Chain { get; }
            public string ChainPem => _chainPem ??= IssuedOutput.ChainPem(Chain);

            public CertificateBuilder.Issuer Key()
            {
                var issuer = _threadIssuers.Value;
                if (issuer == null)
                {
                    PrivateKey key;
                    lock (_keyLock)
                    {
                        if (_key == null)
                        {
                            // Checked against the CA's certificate (CaKeyMismatch) before anything is signed with it.
                            key = _key = _cas.Keys.Open(Authority, Password);
                        }
                        else
                        {
                            var pkcs8 = _key.ExportPkcs8();
                            try
                            {
                                key = PrivateKey.FromPkcs8(pkcs8, Authority.Record.Name);
                            }
                            finally
                            {
                                Array.Clear(pkcs8, 0, pkcs8.Length);
                            }
                            try
                            {
                                // A copy signs only as the key it was made from: the one that matched the certificate.
                                _cas.Keys.RequireMatch(Authority, key);
                            }
                            catch
                            {
                                key.Dispose();
                                throw;
                            }
                        }
                    }
                    _threadIssuers.Value = issuer = new CertificateBuilder.Issuer(Authority.Certificate.Subject, Authority.SubjectPublicKeyInfo, key);
                }
                return issuer;
            }

            public void Dispose()
            {
                foreach (var issuer in _threadIssuers.Values) issuer?.Key.Dispose();
                _threadIssuers.Dispose();
            }
        }

        /// <summary>A certificate signed and waiting for its commit.</summary>
        private sealed class Pending
        {
            private readonly CertificateProfile _profile;
            private readonly PublicKeyInfo _subjectKey;
            private readonly IReadOnlyList<SubjectAlternativeName> _names;
            private readonly ValidityPeriod _validity;
            private readonly string? _crlUrl;

            public Pending(IssuerContext context, CertificateProfile profile, X509Name subject, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names,
                ValidityPeriod validity, string? crlUrl, bool includeChain)
            {
                Context = context;
                _profile = profile;
                Subject = subject;
                _subjectKey = subjectKey;
                _names = names;
                _validity = validity;
                _crlUrl = crlUrl;
                IncludeChain = includeChain;
            }

            public IssuerContext Context { get; }
            /// <summary>When it was added or submitted: certificates are committed and returned in this order.</summary>
            public long Sequence { get; set; }
            public X509Name Subject { get; }
            public bool IncludeChain { get; }
            public IssuedRecord Record { get; set; } = new IssuedRecord();
            public byte[] Der { get; private set; } = new byte[0];

            public void Sign(CertificateBuilder.Issuer issuer, byte[] serial)
            {
                Der = CertificateBuilder.Issued(_profile, Subject, _subjectKey, _names, issuer, serial, _validity, _crlUrl);
                Record.SerialNumber = SerialNumber.ToHex(serial);
                using var sha1 = SHA1.Create();
                Record.Thumbprint = Hex.Lower(sha1.ComputeHash(Der)).ToUpperInvariant();
            }
        }
            /// <summary>A submitted request and, once <see cref="Done"/>, its outcome: a signed certificate, a refusal or a failure.</summary>
        private sealed class Submitted
        {
            public Submitted(long sequence, NewCertificateRequest request, CancellationToken cancellation)
            {
                Sequence = sequence;
                Request = request;
                Cancellation = cancellation;
                Culture = CultureInfo.CurrentCulture;
                UICulture = CultureInfo.CurrentUICulture;
            }

            /// <summary>The submitting thread's cultures, which the worker takes on, so a refusal reads as Add's would.</summary>
            public CultureInfo Culture { get; }
            public CultureInfo UICulture { get; }

            public long Sequence { get; }
            public NewCertificateRequest Request { get; }
            public CancellationToken Cancellation { get; }
            public Pending? Issued { get; set; }
            public PkiException? Refusal { get; set; }
            public ExceptionDispatchInfo? Failure { get; set; }
            /// <summary>Set, under the batch's lock, after the outcome.</summary>
            public bool Done { get; set; }
        }

        /// <summary>Worker threads taking submitted requests in turn; on Dispose they skip what is left and end.</summary>
        private sealed class Workers : IDisposable
        {
            private readonly BlockingCollection<Submitted> _queue = new BlockingCollection<Submitted>();
            private readonly Thread[] _threads;

            public Workers(Action<Submitted> run, int count)
            {
                _threads = new Thread[count];
                for (var i = 0; i < count; i++)
                {
                    _threads[i] = new Thread(() =>
                    {
                        foreach (var item in _queue.GetConsumingEnumerable()) run(item);
                    })
                    {
                        IsBackground = true,
                        Name = "PkiCmdlets issuance " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    };
                    _threads[i].Start();
                }
            }

            public void Queue(Submitted item) => _queue.Add(item);

            public void Dispose()
            {
                _queue.CompleteAdding();
                foreach (var thread in _threads) thread.Join();
                _queue.Dispose();
            }
        }
    }
}
