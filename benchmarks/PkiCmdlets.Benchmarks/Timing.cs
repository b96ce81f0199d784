using System.Diagnostics;

/// <summary>Timing helpers shared by the benchmark sections.</summary>
internal static class Timing
{
    public static List<double> Measure(int runs, Action action)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    public static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    public static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    /// <summary>
    /// Operations per second of all <paramref name="workers"/> together, each called over and over on a thread of its
    /// own until <paramref name="duration"/> has passed; every operation started is finished and counted.
    /// </summary>
    public static double PerSecond(TimeSpan duration, IReadOnlyList<Action> workers)
    {
        var counts = new long[workers.Count];
        using var go = new ManualResetEventSlim();
        var clock = new Stopwatch();
        var threads = workers.Select((work, i) => new Thread(() =>
        {
            go.Wait();
            while (clock.Elapsed < duration)
            {
                work();
                counts[i]++;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        clock.Start();
        go.Set();
        threads.ForEach(t => t.Join());
        clock.Stop();
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}
