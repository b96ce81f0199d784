using System;
using System.Collections.Generic;
using System.Linq;
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
    /// </summary>
    public sealed class IssuanceBatch : IDisposable
    {
        private readonly CaService _cas;
        private readonly PkiStore _store;
        private readonly List<IssuerContext> _issuers = new List<IssuerContext>();
        private readonly Dictionary<string, CaRecord> _resolved = new Dictionary<string, CaRecord>(StringComparer.OrdinalIgnoreCase);
        private readonly List<Pending> _pending = new List<Pending>();
        private Func<byte[], int?>? _csrIds;

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

        /// <summary>Certificates signed and not yet committed.</summary>
        public int Count => _pending.Count;

        /// <summary>Whether the batch holds <see cref="PreferredSize"/> certificates and should be committed.</summary>
        public bool IsFull => _pending.Count >= PreferredSize;

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
                    CsrId = (_csrIds ??= new CsrService(_store).PublicKeyLookup())(subjectKey.SubjectPublicKeyInfo),
                    Profile = profile.Name,
                },
            };
            pending.Record.Subject = new X500DistinguishedName(pending.Subject.GetDerEncoded()).Name;
            pending.Sign(key, SerialNumber.Generate());
            _pending.Add(pending);
        }

        /// <summary>
        /// Records every certificate signed since the last commit, each issuer's with one durable append under the
        /// store lock, and returns them in the order they were added. A serial number already used by the issuer
        /// (127 random bits make that all but impossible; the check makes it impossible) is drawn again first.
        /// When one issuer's append fails, the exception returns nothing, although the appends of issuers before it
        /// stand: those certificates are in the store, listed by Get-ServerCertificate, but were never handed out.
        /// (New-ServerCertificate's batches have one issuer, so there it is all or nothing.)
        /// </summary>
        public IReadOnlyList<IssuedCertificate> Commit(CancellationToken cancellation = default)
        {
            if (_pending.Count == 0) return Array.Empty<IssuedCertificate>();
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
            _pending.Clear();
            foreach (var issuer in _issuers) issuer.Dispose();
            _issuers.Clear();
        }

        private IssuerContext Issuer(CaIdentity identity, SecureString? password)
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

        /// <summary>An issuer as the batch uses it: loaded once, its key opened on first use and kept until the batch ends.</summary>
        private sealed class IssuerContext : IDisposable
        {
            private readonly CaService _cas;
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
                _key ??= _cas.Keys.Open(Authority, Password);
                return new CertificateBuilder.Issuer(Authority.Certificate.Subject, Authority.SubjectPublicKeyInfo, _key);
            }

            public void Dispose() => _key?.Dispose();
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
    }
}
