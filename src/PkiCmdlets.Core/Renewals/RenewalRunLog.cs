using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Renewals
{
    /// <summary>The last renewal runs (renewal/runs.json), newest last; the oldest go once there are more than <see cref="Kept"/>.</summary>
    internal sealed class RenewalRunLog
    {
        public const int Kept = 50;

        private readonly PkiStore _store;

        public RenewalRunLog(PkiStore store)
        {
            _store = store;
        }

        public List<RenewalRun> Load() =>
            _store.Exists(StoreLayout.RenewalRuns) ? _store.ReadJson<List<RenewalRun>>(StoreLayout.RenewalRuns) : new List<RenewalRun>();

        public void Append(RenewalRun run, CancellationToken cancellation)
        {
            _store.EnsureCreated(StoreLayout.RenewalFolder);
            using (_store.Lock(cancellation))
            {
                var runs = Load();
                runs.Add(run);
                _store.WriteJson(StoreLayout.RenewalRuns, runs.Skip(runs.Count - Kept).ToList());
            }
        }
    }
}
