using System.Diagnostics;
using System.Globalization;

namespace PalmLab.Bench;

/// <summary>Shared helpers: the median of repeated runs after a warm-up, and positional arguments.</summary>
public static class Timing
{
    /// <summary>Median milliseconds of <paramref name="runs"/> calls of <paramref name="step"/>, after one warm-up call.</summary>
    public static double Median(int runs, Action step)
    {
        step(); // warm-up: first-touch allocations and oneDNN kernel selection
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            step();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return MedianOf(times);
    }

    /// <summary>
    /// Median milliseconds of each of <paramref name="steps"/> over <paramref name="runs"/> rounds in which every step runs
    /// once, taking turns: which goes first rotates every round, so none always runs on a cache the one before warmed.
    /// </summary>
    public static double[] TakeTurns(int runs, params Action[] steps)
    {
        var times = steps.Select(_ => new List<double>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < steps.Length; i++)
            {
                var which = (run + i) % steps.Length;
                var clock = Stopwatch.StartNew();
                steps[which]();
                times[which].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        return times.Select(MedianOf).ToArray();
    }

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Nearest rank: the smallest value that at least <paramref name="share"/> of the sorted values do not exceed; NaN for none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];

    public static int Arg(string[] values, int index, int fallback) =>
        values.Length > index ? int.Parse(values[index], CultureInfo.InvariantCulture) : fallback;

    public static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
