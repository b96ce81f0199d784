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
    /// Issues server certificates in groups: <see cref="Add"/> checks a request and signs its certificate
    /// (the store is not touched); <see cref="Commit"/> records every signed certificate with one durable
    /// append per issuer and only then returns them. An issuer's certificate, chain and key are read once
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
        /// Checks <paramref name="request"/> against every rule of seed 002 and signs its certificate. A request
        /// that breaks a rule throws its PkiException and leaves the batch as it was.
        /// </summary>
        public void Add(NewCertificateRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            progress?.Report(Messages.ProgressCheckingCsr);
            var csr = CsrContent.FromTextOrFile(request.Csr, request.CsrPath);
            var context = Issuer(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request)), request.IssuerKeyPassword);
            var issuer = context.Authority;
            issuer.RequireCurrent(_cas.Now);
            CertificateService.CheckKey(csr.PublicKeyInfo, request.Algorithm, issuer);

            var names = CertificateService.Names(csr, request);
            var subject = SubjectName.Create(
                NullIfBlank(request.CommonName) ?? csr.CommonName ?? names.FirstOrDefault()?.Value,
                request.Country ?? csr.Country ?? CertificateContent.Attribute(issuer.Certificate.Subject, X509Name.C),
                request.State ?? csr.State ?? CertificateContent.Attribute(issuer.Certificate.Subject, X509Name.ST),
                request.Locality ?? csr.Locality ?? CertificateContent.Attribute(issuer.Certificate.Subject, X509Name.L),
                request.Organization ?? csr.Organization ?? CertificateContent.Attribute(issuer.Certificate.Subject, X509Name.O),
                request.OrganizationalUnit ?? csr.OrganizationalUnit ?? CertificateContent.Attribute(issuer.Certificate.Subject, X509Name.OU));
            names = CertificateNames.Covered(subject.CommonName, names);
            if (names.Count == 0)
            {
                throw new PkiException(ErrorIds.NoServerName, PkiErrorKind.InvalidArgument, subject.CommonName, Messages.NoServerName.Format(subject.CommonName));
            }
            foreach (var authority in context.Chain)
            {
                var denied = names.FirstOrDefault(n => !authority.NameConstraints.Permits(n));
                if (denied != null)
                {
                    throw new PkiException(ErrorIds.NameNotPermitted, PkiErrorKind.InvalidArgument, denied.Value,
                        Messages.NameNotPermitted.Format(denied.Value, authority.Record.Name, authority.NameConstraints));
                }
            }
            var validity = ValidityPeriod.ForServer(request.Days, request.Months, request.Years, request.NotBefore, request.NotAfter,
                _cas.Now, issuer.NotBefore, issuer.NotAfter);
            if (request.EnableCrl && issuer.Record.CrlUrl == null)
            {
                throw new PkiException(ErrorIds.CrlUrlMissing, PkiErrorKind.InvalidOperation, issuer.Record.Name, Messages.CrlUrlMissing.Format(issuer.Record.Name));
            }
            var key = context.Key();
            cancellation.ThrowIfCancellationRequestedAsPki();

            progress?.Report(Messages.ProgressSigning);
            var pending = new Pending(context, subject.ToX509Name(), csr.PublicKeyInfo, names, validity, request.EnableCrl ? issuer.Record.CrlUrl : null,
                request.IncludeChain)
            {
                Record = new IssuedRecord
                {
                    Identifier = Hex.Lower(SerialNumber.Generate()),
                    CommonName = subject.CommonName,
                    DnsNames = names.Where(n => n.Type == SubjectAlternativeNameType.Dns).Select(n => n.Value).ToList(),
                    IpAddresses = names.Where(n => n.Type == SubjectAlternativeNameType.IpAddress).Select(n => n.Value).ToList(),
                    Algorithm = csr.PublicKeyInfo.Description,
                    NotBefore = validity.NotBefore,
                    NotAfter = validity.NotAfter,
                    CsrId = (_csrIds ??= new CsrService(_store).PublicKeyLookup())(csr.PublicKeyInfo.SubjectPublicKeyInfo),
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
                return CertificateService.ToOutput(p.Context.Authority.Record.Name, p.Context.Authority.Record.Id, p.Record,
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

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

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
            public string ChainPem => _chainPem ??= CertificateService.ChainPem(Chain);

            public CertificateBuilder.Issuer Key()
            {
                _key ??= _cas.Keys.Open(Authority.Record, Password);
                return new CertificateBuilder.Issuer(Authority.Certificate.Subject, Authority.SubjectPublicKeyInfo, _key);
            }

            public void Dispose() => _key?.Dispose();
        }

        /// <summary>A certificate signed and waiting for its commit.</summary>
        private sealed class Pending
        {
            private readonly PublicKeyInfo _subjectKey;
            private readonly IReadOnlyList<SubjectAlternativeName> _names;
            private readonly ValidityPeriod _validity;
            private readonly string? _crlUrl;

            public Pending(IssuerContext context, X509Name subject, PublicKeyInfo subjectKey, IReadOnlyList<SubjectAlternativeName> names,
                ValidityPeriod validity, string? crlUrl, bool includeChain)
            {
                Context = context;
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
                Der = CertificateBuilder.Server(Subject, _subjectKey, _names, issuer, serial, _validity, _crlUrl);
                Record.SerialNumber = SerialNumber.ToHex(serial);
                using var sha1 = SHA1.Create();
                Record.Thumbprint = Hex.Lower(sha1.ComputeHash(Der)).ToUpperInvariant();
            }
        }
    }
}
