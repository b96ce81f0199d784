using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// A store folder of records numbered 1, 2, 3, … (CSRs, certificate orders; see <see cref="StoreLayout"/>): whether
    /// one exists, reading one with its id checked, reading all, writing one with the files it stands for, removing one
    /// record first, and the next id, which is never one used before. The record is what makes the thing exist; the
    /// files beside it (a key, a request) count only through it.
    /// </summary>
    internal sealed class NumberedRecords<T>
        where T : class
    {
        private readonly PkiStore _store;
        private readonly string _folder;
        private readonly Func<int, PkiException> _notFound;
        private readonly Func<int, T, string?> _damage;

        /// <param name="store">The store.</param>
        /// <param name="folder">The folder of the records.</param>
        /// <param name="notFound">The error for an id that has no record.</param>
        /// <param name="damage">Why a record read from the file of an id cannot be that id's (its id is another, a field is missing), or null when it can.</param>
        public NumberedRecords(PkiStore store, string folder, Func<int, PkiException> notFound, Func<int, T, string?> damage)
        {
            _store = store;
            _folder = folder;
            _notFound = notFound;
            _damage = damage;
        }

        public string RecordPath(int id) => StoreLayout.NumberedRecord(_folder, id);

        public bool Exists(int id) => id > 0 && _store.Exists(RecordPath(id));

        /// <summary>The not-found error unless the record is there.</summary>
        public void EnsureExists(int id)
        {
            if (!Exists(id)) throw _notFound(id);
        }

        /// <summary>The record, or the not-found error, or StoreRecordCorrupt naming its file.</summary>
        public T Load(int id)
        {
            EnsureExists(id);
            var record = _store.ReadJson<T>(RecordPath(id));
            var damage = _damage(id, record);
            if (damage != null) throw _store.Corrupt(RecordPath(id), damage, null);
            return record;
        }

        /// <summary>
        /// Every record that can be read, ordered by id; damaged ones go to <paramref name="problems"/>, and one removed by
        /// another session since the listing is passed over.
        /// </summary>
        public List<T> LoadAll(List<PkiException> problems)
        {
            var records = new List<T>();
            foreach (var id in Ids())
            {
                try
                {
                    records.Add(Load(id));
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt && Exists(id))
                {
                    problems.Add(e);
                }
                catch (PkiException) when (!Exists(id))
                {
                    // Removed by another session between listing and reading.
                }
            }
            return records;
        }

        /// <summary>Under the lock: the counter, but never below an id in the folder, so a lost or stale counter cannot repeat one.</summary>
        public int NextId()
        {
            var counterFile = StoreLayout.NextId(_folder);
            var next = 1;
            if (_store.Exists(counterFile)
                && int.TryParse(_store.ReadText(counterFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
            {
                next = counter;
            }
            var ids = Ids();
            return Math.Max(next, ids.Count == 0 ? 1 : ids[ids.Count - 1] + 1);
        }

        /// <summary>
        /// Under the lock: writes <paramref name="files"/>, then the record that makes them count, then, for a new record
        /// (<paramref name="id"/> from <see cref="NextId"/>), the counter past it. On any failure removes what it wrote.
        /// </summary>
        public void Write(int id, T record, IEnumerable<KeyValuePair<string, byte[]>> files, bool isNew)
        {
            var all = files.ToList();
            all.Add(new KeyValuePair<string, byte[]>(RecordPath(id), PkiStore.Json(record)));
            if (isNew)
            {
                all.Add(new KeyValuePair<string, byte[]>(StoreLayout.NextId(_folder), PkiStore.Utf8((id + 1).ToString(CultureInfo.InvariantCulture))));
            }
            _store.WriteAllOrNothing(all);
        }

        /// <summary>
        /// Removes a record and then <paramref name="files"/> under the lock. The record goes first: a crash part-way
        /// leaves at most an orphaned file, never a record pointing at a missing one. Returns what <paramref name="describe"/>
        /// made of the record while its files were still there, or null when the record was too damaged for that (removing
        /// it is how a user clears it). When the record cannot be deleted, nothing is removed and the error is
        /// <paramref name="recordStays"/>'s, if given; a file after it that cannot be deleted is StoreNotWritable, unless
        /// <paramref name="filesBestEffort"/> leaves it behind.
        /// </summary>
        public TResult? Remove<TResult>(int id, Func<T, TResult> describe, IReadOnlyList<string> files, bool filesBestEffort,
            Func<PkiException, PkiException>? recordStays, CancellationToken cancellation)
            where TResult : class
        {
            EnsureExists(id); // before the lock, which would create a store that is not there
            using (_store.Lock(cancellation))
            {
                EnsureExists(id);
                TResult? removed = null;
                try
                {
                    removed = describe(Load(id));
                }
                catch (PkiException e) when (e.ErrorId == ErrorIds.StoreRecordCorrupt)
                {
                    // Damaged: nothing to return, and the files go all the same.
                }
                try
                {
                    _store.DeleteFile(RecordPath(id));
                }
                catch (PkiException e) when (recordStays != null && e.ErrorId == ErrorIds.StoreNotWritable)
                {
                    throw recordStays(e);
                }
                foreach (var file in files)
                {
                    try
                    {
                        _store.DeleteFile(file);
                    }
                    catch (PkiException) when (filesBestEffort)
                    {
                        // The record is gone, and with it what the file counted for.
                    }
                }
                return removed;
            }
        }

        private List<int> Ids() =>
            _store.ListFiles(_folder, StoreLayout.RecordFiles)
                .Select(StoreLayout.NumberOf)
                .Where(id => id.HasValue)
                .Select(id => id!.Value)
                .OrderBy(id => id)
                .ToList();
    }
}
