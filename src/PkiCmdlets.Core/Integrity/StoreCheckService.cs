using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Orders;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Integrity
{
    /// <summary>
    /// Test-PkiStore: a store checked end to end, changing nothing (no lock is taken, nothing is swept, written or
    /// created). Every CA's record and certificate, its certificate's signature by its issuer, its key against its
    /// certificate (opened when it is not encrypted or is unlocked in this process; otherwise checked as a file; none for a
    /// CA kept without its key); every intermediate waiting for its certificate, its request and key; every
    /// journal line against the hash chain, every journal against its head and its last CRL, every certificate against its
    /// record and its issuer's signature; every stored CRL against its CA and its number; every CSR, order and ACME
    /// account record and key; leftovers of interrupted writes; and files others may read.
    /// </summary>
    public sealed class StoreCheckService
    {
        private readonly PkiStore _store;
        private readonly CaService _cas;

        public StoreCheckService(PkiStore store)
            : this(new CaService(store))
        {
        }

        internal StoreCheckService(CaService cas)
        {
            _cas = cas;
            _store = cas.Store;
        }

        /// <summary>Checks the whole store; StoreNotFound when there is none at its path.</summary>
        public StoreCheckResult Check(IProgress<string>? progress = null, CancellationToken cancellation = default)
        {
            if (!Directory.Exists(_store.Root))
            {
                throw new PkiException(ErrorIds.StoreNotFound, PkiErrorKind.ObjectNotFound, _store.Root, Messages.StoreNotFound.Format(_store.Root));
            }
            var result = new StoreCheckResult { StorePath = _store.Root };
            var problems = new List<PkiException>();
            var damagedRecords = new List<PkiException>();
            var records = _cas.Repository.LoadAll(damagedRecords);
            problems.AddRange(damagedRecords);
            foreach (var record in records.OrderBy(r => r.CreatedAt))
            {
                cancellation.ThrowIfCancellationRequestedAsPki();
                progress?.Report(Messages.ProgressCheckingCa.Format(record.Name));
                CheckCa(record, result, problems);
            }
            var journals = _cas.Repository.IdsOfDamaged(damagedRecords).Append(CertificateService.ExternalIssuerId);
            foreach (var issuerId in journals)
            {
                cancellation.ThrowIfCancellationRequestedAsPki();
                progress?.Report(Messages.ProgressCheckingJournal.Format(issuerId));
                CheckJournal(issuerId, null, result, problems);
            }
            progress?.Report(Messages.ProgressCheckingRecords);
            CheckPendingCas(result, problems);
            CheckCsrs(result, problems);
            CheckOrdersAndAccounts(result, problems);
            progress?.Report(Messages.ProgressCheckingFiles);
            CheckLeftovers(problems);
            CheckPermissions(problems);
            result.Problems = problems.Select(ToProblem).ToList();
            return result;
        }

        private void CheckCa(CaRecord record, StoreCheckResult result, List<PkiException> problems)
        {
            StoredCa authority;
            try
            {
                authority = _cas.Repository.Load(record);
                _cas.ToOutput(authority);
            }
            catch (PkiException e)
            {
                problems.Add(e);
                return;
            }
            result.CasChecked++;
            Collect(problems, () => CheckSignedByIssuer(authority));
            Collect(problems, () =>
            {
                // A CA kept without its key (an offline root, a key kept elsewhere) has none to check.
                if (record.Keyless) return;
                if (_cas.Keys.IsProtected(record) && !_cas.Keys.IsUnlocked(record))
                {
                    CheckEncryptedKey(StoreLayout.CaKey(record.Id));
                    result.KeysLocked++;
                    return;
                }
                using (_cas.Keys.Open(authority, null))
                {
                    result.KeysChecked++;
                }
            });
            if (record.IsRoot && !_store.Exists(IssuedJournal.PathOf(record.Id)) && !_store.Exists(StoreLayout.JournalHead(record.Id)))
            {
                // A root issues no server certificates; its CRL (of the sub CAs it revokes) is still checked.
                Collect(problems, () => CheckCrl(authority, result, problems));
                return;
            }
            CheckJournal(record.Id, authority, result, problems);
        }

        /// <summary>Without its password an encrypted key can only be checked as a file: owner-only, and encrypted PKCS#8.</summary>
        private void CheckEncryptedKey(string relativePath)
        {
            var pem = _store.ReadKey(relativePath);
            try
            {
                Org.BouncyCastle.Asn1.Pkcs.EncryptedPrivateKeyInfo.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(Pem.Decode(pem, Pem.EncryptedPrivateKeyLabel)));
            }
            catch (Exception e) when (Malformed.Is(e) || e is PkiException { ErrorId: ErrorIds.InvalidPem })
            {
                throw _store.Corrupt(relativePath, Malformed.Reason(e, Messages.ReasonKeyDamaged), e);
            }
        }

        /// <summary>
        /// Every intermediate waiting for its certificate (Request-SubCA): its record and request read, and its key is
        /// owner-only and, when not encrypted, the key its request asks a certificate for.
        /// </summary>
        private void CheckPendingCas(StoreCheckResult result, List<PkiException> problems)
        {
            foreach (var record in new PendingCaService(_cas, PrivateKey.Generate).Records(problems))
            {
                result.PendingCasChecked++;
                Collect(problems, () =>
                {
                    var requestPath = StoreLayout.PendingCaRequest(record.Id);
                    var keyPath = StoreLayout.CaKey(record.Id);
                    CsrContent request;
                    try
                    {
                        request = CsrContent.FromText(_store.ReadText(requestPath), _store.FullPath(requestPath));
                    }
                    catch (PkiException e) when (e.ErrorId != ErrorIds.StoreRecordCorrupt && e.ErrorId != ErrorIds.OperationCancelled)
                    {
                        throw _store.Corrupt(requestPath, e.Message, e);
                    }
                    if (record.KeyProtected)
                    {
                        CheckEncryptedKey(keyPath);
                        return;
                    }
                    var source = _store.FullPath(keyPath);
                    var pkcs8 = Pkcs8Pem.Decode(_store.ReadKey(keyPath), null, source);
                    try
                    {
                        using var key = PrivateKey.FromPkcs8(pkcs8, source);
                        if (!request.PublicKeyInfo.Matches(key))
                        {
                            throw _store.Corrupt(keyPath, Messages.ReasonPendingKeyNotRequests.Format(record.Name), null);
                        }
                    }
                    finally
                    {
                        Array.Clear(pkcs8, 0, pkcs8.Length);
                    }
                });
            }
        }

        /// <summary>The CA certificate's signature is its issuer's (a root's, its own).</summary>
        private void CheckSignedByIssuer(StoredCa authority)
        {
            var issuer = authority.Record.IssuerId == null ? authority : _cas.Repository.Load(_cas.Repository.Resolve(new CaIdentity(authority.Record.IssuerId)));
            var signer = PublicKeyInfo.FromSubjectPublicKeyInfo(issuer.SubjectPublicKeyInfo, _store.FullPath(StoreLayout.CaCertificate(issuer.Record.Id)));
            var certificate = authority.Certificate;
            if (!signer.Verify(certificate.SignatureAlgorithm.GetDerEncoded(), certificate.TbsCertificate.GetDerEncoded(), certificate.Signature.GetOctets()))
            {
                throw _store.Corrupt(StoreLayout.CaCertificate(authority.Record.Id), Messages.ReasonNotSignedByIssuer.Format(issuer.Record.Name), null);
            }
        }

        /// <summary>A journal: its chain, head and CRL marks (through the CRL check for a store CA), and every certificate in it.</summary>
        private void CheckJournal(string issuerId, StoredCa? issuer, StoreCheckResult result, List<PkiException> problems)
        {
            var journal = new IssuedJournal(_store, issuerId);
            var found = new List<PkiException>();
            try
            {
                if (issuer != null)
                {
                    result.JournalLines += CheckCrl(issuer, result, found);
                }
                else
                {
                    journal.RevokedEntries(found, Array.Empty<JournalMark>(), out var reached);
                    result.JournalLines += reached.Lines;
                }
                var signer = issuer == null ? null
                    : PublicKeyInfo.FromSubjectPublicKeyInfo(issuer.SubjectPublicKeyInfo, _store.FullPath(StoreLayout.CaCertificate(issuerId)));
                var read = new List<PkiException>();
                foreach (var certificate in journal.Read(read))
                {
                    Collect(found, () => CheckCertificate(certificate, signer));
                    result.CertificatesChecked++;
                }
                // The first pass of Read reports the lines the chain check above reported already.
                found.AddRange(read.Where(p => !found.Any(f => f.Message == p.Message)));
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt || e.ErrorId == ErrorIds.StoreVersionUnsupported)
            {
                found.Add(e);
            }
            if (_store.Exists(IssuedJournal.PathOf(issuerId)) || found.Count > 0) result.JournalsChecked++;
            problems.AddRange(found);
        }

        /// <summary>The CA's CRL state and stored CRL, and its journal against them; returns the journal's lines.</summary>
        private int CheckCrl(StoredCa issuer, StoreCheckResult result, List<PkiException> problems)
        {
            if (_store.Exists(StoreLayout.Crl(issuer.Record.Id))) result.CrlsChecked++;
            return new CrlService(_cas).Verify(issuer, problems).Lines;
        }

        /// <summary>The DER on the line is a certificate, the one its record describes, signed by its issuer (when a store CA).</summary>
        private static void CheckCertificate(JournalCertificate certificate, PublicKeyInfo? signer)
        {
            var der = certificate.Der();
            var content = CertificateContent.FromDer(der, certificate.Record.Identifier, e => certificate.Damaged(CertificateContent.Reason(e)));
            var structure = content.Structure;
            var record = certificate.Record;
            string thumbprint;
            using (var sha1 = SHA1.Create())
            {
                thumbprint = Hex.Lower(sha1.ComputeHash(der)).ToUpperInvariant();
            }
            if (!structure.SerialNumber.Value.Equals(new Org.BouncyCastle.Math.BigInteger(1, Hex.Parse(record.SerialNumber)))
                || !string.Equals(thumbprint, record.Thumbprint, StringComparison.OrdinalIgnoreCase))
            {
                throw certificate.Damaged(Messages.ReasonRecordNotCertificate);
            }
            if (signer != null && !signer.Verify(structure.SignatureAlgorithm.GetDerEncoded(), structure.TbsCertificate.GetDerEncoded(), structure.Signature.GetOctets()))
            {
                throw certificate.Damaged(Messages.ReasonCertificateNotSignedByIssuer);
            }
        }

        /// <summary>Every CSR record; a generated one's key owner-only and, when not encrypted, the key of its request.</summary>
        private void CheckCsrs(StoreCheckResult result, List<PkiException> problems)
        {
            var csrs = new CsrService(_store);
            var listing = csrs.Find();
            problems.AddRange(listing.Problems);
            foreach (var csr in listing.Items)
            {
                result.CsrsChecked++;
                if (csr.PublicKeySha256 == null) continue;
                Collect(problems, () =>
                {
                    var pem = csrs.ReadKeyPem(csr.Id, out var isProtected);
                    if (isProtected) return;
                    var source = _store.FullPath(StoreLayout.CsrKey(csr.Id));
                    var pkcs8 = Pkcs8Pem.Decode(pem, null, source);
                    try
                    {
                        using var key = PrivateKey.FromPkcs8(pkcs8, source);
                        using var sha256 = SHA256.Create();
                        if (Hex.Lower(sha256.ComputeHash(key.ExportSubjectPublicKeyInfo())) != csr.PublicKeySha256)
                        {
                            throw _store.Corrupt(StoreLayout.CsrKey(csr.Id), Messages.ReasonCsrKeyNotRequests.Format(csr.Id), null);
                        }
                    }
                    finally
                    {
                        Array.Clear(pkcs8, 0, pkcs8.Length);
                    }
                });
            }
        }

        /// <summary>Every order record, and every ACME account's record and key (owner-only, readable).</summary>
        private void CheckOrdersAndAccounts(StoreCheckResult result, List<PkiException> problems)
        {
            result.OrdersChecked = new OrderRepository(_store).LoadAll(problems).Count;
            foreach (var path in _store.ListFiles(StoreLayout.AcmeAccountFolder, StoreLayout.RecordFiles))
            {
                var id = Path.GetFileNameWithoutExtension(path);
                Collect(problems, () => _store.ReadJson<AccountRecord>(path));
                Collect(problems, () =>
                {
                    var source = _store.FullPath(StoreLayout.AcmeAccountKey(id));
                    var pkcs8 = Pkcs8Pem.Decode(_store.ReadKey(StoreLayout.AcmeAccountKey(id)), null, source);
                    try
                    {
                        PrivateKey.FromPkcs8(pkcs8, source).Dispose();
                    }
                    finally
                    {
                        Array.Clear(pkcs8, 0, pkcs8.Length);
                    }
                });
            }
        }

        /// <summary>What interrupted writes left (see <see cref="StoreLeftovers"/>), which the next command that changes the store removes.</summary>
        private void CheckLeftovers(List<PkiException> problems)
        {
            foreach (var path in StoreLeftovers.Find(_store))
            {
                problems.Add(new PkiException(ErrorIds.StoreLeftover, PkiErrorKind.InvalidData, path, Messages.StoreLeftover.Format(path)));
            }
        }

        /// <summary>The store's files and folders others may use (not its own folder, which may be one the user keeps other things in too).</summary>
        private void CheckPermissions(List<PkiException> problems)
        {
            var folders = StoreLayout.Folders.Select(_store.FullPath).Where(Directory.Exists).ToList();
            var entries = folders.Concat(folders.SelectMany(f => Directory.EnumerateDirectories(f, "*", SearchOption.AllDirectories))).Select(d => (Path: d, Folder: true))
                .Concat(folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
                    .Append(_store.FullPath(StoreLayout.VersionFile)).Where(File.Exists).Select(f => (Path: f, Folder: false)));
            foreach (var (path, folder) in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
            {
                if (FilePermissions.OpenToOthers(path) is int mode)
                {
                    var octal = "0" + Convert.ToString(mode & 0xFFF, 8);
                    problems.Add(new PkiException(ErrorIds.StoreFileNotPrivate, PkiErrorKind.SecurityError, path,
                        Messages.StoreFileNotPrivate.Format(path, octal, folder ? "700" : "600")));
                }
            }
        }

        /// <summary>Runs one check; a store problem it finds joins the others, and the check goes on.</summary>
        private static void Collect(List<PkiException> problems, Action check)
        {
            try
            {
                check();
            }
            catch (PkiException e) when (e.ErrorId != ErrorIds.OperationCancelled)
            {
                problems.Add(e);
            }
        }

        private static StoreProblem ToProblem(PkiException e) => new StoreProblem
        {
            ErrorId = e.ErrorId,
            Path = e.Target as string,
            Line = Journal.LineOf(e),
            Message = e.Message,
        };
    }
}
