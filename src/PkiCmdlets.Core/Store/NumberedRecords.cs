using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// A store folder of records named &lt;n&gt;.json with a next-id.txt counter (CSRs, certificate orders): the
    /// ids there, every readable record, and the next id, which is never one used before.
    /// </summary>
    internal sealed class NumberedRecords
    {
        private readonly PkiStore _store;
        private readonly string _folder;

        public NumberedRecords(PkiStore store, string folder)
        {
            _store = store;
            _folder = folder;
        }

        public string CounterFile => StoreLayout.NextId(_folder);

        public string RecordPath(int id) => StoreLayout.NumberedRecord(_folder, id);

        /// <summary>
        /// Every record <paramref name="load"/> can read, ordered by id; damaged ones go to <paramref name="problems"/>,
        /// and one removed by another session since the listing (<paramref name="notFoundErrorId"/>) is passed over.
        /// </summary>
        public List<T> LoadAll<T>(Func<int, T> load, string notFoundErrorId, List<PkiException> problems)
        {
            var records = new List<T>();
            foreach (var id in Ids())
            {
                try
                {
                    records.Add(load(id));
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    problems.Add(e);
                }
                catch (PkiException e) when (e.ErrorId == notFoundErrorId)
                {
                    // Removed by another session between listing and reading.
                }
            }
            return records;
        }

        /// <summary>Under the lock: the counter, but never below an id in the folder, so a lost or stale counter cannot repeat one.</summary>
        public int NextId()
        {
            var next = 1;
            if (_store.Exists(CounterFile)
                && int.TryParse(_store.ReadText(CounterFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
            {
                next = counter;
            }
            var ids = Ids();
            return Math.Max(next, ids.Count == 0 ? 1 : ids[ids.Count - 1] + 1);
        }

        private List<int> Ids() =>
            _store.ListFiles(_folder, StoreLayout.RecordFiles)
                .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null)
                .Where(id => id.HasValue)
                .Select(id => id!.Value)
                .OrderBy(id => id)
                .ToList();
    }
}
