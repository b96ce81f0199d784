using System;
using System.Linq;
using System.Security;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// A CA's private key in use: opened in the clear, with a password, or from the copy Unlock-CA keeps in this
    /// process (<see cref="CaKeyCache"/>), and kept unlocked or forgotten.
    /// </summary>
    internal sealed class CaKeys
    {
        private readonly PkiStore _store;
        private readonly Func<DateTimeOffset> _clock;

        public CaKeys(PkiStore store, Func<DateTimeOffset> clock)
        {
            _store = store;
            _clock = clock;
        }

        /// <summary>
        /// The CA's private key: unencrypted, or decrypted with <paramref name="password"/>, or the copy
        /// Unlock-CA keeps; otherwise CaLocked, naming both ways to supply the password. CaKeyMismatch when it is not the
        /// key of the CA's certificate (one of the files was replaced): nothing may be signed with it.
        /// </summary>
        public PrivateKey Open(StoredCa authority, SecureString? password)
        {
            var key = Open(authority.Record, password);
            try
            {
                RequireMatch(authority, key);
                return key;
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }

        /// <summary>CaKeyMismatch unless <paramref name="key"/> is the key of <paramref name="authority"/>'s certificate.</summary>
        public void RequireMatch(StoredCa authority, PrivateKey key)
        {
            var certificateKey = authority.SubjectPublicKeyInfo;
            // The same DER is the common case and costs a comparison; another encoding of the same key is compared by value.
            if (certificateKey.SequenceEqual(key.ExportSubjectPublicKeyInfo())) return;
            var keyPath = _store.FullPath(StoreLayout.CaKey(authority.Record.Id));
            if (PublicKeyInfo.FromSubjectPublicKeyInfo(certificateKey, _store.FullPath(StoreLayout.CaCertificate(authority.Record.Id))).Matches(key)) return;
            throw new PkiException(ErrorIds.CaKeyMismatch, PkiErrorKind.SecurityError, keyPath,
                Messages.CaKeyMismatch.Format(authority.Record.Name, keyPath, _store.FullPath(StoreLayout.CaCertificate(authority.Record.Id))));
        }

        private PrivateKey Open(CaRecord record, SecureString? password)
        {
            RequireKey(record);
            var source = _store.FullPath(StoreLayout.CaKey(record.Id));
            var pem = _store.ReadKey(StoreLayout.CaKey(record.Id));
            byte[]? pkcs8 = null;
            try
            {
                if (!Pkcs8Pem.IsEncrypted(pem))
                {
                    pkcs8 = Pkcs8Pem.Decode(pem, null, record.Name);
                }
                else if (password != null)
                {
                    KeyProtection.RequireNonEmpty(password);
                    pkcs8 = Pkcs8Pem.Decode(pem, password, record.Name);
                }
                else
                {
                    pkcs8 = CaKeyCache.Get(_store.Root, record.Id, _clock())
                        ?? throw new PkiException(ErrorIds.CaLocked, PkiErrorKind.SecurityError, record.Name, Messages.CaLocked.Format(record.Name));
                }
                return PrivateKey.FromPkcs8(pkcs8, source);
            }
            finally
            {
                if (pkcs8 != null) Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        /// <summary>
        /// Whether the CA's key is encrypted, as the key file's PEM label says. The record's KeyProtected flag is written after
        /// the key file (Set-CAKeyPassword), so a crash between the two leaves it wrong; the file is what has to be opened.
        /// The flag only for a CA whose key file is not there (yet: a CA being made, or one the store keeps without its key).
        /// </summary>
        public bool IsProtected(CaRecord record)
        {
            if (record.Keyless) return false;
            var path = StoreLayout.CaKey(record.Id);
            return _store.Exists(path) ? Pkcs8Pem.IsEncrypted(_store.ReadText(path)) : record.KeyProtected;
        }

        /// <summary>CaKeyNotInStore for a CA the store keeps without its key: it cannot sign, nor be unlocked.</summary>
        public static void RequireKey(CaRecord record)
        {
            if (record.Keyless)
            {
                throw new PkiException(ErrorIds.CaKeyNotInStore, PkiErrorKind.InvalidOperation, record.Name, Messages.CaKeyNotInStore.Format(record.Name));
            }
        }

        /// <summary>
        /// Checks the password of a protected key, and that it is the key of the CA's certificate, and keeps the decrypted
        /// key in this process for <paramref name="span"/>.
        /// </summary>
        public void Unlock(StoredCa authority, SecureString password, TimeSpan span)
        {
            var record = authority.Record;
            RequireKey(record);
            var pkcs8 = Read(record, password);
            try
            {
                using (var key = PrivateKey.FromPkcs8(pkcs8, _store.FullPath(StoreLayout.CaKey(record.Id))))
                {
                    RequireMatch(authority, key);
                }
                CaKeyCache.Put(_store.Root, record.Id, pkcs8, _clock() + span, span);
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }
        }

        public void Lock(CaRecord record) => CaKeyCache.Forget(_store.Root, record.Id);

        /// <summary>Whether Unlock-CA keeps a protected key usable in this process now.</summary>
        public bool IsUnlocked(CaRecord record) => CaKeyCache.IsUnlocked(_store.Root, record.Id, _clock()) && IsProtected(record);

        private byte[] Read(CaRecord record, SecureString? password) =>
            Pkcs8Pem.Decode(_store.ReadKey(StoreLayout.CaKey(record.Id)), password, record.Name);
    }
}
