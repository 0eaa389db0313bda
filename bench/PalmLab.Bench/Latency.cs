using System.Globalization;

namespace PalmLab.Bench;

/// <summary>Milliseconds of repeated requests: median and 95th percentile (nearest rank), and the answer's size.</summary>
public sealed record Latency(double P50, double P95, int Count, long Bytes)
{
    public const double GoalMs = 100;

    public static Latency Of(IReadOnlyCollection<double> milliseconds, long bytes)
    {
        var sorted = milliseconds.Order().ToList();
        return new(Timing.Percentile(sorted, 0.5), Timing.Percentile(sorted, 0.95), sorted.Count, bytes);
    }

    /// <summary>
    /// One line a script can parse: <c>scale: LABEL p50 N ms p95 N ms (N requests, SIZE) (goal p95 &lt; 100 ms: met)</c>; a
    /// time seen in the browser has no goal, since it holds the browser's own work and the circuit's round trip.
    /// </summary>
    public string Line(string label, bool server = true)
    {
        var size = Bytes switch
        {
            0 => "",
            < 10_000 => string.Create(CultureInfo.InvariantCulture, $", {Bytes} B"),
            < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $", {Bytes / 1024.0:F0} KiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $", {Bytes / 1048576.0:F1} MiB"),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"scale: {label} p50 {P50:F0} ms p95 {P95:F0} ms ({Count} requests{size}) ")
            + (server ? string.Create(CultureInfo.InvariantCulture, $"(goal p95 < {GoalMs:F0} ms: {(P95 < GoalMs ? "met" : "missed")})") : "(in the browser: no goal)");
    }
}
