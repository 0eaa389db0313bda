namespace PalmLab.Bench;

/// <summary>One activation's values over the calibration images: min, max and 2,048 equal bins between them.</summary>
public sealed class Histogram
{
    private const int Bins = 2048;
    private readonly long[] counts = new long[Bins];

    public float Min { get; private set; } = float.MaxValue;
    public float Max { get; private set; } = float.MinValue;

    public void Widen(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            (Min, Max) = (Math.Min(Min, v), Math.Max(Max, v));
        }
    }

    public void Count(ReadOnlySpan<float> values)
    {
        var width = Math.Max(Max - Min, 1e-12f) / Bins;
        foreach (var v in values)
        {
            counts[Math.Clamp((int)((v - Min) / width), 0, Bins - 1)]++;
        }
    }

    /// <summary>The range [lo, hi] (zero inside it) whose uint8 quantization has the least total squared error over the
    /// counted values: rounding (a step squared over 12) inside it, the distance to its edge outside. Tried: the whole
    /// range shrunk towards zero by 1% at a time, down to 20%.</summary>
    public (float Lo, float Hi) LeastError()
    {
        var (min, max) = (Math.Min(0f, Min), Math.Max(0f, Max));
        var width = Math.Max(Max - Min, 1e-12f) / Bins;
        var best = (Lo: min, Hi: max);
        var bestError = double.MaxValue;
        for (var percent = 100; percent >= 20; percent--)
        {
            var (lo, hi) = (min * percent / 100f, max * percent / 100f);
            var step = (double)Math.Max(hi - lo, 1e-12f) / 255;
            var error = 0.0;
            for (var b = 0; b < Bins; b++)
            {
                if (counts[b] == 0)
                {
                    continue;
                }
                var v = Min + (b + 0.5) * width;
                var e = v < lo ? (lo - v) * (lo - v) : v > hi ? (v - hi) * (v - hi) : step * step / 12;
                error += counts[b] * e;
            }
            if (error < bestError)
            {
                (best, bestError) = ((lo, hi), error);
            }
        }
        return best;
    }
}
