using System;
using System.Linq;
using System.Security;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Makes new roots and intermediates: every rule is checked before a key is generated (subject, algorithm, name,
    /// CRL URL, key password, path length, validity within the issuer's), then the key, the certificate, and the CA's
    /// files in the store under the lock.
    /// </summary>
    internal sealed class CaFactory
    {
        public const int MaxPathLength = 16;

        private readonly PkiStore _store;
        private readonly CaRepository _repository;
        private readonly CaKeys _keys;
        private readonly Func<KeySpec, PrivateKey> _generateKey;
        private readonly Func<DateTimeOffset> _clock;

        public CaFactory(PkiStore store, CaRepository repository, CaKeys keys, Func<KeySpec, PrivateKey> generateKey, Func<DateTimeOffset> clock)
        {
            _store = store;
            _repository = repository;
            _keys = keys;
            _generateKey = generateKey;
            _clock = clock;
        }

        public CaRecord CreateRoot(NewCaRequest request, IProgress<string>? progress, CancellationToken cancellation)
        {
            var plan = Plan(request, ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultRootYears, _clock()));
            if (request.PathLength.HasValue) RequireValidPathLength(request.PathLength.Value);
            return Create(plan, progress, cancellation, key =>
                CertificateBuilder.Root(plan.Subject.ToX509Name(), key, SerialNumber.Generate(), plan.Validity, request.PathLength));
        }

        public CaRecord CreateSubordinate(NewCaRequest request, IProgress<string>? progress, CancellationToken cancellation)
        {
            var issuer = _repository.Load(_repository.Resolve(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request))));
            issuer.RequireCurrent(_clock());
            var pathLength = request.PathLength ?? 0;
            RequireValidPathLength(pathLength);
            if (issuer.PathLength.HasValue && pathLength >= issuer.PathLength.Value)
            {
                throw new PkiException(ErrorIds.PathLengthExceeded, PkiErrorKind.InvalidArgument, pathLength,
                    (issuer.PathLength.Value == 0 ? Messages.PathLengthZero : Messages.PathLengthExceeded).Format(issuer.Record.Name, issuer.PathLength.Value, pathLength));
            }
            var constraints = NameConstraintSet.Create(request.PermittedDnsDomains, request.ExcludedDnsDomains, request.PermittedIpRanges);
            var validity = ValidityPeriod.ForCa(request.Years, request.Days, request.NotAfter, ValidityPeriod.DefaultSubCaYears, _clock(),
                issuer.NotBefore, issuer.NotAfter);
            if (request.Csr != null || request.CsrPath != null) return CreateForRequest(request, issuer, validity, pathLength, constraints, cancellation);
            var plan = Plan(request, validity);
            plan.IssuerId = issuer.Record.Id;
            using var issuerKey = _keys.Open(issuer, request.IssuerKeyPassword);
            var signer = new CertificateBuilder.Issuer(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, issuerKey);
            return Create(plan, progress, cancellation, key => CertificateBuilder.Intermediate(plan.Subject.ToX509Name(), key.ExportSubjectPublicKeyInfo(),
                signer, SerialNumber.Generate(), validity, pathLength, constraints, issuer.Record.CrlUrl));
        }

        /// <summary>
        /// An intermediate for a key kept elsewhere: its request (read and verified) signed by <paramref name="issuer"/>, the
        /// subject the request's, and the certificate kept without a key, so chains through it complete and it can be exported.
        /// </summary>
        private CaRecord CreateForRequest(NewCaRequest request, StoredCa issuer, ValidityPeriod validity, int pathLength, NameConstraintSet constraints,
            CancellationToken cancellation)
        {
            if (request.Algorithm != null || request.KeySize != null || request.KeyPassword != null || request.NoPassword)
            {
                throw new PkiException(ErrorIds.KeyParameterWithCsr, PkiErrorKind.InvalidArgument, request.CsrPath, Messages.KeyParameterWithCsr);
            }
            var csr = CsrContent.FromTextOrFile(request.Csr, request.CsrPath);
            var source = request.CsrPath ?? "-Csr";
            KeyPolicy.CaImport.Require(csr.PublicKeyInfo, source);
            // As when a certificate is issued from a request: what is given here comes before what the request says.
            var subject = SubjectName.Create(string.IsNullOrWhiteSpace(request.CommonName) ? csr.CommonName : request.CommonName, request.Country ?? csr.Country,
                request.State ?? csr.State, request.Locality ?? csr.Locality, request.Organization ?? csr.Organization, request.OrganizationalUnit ?? csr.OrganizationalUnit);
            var name = RecordNames.Optional(request.Name);
            var crlUrl = ValidateCrlUrl(request.CrlUrl);
            if (name != null) CaRepository.EnsureNameFree(_repository.LoadAll(null), name);
            using var issuerKey = _keys.Open(issuer, request.IssuerKeyPassword);
            var signer = new CertificateBuilder.Issuer(issuer.Certificate.Subject, issuer.SubjectPublicKeyInfo, issuerKey);
            var der = CertificateBuilder.Intermediate(subject.ToX509Name(), csr.PublicKeyInfo.SubjectPublicKeyInfo, signer, SerialNumber.Generate(), validity,
                pathLength, constraints, issuer.Record.CrlUrl);
            cancellation.ThrowIfCancellationRequestedAsPki();
            var record = new CaRecord
            {
                Id = Hex.Lower(SerialNumber.Generate()),
                IssuerId = issuer.Record.Id,
                Algorithm = csr.PublicKeyInfo.Description,
                CrlUrl = crlUrl,
                Keyless = true,
                CreatedAt = _clock(),
            };
            _store.EnsureCreated(StoreLayout.CaFolder);
            using (_store.Lock(cancellation))
            {
                var existing = _repository.LoadAll(null);
                if (name != null) CaRepository.EnsureNameFree(existing, name);
                record.Name = name ?? RecordNames.UniqueFrom(subject.CommonName, existing.Select(r => r.Name));
                _repository.WriteNewChain(new[] { (record, der, (string?)null) });
            }
            return record;
        }

        /// <summary>An absolute http, https or ldap URL of printable ASCII, trimmed; null for none; InvalidCrlUrl otherwise.</summary>
        public static string? ValidateCrlUrl(string? url)
        {
            if (string.IsNullOrWhiteSpace(url)) return null;
            var text = url!.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != "ldap")
                || text.Any(c => c > 0x7E || c < 0x21))
            {
                throw new PkiException(ErrorIds.InvalidCrlUrl, PkiErrorKind.InvalidArgument, url, Messages.InvalidCrlUrl.Format(url));
            }
            return text;
        }

        /// <summary>Everything about a new CA that can be checked before a key is generated.</summary>
        private CaPlan Plan(NewCaRequest request, ValidityPeriod validity)
        {
            var subject = SubjectName.Create(request.CommonName, request.Country, request.State, request.Locality,
                request.Organization, request.OrganizationalUnit);
            var spec = KeySpec.Parse(request.Algorithm, request.KeySize);
            var name = RecordNames.Optional(request.Name);
            var crlUrl = ValidateCrlUrl(request.CrlUrl);
            CaKeyPassword.Require(request.KeyPassword, request.NoPassword);
            if (name != null) CaRepository.EnsureNameFree(_repository.LoadAll(null), name);
            return new CaPlan(subject, spec, name, crlUrl, validity, request.KeyPassword);
        }

        private CaRecord Create(CaPlan plan, IProgress<string>? progress, CancellationToken cancellation, Func<PrivateKey, byte[]> build)
        {
            using var key = plan.Spec.Generate(_generateKey, progress, cancellation);
            cancellation.ThrowIfCancellationRequestedAsPki();
            progress?.Report(Messages.ProgressSigning);
            var der = build(key);
            var keyPem = Pkcs8Pem.Encode(key, plan.Password, progress);
            cancellation.ThrowIfCancellationRequestedAsPki();

            var record = new CaRecord
            {
                Id = Hex.Lower(SerialNumber.Generate()),
                IsRoot = plan.IssuerId == null,
                IssuerId = plan.IssuerId,
                Algorithm = plan.Spec.AlgorithmName,
                KeyProtected = plan.Password != null,
                CrlUrl = plan.CrlUrl,
                CreatedAt = _clock(),
            };
            progress?.Report(Messages.ProgressWritingStore);
            _store.EnsureCreated(StoreLayout.CaFolder, StoreLayout.KeyFolder);
            using (_store.Lock(cancellation))
            {
                var existing = _repository.LoadAll(null);
                if (plan.Name != null) CaRepository.EnsureNameFree(existing, plan.Name);
                record.Name = plan.Name ?? RecordNames.UniqueFrom(plan.Subject.CommonName, existing.Select(r => r.Name));
                _repository.WriteNew(record, der, keyPem);
            }
            return record;
        }

        internal static void RequireValidPathLength(int pathLength)
        {
            if (pathLength < 0 || pathLength > MaxPathLength)
            {
                throw new PkiException(ErrorIds.InvalidPathLength, PkiErrorKind.InvalidArgument, pathLength, Messages.InvalidPathLength.Format(pathLength));
            }
        }

        private sealed class CaPlan
        {
            public CaPlan(SubjectName subject, KeySpec spec, string? name, string? crlUrl, ValidityPeriod validity, SecureString? password)
            {
                Subject = subject;
                Spec = spec;
                Name = name;
                CrlUrl = crlUrl;
                Validity = validity;
                Password = password;
            }

            public SubjectName Subject { get; }
            public KeySpec Spec { get; }
            public string? Name { get; }
            public string? CrlUrl { get; }
            public ValidityPeriod Validity { get; }
            public SecureString? Password { get; }
            public string? IssuerId { get; set; }
        }
    }
}
