using System;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Issues a certificate for a key pair it makes (New-ClientCertificate without a CSR). The key is kept in the store as a
    /// CSR's key is, in a CSR record of its own, so Export-IssuedCertificate writes it (PFX, or PEM in its own file) and a
    /// later certificate can be issued for it again. Every rule of issuing is checked, and the certificate signed, before
    /// the key is written: a refused request leaves the store as it was.
    /// </summary>
    public sealed class NewKeyIssuance
    {
        private readonly CaService _cas;
        private readonly Func<KeySpec, PrivateKey> _generateKey;

        public NewKeyIssuance(PkiStore store)
            : this(new CaService(store), PrivateKey.Generate)
        {
        }

        /// <summary>Lets tests supply pre-generated keys.</summary>
        internal NewKeyIssuance(CaService cas, Func<KeySpec, PrivateKey> generateKey)
        {
            _cas = cas;
            _generateKey = generateKey;
        }

        /// <summary>
        /// Makes a key as <paramref name="key"/> asks (algorithm, size, password, the CSR record's name; by default of the
        /// issuer's family, at that family's default size), then issues
        /// <paramref name="request"/> for it; the request's Csr and CsrPath are not read. The subject's common name is the
        /// request's, else its first e-mail address, user principal name, DNS name or URI.
        /// </summary>
        public IssuedCertificate Issue(NewCertificateRequest request, NewCsrRequest key, IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            CertificateProfiles.Get(request.Profile);
            var spec = key.Algorithm == null && key.KeySize == null ? IssuerFamily(request) : KeySpec.Parse(key.Algorithm, key.KeySize);
            KeyProtection.RequireNonEmpty(key.KeyPassword);
            var name = RecordNames.Optional(key.Name);
            var commonName = FirstNonBlank(request.CommonName)
                ?? FirstNonBlank(ClientProfile.Entries(Values(request.EmailAddresses)).Concat(ClientProfile.Entries(Values(request.UserPrincipalNames)))
                    .Concat(ClientProfile.Entries(Values(request.Domains))).Concat(Values(request.Uris)).ToArray())
                ?? throw new PkiException(ErrorIds.CommonNameMissing, PkiErrorKind.InvalidArgument, null, Messages.CommonNameMissing);
            var subject = SubjectName.Create(commonName, request.Country, request.State, request.Locality, request.Organization, request.OrganizationalUnit);

            byte[] pkcs8;
            using (var generated = spec.Generate(_generateKey, progress, cancellation))
            {
                pkcs8 = generated.ExportPkcs8();
                // The request the certificate is issued from names no one: the identities are the request's own.
                request.Csr = Pem.Encode(Pem.CertificateRequestLabel, CsrBuilder.Build(subject, Array.Empty<SubjectAlternativeName>(), generated));
                request.CsrPath = null;
                request.CommonName = commonName;
            }
            try
            {
                // Checked and signed once before the key is kept, so a refusal writes nothing.
                using (var trial = new IssuanceBatch(_cas)) trial.Add(request, progress, cancellation);
                var csr = new CsrService(_cas.Store, _ => PrivateKey.FromPkcs8(pkcs8, Messages.GeneratedKeySource)).Create(new NewCsrRequest
                {
                    CommonName = commonName,
                    Country = request.Country,
                    State = request.State,
                    Locality = request.Locality,
                    Organization = request.Organization,
                    OrganizationalUnit = request.OrganizationalUnit,
                    Algorithm = spec.AlgorithmName,
                    Name = name,
                    KeyPassword = key.KeyPassword,
                    Remark = key.Remark,
                }, progress, cancellation);
                try
                {
                    using var batch = new IssuanceBatch(_cas);
                    batch.Add(request, progress, cancellation);
                    progress?.Report(Messages.ProgressWritingStore);
                    return batch.Commit(cancellation)[0];
                }
                catch (PkiException)
                {
                    // The key was kept for this certificate only; without it, it goes (its CSR id stays used).
                    try
                    {
                        new CsrService(_cas.Store).Remove(csr.Id);
                    }
                    catch (PkiException)
                    {
                        // Best effort: the failure to report is the issuance's.
                    }
                    throw;
                }
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        /// <summary>Without an algorithm asked for, a key of the issuer's family (which it must be) at that family's default size.</summary>
        private KeySpec IssuerFamily(NewCertificateRequest request)
        {
            var issuer = _cas.Load(request.Issuer ?? throw new ArgumentException("Issuer is required", nameof(request)));
            var family = KeySpec.FromAlgorithmName(issuer.Record.Algorithm).AlgorithmName.Split('_')[0];
            return KeySpec.Parse(family, null);
        }

        private static string[] Values(System.Collections.Generic.IList<string>? values) => values?.ToArray() ?? new string[0];

        private static string? FirstNonBlank(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
    }
}
