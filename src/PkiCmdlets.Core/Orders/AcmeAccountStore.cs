using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// One ACME account per server in the store: acme/accounts/&lt;id&gt;.json with the account URL and contact,
    /// and &lt;id&gt;.key.pem with its key (PKCS#8, unencrypted, owner-only like every store file), where the id
    /// is the first 128 bits of SHA-256 over the directory URL, in hex. The key never leaves the store.
    /// </summary>
    internal sealed class AcmeAccountStore
    {
        /// <summary>New accounts get a P-256 key: small, fast, accepted by every ACME server.</summary>
        internal static readonly KeySpec KeySpec = KeySpec.Ecc(256);

        private readonly PkiStore _store;

        public AcmeAccountStore(PkiStore store)
        {
            _store = store;
        }

        public static string Id(Uri directory)
        {
            using var sha256 = SHA256.Create();
            var hash = sha256.ComputeHash(Encoding.UTF8.GetBytes(directory.AbsoluteUri));
            return Hex.Lower(hash).Substring(0, 32);
        }

        public bool Exists(Uri directory) => _store.Exists(StoreLayout.AcmeAccountRecord(Id(directory)));

        /// <summary>The account kept for this server, or null when there is none.</summary>
        public StoredAccount? Find(Uri directory)
        {
            var id = Id(directory);
            if (!_store.Exists(StoreLayout.AcmeAccountRecord(id))) return null;
            var record = _store.ReadJson<AccountRecord>(StoreLayout.AcmeAccountRecord(id));
            if (!Uri.TryCreate(record.AccountUrl, UriKind.Absolute, out var url))
            {
                throw _store.Corrupt(StoreLayout.AcmeAccountRecord(id), "accountUrl is missing", null);
            }
            PrivateKey key;
            try
            {
                var source = _store.FullPath(StoreLayout.AcmeAccountKey(id));
                key = PrivateKey.FromPkcs8(Pkcs8Pem.Decode(_store.ReadKey(StoreLayout.AcmeAccountKey(id)), null, source), source);
            }
            catch (PkiException e) when (e.ErrorId != ErrorIds.StoreRecordCorrupt)
            {
                throw _store.Corrupt(StoreLayout.AcmeAccountKey(id), e.Message, e);
            }
            return new StoredAccount(id, record, url, key);
        }

        /// <summary>
        /// Keeps a newly created account, unless another session kept one for this server first: then that one
        /// is returned (and ours, unused, is simply never used again), so all orders of a server share one account.
        /// </summary>
        public StoredAccount Keep(Uri directory, PrivateKey key, Uri accountUrl, IReadOnlyList<string> contact, string? eabKeyId, CancellationToken cancellation)
        {
            var id = Id(directory);
            _store.EnsureCreated(StoreLayout.AcmeAccountFolder);
            using (_store.Lock(cancellation))
            {
                var existing = Find(directory);
                if (existing != null) return existing;
                var record = new AccountRecord
                {
                    DirectoryUrl = directory.AbsoluteUri,
                    AccountUrl = accountUrl.AbsoluteUri,
                    Contact = new List<string>(contact),
                    KeyAlgorithm = key.Spec.AlgorithmName,
                    ExternalAccountKeyId = eabKeyId,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                // The key first: the record is what makes the account exist.
                _store.WriteAllOrNothing(new[]
                {
                    new KeyValuePair<string, byte[]>(StoreLayout.AcmeAccountKey(id), PkiStore.Utf8(Pkcs8Pem.Encode(key, null))),
                    new KeyValuePair<string, byte[]>(StoreLayout.AcmeAccountRecord(id), PkiStore.Json(record)),
                });
                return new StoredAccount(id, record, accountUrl, null);
            }
        }

        /// <summary>Keeps the key an account is about to change to, beside its key, until the server has taken it.</summary>
        public void KeepNewKey(StoredAccount account, PrivateKey key, CancellationToken cancellation)
        {
            using (_store.Lock(cancellation))
            {
                _store.WriteFile(StoreLayout.AcmeAccountNewKey(account.Id), PkiStore.Utf8(Pkcs8Pem.Encode(key, null)));
            }
        }

        /// <summary>The key a change was under way to, when one was left unfinished; null otherwise.</summary>
        public PrivateKey? NewKey(StoredAccount account)
        {
            if (!_store.Exists(StoreLayout.AcmeAccountNewKey(account.Id))) return null;
            var source = _store.FullPath(StoreLayout.AcmeAccountNewKey(account.Id));
            try
            {
                return PrivateKey.FromPkcs8(Pkcs8Pem.Decode(_store.ReadText(StoreLayout.AcmeAccountNewKey(account.Id)), null, source), source);
            }
            catch (PkiException e) when (e.ErrorId != ErrorIds.StoreRecordCorrupt)
            {
                throw _store.Corrupt(StoreLayout.AcmeAccountNewKey(account.Id), e.Message, e);
            }
        }

        /// <summary>The server took the new key: it becomes the account's key, and the record says when.</summary>
        public void CommitNewKey(StoredAccount account, DateTimeOffset now, CancellationToken cancellation)
        {
            using (_store.Lock(cancellation))
            {
                var record = _store.ReadJson<AccountRecord>(StoreLayout.AcmeAccountRecord(account.Id));
                record.KeyChangedAt = now;
                _store.WriteAllOrNothing(new[]
                {
                    new KeyValuePair<string, byte[]>(StoreLayout.AcmeAccountKey(account.Id), PkiStore.Utf8(_store.ReadText(StoreLayout.AcmeAccountNewKey(account.Id)))),
                    new KeyValuePair<string, byte[]>(StoreLayout.AcmeAccountRecord(account.Id), PkiStore.Json(record)),
                });
                _store.DeleteFile(StoreLayout.AcmeAccountNewKey(account.Id));
            }
        }

        /// <summary>The server did not take the new key: the account keeps its key.</summary>
        public void DropNewKey(StoredAccount account, CancellationToken cancellation)
        {
            using (_store.Lock(cancellation))
            {
                _store.DeleteFile(StoreLayout.AcmeAccountNewKey(account.Id));
            }
        }

        /// <summary>Records the new URL of an account the server had lost and that was created again with the same key.</summary>
        public void Replace(StoredAccount account, Uri accountUrl, IReadOnlyList<string> contact, CancellationToken cancellation)
        {
            using (_store.Lock(cancellation))
            {
                var record = _store.ReadJson<AccountRecord>(StoreLayout.AcmeAccountRecord(account.Id));
                record.AccountUrl = accountUrl.AbsoluteUri;
                record.Contact = new List<string>(contact);
                _store.WriteJson(StoreLayout.AcmeAccountRecord(account.Id), record);
            }
            account.Url = accountUrl;
        }
    }

    internal sealed class AccountRecord
    {
        public string DirectoryUrl { get; set; } = string.Empty;
        public string AccountUrl { get; set; } = string.Empty;
        public List<string> Contact { get; set; } = new List<string>();
        public string KeyAlgorithm { get; set; } = string.Empty;
        public string? ExternalAccountKeyId { get; set; }
        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>When the account's key was last changed (Update-AcmeAccountKey).</summary>
        public DateTimeOffset? KeyChangedAt { get; set; }
    }

    /// <summary>An account read from the store; it owns its key when it read it.</summary>
    internal sealed class StoredAccount : IDisposable
    {
        public StoredAccount(string id, AccountRecord record, Uri url, PrivateKey? key)
        {
            Id = id;
            Record = record;
            Url = url;
            Key = key;
        }

        public string Id { get; }
        public AccountRecord Record { get; }
        public Uri Url { get; set; }

        /// <summary>Null when the caller already holds the key (a newly kept account).</summary>
        public PrivateKey? Key { get; }

        public void Dispose() => Key?.Dispose();
    }
}
