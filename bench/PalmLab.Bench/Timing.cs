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

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public static int Arg(string[] values, int index, int fallback) =>
        values.Length > index ? int.Parse(values[index], CultureInfo.InvariantCulture) : fallback;

    public static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
