using System;
using System.Collections.Generic;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// CA keys unlocked for this process (Unlock-CA), as decrypted PKCS#8, until their time-out or Lock-CA.
    /// Process-wide on purpose: one Unlock-CA serves every later command in the PowerShell session, as
    /// Unlock-SecretStore does. Nothing is ever written to disk.
    /// </summary>
    internal static class CaKeyCache
    {
        private static readonly Dictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        public static void Put(string storeRoot, string caId, byte[] pkcs8, DateTimeOffset expires)
        {
            lock (Entries)
            {
                Remove(Key(storeRoot, caId));
                Entries[Key(storeRoot, caId)] = new Entry((byte[])pkcs8.Clone(), expires);
            }
        }

        /// <summary>A copy of the unlocked key, or null when it is not unlocked (or its time is up).</summary>
        public static byte[]? Get(string storeRoot, string caId, DateTimeOffset now)
        {
            lock (Entries)
            {
                if (!Entries.TryGetValue(Key(storeRoot, caId), out var entry)) return null;
                if (entry.Expires > now) return (byte[])entry.Pkcs8.Clone();
                Remove(Key(storeRoot, caId));
                return null;
            }
        }

        public static bool IsUnlocked(string storeRoot, string caId, DateTimeOffset now)
        {
            lock (Entries)
            {
                return Entries.TryGetValue(Key(storeRoot, caId), out var entry) && entry.Expires > now;
            }
        }

        /// <summary>Forgets one CA's key; returns whether it was unlocked.</summary>
        public static bool Forget(string storeRoot, string caId)
        {
            lock (Entries)
            {
                return Remove(Key(storeRoot, caId));
            }
        }

        private static bool Remove(string key)
        {
            if (!Entries.TryGetValue(key, out var entry)) return false;
            Array.Clear(entry.Pkcs8, 0, entry.Pkcs8.Length);
            Entries.Remove(key);
            return true;
        }

        private static string Key(string storeRoot, string caId) => storeRoot + "|" + caId;

        private sealed class Entry
        {
            public Entry(byte[] pkcs8, DateTimeOffset expires)
            {
                Pkcs8 = pkcs8;
                Expires = expires;
            }

            public byte[] Pkcs8 { get; }
            public DateTimeOffset Expires { get; }
        }
    }
}
