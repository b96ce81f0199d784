using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace PkiCmdlets.Core.Authority
{
    /// <summary>
    /// CA keys unlocked for this process (Unlock-CA), as decrypted PKCS#8, until their time-out or Lock-CA.
    /// Process-wide on purpose: one Unlock-CA serves every later command in the PowerShell session, as
    /// Unlock-SecretStore does. Nothing is ever written to disk. Each key is kept in memory of its own outside the
    /// garbage-collected heap, which the collector never moves (and so never leaves a copy behind), and is zeroed when
    /// Lock-CA forgets it, when Unlock-CA replaces it, and when its time is up: a timer forgets it then, whether or not
    /// the CA is used again. What .NET does not let us reach (copies the key's parsers and the crypto provider make
    /// while it is used, and the pages the system swapped out) is said in Unlock-CA's help.
    /// </summary>
    internal static class CaKeyCache
    {
        private static readonly Dictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>Test seam: a kept key's store and CA ("root|id") and its bytes just after zeroing, before their memory is freed.</summary>
        internal static Action<string, byte[]>? Zeroed;

        /// <param name="storeRoot">The store.</param>
        /// <param name="caId">The CA.</param>
        /// <param name="pkcs8">The key, copied: the caller clears its own.</param>
        /// <param name="expires">When the key stops being usable, by the caller's clock.</param>
        /// <param name="span">How long from now the timer waits before it forgets the key.</param>
        public static void Put(string storeRoot, string caId, byte[] pkcs8, DateTimeOffset expires, TimeSpan span)
        {
            var key = Key(storeRoot, caId);
            lock (Entries)
            {
                Remove(key);
                var entry = new Entry(key, pkcs8, expires);
                Entries[key] = entry;
                entry.ForgetAfter(span, () =>
                {
                    lock (Entries)
                    {
                        if (Entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) Remove(key);
                    }
                });
            }
        }

        /// <summary>A copy of the unlocked key, which the caller clears, or null when it is not unlocked (or its time is up).</summary>
        public static byte[]? Get(string storeRoot, string caId, DateTimeOffset now)
        {
            lock (Entries)
            {
                if (!Entries.TryGetValue(Key(storeRoot, caId), out var entry)) return null;
                if (entry.Expires > now) return entry.Copy();
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
            Entries.Remove(key);
            entry.Dispose();
            return true;
        }

        private static string Key(string storeRoot, string caId) => storeRoot + "|" + caId;

        /// <summary>One kept key: its bytes in unmanaged memory, and the timer that forgets it.</summary>
        private sealed class Entry : IDisposable
        {
            private readonly string _key;
            private readonly int _length;
            private IntPtr _memory;
            private Timer? _timer;

            public Entry(string key, byte[] pkcs8, DateTimeOffset expires)
            {
                _key = key;
                _length = pkcs8.Length;
                _memory = Marshal.AllocHGlobal(_length);
                Marshal.Copy(pkcs8, 0, _memory, _length);
                Expires = expires;
            }

            public DateTimeOffset Expires { get; }

            public void ForgetAfter(TimeSpan span, Action forget)
            {
                // A timer's longest wait is about 49 days; a key kept longer is forgotten then, which errs on the safe side.
                var due = (long)Math.Min(Math.Max(span.TotalMilliseconds, 0), uint.MaxValue - 1);
                _timer = new Timer(_ => forget(), null, due, Timeout.Infinite);
            }

            public byte[] Copy()
            {
                var copy = new byte[_length];
                Marshal.Copy(_memory, copy, 0, _length);
                return copy;
            }

            public void Dispose()
            {
                _timer?.Dispose();
                if (_memory == IntPtr.Zero) return;
                Marshal.Copy(new byte[_length], 0, _memory, _length);
                Zeroed?.Invoke(_key, Copy());
                Marshal.FreeHGlobal(_memory);
                _memory = IntPtr.Zero;
            }
        }
    }
}
