using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// The hooks registered in the store (renewal/hooks.json): at most one of each <see cref="HookType"/>, a script
    /// block's text or a script file's path. The store is owner-only, so only its owner can change what runs.
    /// </summary>
    internal sealed class HookRepository
    {
        private readonly PkiStore _store;

        public HookRepository(PkiStore store)
        {
            _store = store;
        }

        /// <summary>The hook of this type, or null when none is registered.</summary>
        public Hook? Get(HookType type)
        {
            Load().TryGetValue(Key(type), out var record);
            return record == null ? null : ToOutput(type, record);
        }

        /// <summary>Every hook registered, Dns before Deploy.</summary>
        public List<Hook> List()
        {
            var hooks = new List<Hook>();
            foreach (HookType type in Enum.GetValues(typeof(HookType)))
            {
                var hook = Get(type);
                if (hook != null) hooks.Add(hook);
            }
            return hooks;
        }

        /// <summary>
        /// Registers a script block's text or an existing script file (its full path) as the hook of this type, in place of
        /// the one before; HookScriptEmpty for blank text, PathNotFound for a file that is not there.
        /// </summary>
        public Hook Register(HookType type, string? scriptBlock, string? path, DateTimeOffset now, CancellationToken cancellation)
        {
            if (path != null)
            {
                if (!File.Exists(path))
                {
                    throw new PkiException(ErrorIds.PathNotFound, PkiErrorKind.ObjectNotFound, path, Messages.HookFileNotFound.Format(path));
                }
            }
            else if (string.IsNullOrWhiteSpace(scriptBlock))
            {
                throw new PkiException(ErrorIds.HookScriptEmpty, PkiErrorKind.InvalidArgument, type.ToString(), Messages.HookScriptEmpty.Format(type));
            }
            var record = new HookRecord { ScriptBlock = path == null ? scriptBlock : null, Path = path, RegisteredAt = now };
            _store.EnsureCreated(StoreLayout.RenewalFolder);
            using (_store.Lock(cancellation))
            {
                var hooks = Load();
                hooks[Key(type)] = record;
                _store.WriteJson(StoreLayout.Hooks, hooks);
            }
            return ToOutput(type, record);
        }

        /// <summary>Removes the hook of this type; returns it, or null when there was none.</summary>
        public Hook? Unregister(HookType type, CancellationToken cancellation)
        {
            if (!_store.Exists(StoreLayout.Hooks)) return null;
            using (_store.Lock(cancellation))
            {
                var hooks = Load();
                if (!hooks.TryGetValue(Key(type), out var record)) return null;
                hooks.Remove(Key(type));
                _store.WriteJson(StoreLayout.Hooks, hooks);
                return ToOutput(type, record);
            }
        }

        private Dictionary<string, HookRecord> Load() =>
            _store.Exists(StoreLayout.Hooks)
                ? new Dictionary<string, HookRecord>(_store.ReadJson<Dictionary<string, HookRecord>>(StoreLayout.Hooks), StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, HookRecord>(StringComparer.OrdinalIgnoreCase);

        private static string Key(HookType type) => type == HookType.Dns ? "dns" : "deploy";

        private Hook ToOutput(HookType type, HookRecord record) => new Hook
        {
            Type = type.ToString(),
            ScriptBlock = record.ScriptBlock,
            Path = record.Path,
            RegisteredAt = record.RegisteredAt,
            StorePath = _store.Root,
        };

        private sealed class HookRecord
        {
            public string? ScriptBlock { get; set; }
            public string? Path { get; set; }
            public DateTimeOffset RegisteredAt { get; set; }
        }
    }
}
