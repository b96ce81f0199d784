using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// Roots and intermediates in the store, as New-RootCA, New-SubCA, Get-CA, Unlock-CA, Lock-CA, Remove-CA,
    /// Set-CAKeyPassword and Update-CA use them: a thin front over their creation (<see cref="CaFactory"/>), their files
    /// (<see cref="CaRepository"/>), their keys (<see cref="CaKeys"/>), their lifecycle (<see cref="CaLifecycle"/>) and their
    /// output (<see cref="CaOutput"/>). Import-CA is <see cref="CaImportService"/>, Export-CA <see cref="CaExportService"/>,
    /// Request-SubCA and Complete-SubCA <see cref="PendingCaService"/>.
    /// </summary>
    public sealed class CaService
    {
        public static readonly TimeSpan DefaultUnlockTimeout = TimeSpan.FromSeconds(900);

        private readonly Func<DateTimeOffset> _clock;
        private readonly CaFactory _factory;

        public CaService(PkiStore store)
            : this(store, PrivateKey.Generate, () => DateTimeOffset.UtcNow)
        {
        }

        /// <summary>Lets tests supply pre-generated keys and a clock.</summary>
        internal CaService(PkiStore store, Func<KeySpec, PrivateKey> generateKey, Func<DateTimeOffset> clock)
        {
            Store = store;
            _clock = clock;
            Repository = new CaRepository(store);
            Keys = new CaKeys(store, clock);
            _factory = new CaFactory(store, Repository, Keys, generateKey, clock);
        }

        internal PkiStore Store { get; }

        internal CaRepository Repository { get; }

        internal CaKeys Keys { get; }

        internal DateTimeOffset Now => _clock();

        public CertificateAuthority CreateRoot(NewCaRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default) =>
            ToOutput(Repository.Load(_factory.CreateRoot(request, progress, cancellation)));

        public CertificateAuthority CreateSubordinate(NewCaRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default) =>
            ToOutput(Repository.Load(_factory.CreateSubordinate(request, progress, cancellation)));

        /// <summary>The CA with this Name (case-insensitive) or Id.</summary>
        internal CertificateAuthority Get(CaIdentity identity) => ToOutput(Load(identity));

        /// <summary>CAs whose Name or Id matches any pattern (wildcards), or all; roots, intermediates or both.</summary>
        public Listing<CertificateAuthority> Find(IReadOnlyList<string>? patterns = null, bool? roots = null)
        {
            var items = new List<CertificateAuthority>();
            var problems = new List<PkiException>();
            var records = Repository.LoadAll(problems).OrderBy(r => r.CreatedAt).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase);
            var matched = RecordNames.Match(records, patterns, r => new[] { r.Name, r.Id }, out var unmatched);
            foreach (var record in matched)
            {
                if (roots.HasValue && record.IsRoot != roots.Value) continue;
                try
                {
                    items.Add(ToOutput(Repository.Load(record)));
                }
                catch (PkiException e)
                {
                    problems.Add(e);
                }
            }
            problems.InsertRange(0, unmatched.Select(Repository.NotFound));
            return new Listing<CertificateAuthority>(items, problems);
        }

        /// <summary>Checks the password and keeps the decrypted key usable in this process until <paramref name="timeout"/> passes.</summary>
        public CertificateAuthority Unlock(CaIdentity identity, SecureString password, TimeSpan? timeout = null)
        {
            var span = timeout ?? DefaultUnlockTimeout;
            if (span <= TimeSpan.Zero)
            {
                throw new PkiException(ErrorIds.InvalidUnlockTimeout, PkiErrorKind.InvalidArgument, span.TotalSeconds,
                    Messages.InvalidUnlockTimeout.Format(span.TotalSeconds));
            }
            KeyProtection.RequireNonEmpty(password);
            var authority = Load(identity);
            CaKeys.RequireKey(authority.Record);
            if (!Keys.IsProtected(authority.Record)) return ToOutput(authority);
            Keys.Unlock(authority, password, span);
            try
            {
                return ToOutput(authority);
            }
            catch
            {
                Keys.Lock(authority.Record); // a failed Unlock-CA leaves nothing unlocked
                throw;
            }
        }

        /// <summary>Forgets an unlocked key; returns the CA.</summary>
        public CertificateAuthority Lock(CaIdentity identity)
        {
            var record = Repository.Resolve(identity);
            Keys.Lock(record);
            return ToOutput(Repository.Load(record));
        }

        /// <summary>Removes a CA and all it kept (see <see cref="CaLifecycle.Remove"/>); returns it as it was.</summary>
        public CertificateAuthority Remove(CaIdentity identity, bool force, CancellationToken cancellation = default) =>
            new CaLifecycle(this).Remove(identity, force, cancellation);

        /// <summary>Encrypts the CA's key with a new password (see <see cref="CaLifecycle.ChangeKeyPassword"/>).</summary>
        public CertificateAuthority ChangeKeyPassword(CaIdentity identity, SecureString? password, SecureString newPassword, IProgress<string>? progress = null,
            CancellationToken cancellation = default) =>
            new CaLifecycle(this).ChangeKeyPassword(identity, password, newPassword, progress, cancellation);

        /// <summary>A new certificate for the same key (see <see cref="CaLifecycle.Renew"/>).</summary>
        public CertificateAuthority Renew(RenewCaRequest request, IProgress<string>? progress = null, CancellationToken cancellation = default) =>
            new CaLifecycle(this).Renew(request, progress, cancellation);

        /// <summary>The CA with this Name or Id, with its certificate.</summary>
        internal StoredCa Load(CaIdentity identity) => Repository.Load(Repository.Resolve(identity));

        /// <summary>
        /// Reads a CA that is about to be written as Get-CA will read it (constraints, dates, output), so that one any of that
        /// fails on is refused before its first file is written instead of left half written; <paramref name="unreadable"/>
        /// makes the error. Its record's issuer is not followed: it may be written with it.
        /// </summary>
        internal void Preview(CaRecord record, CertificateContent certificate, Func<Exception, PkiException> unreadable)
        {
            var preview = new CaRecord { Id = record.Id, Name = record.Name, Algorithm = record.Algorithm, Keyless = record.Keyless, KeyProtected = record.KeyProtected };
            try
            {
                ToOutput(new StoredCa(preview, certificate.Structure, certificate.Der));
            }
            catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt && Equals(e.Target, Store.FullPath(StoreLayout.CaCertificate(record.Id))))
            {
                throw unreadable(e.InnerException ?? e);
            }
            catch (Exception e) when (Malformed.Is(e))
            {
                throw unreadable(e);
            }
        }

        internal CertificateAuthority ToOutput(StoredCa authority) => CaOutput.From(authority, Store, Repository, Keys);
    }
}
