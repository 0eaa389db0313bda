using System.Buffers;

namespace PalmLab.Engine.Synthetic;

/// <summary>
/// A coverage mask (0..1 per pixel) that tapered strokes are drawn into, anti-aliased, keeping the maximum. Its buffer
/// is pooled: a data set paints thousands of these, and fresh large arrays each time cost more than the painting.
/// </summary>
internal sealed class StrokeMask : IDisposable
{
    public StrokeMask(int width, int height)
    {
        (Width, Height) = (width, height);
        Values = ArrayPool<float>.Shared.Rent(width * height);
        Array.Clear(Values, 0, width * height);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major coverage; may be longer than Width * Height.</summary>
    public float[] Values { get; }

    public void Dispose() => ArrayPool<float>.Shared.Return(Values);

    /// <summary>
    /// Draws a capsule from (x0, y0) to (x1, y1) whose width goes from w0 to w1; <paramref name="softness"/> is the width,
    /// in pixels, of the edge's ramp from full to no coverage.
    /// </summary>
    public void Segment(float x0, float y0, float w0, float x1, float y1, float w1, float opacity, float softness)
    {
        var reach = Math.Max(w0, w1) / 2 + softness;
        var left = Math.Max(0, (int)MathF.Floor(Math.Min(x0, x1) - reach));
        var right = Math.Min(Width - 1, (int)MathF.Ceiling(Math.Max(x0, x1) + reach));
        var top = Math.Max(0, (int)MathF.Floor(Math.Min(y0, y1) - reach));
        var bottom = Math.Min(Height - 1, (int)MathF.Ceiling(Math.Max(y0, y1) + reach));
        var (dx, dy) = (x1 - x0, y1 - y0);
        var lengthSquared = Math.Max(dx * dx + dy * dy, 1e-6f);
        for (var y = top; y <= bottom; y++)
        {
            var row = y * Width;
            for (var x = left; x <= right; x++)
            {
                var t = Math.Clamp(((x - x0) * dx + (y - y0) * dy) / lengthSquared, 0f, 1f);
                var (ex, ey) = (x - x0 - t * dx, y - y0 - t * dy);
                var halfWidth = (w0 + t * (w1 - w0)) / 2;
                var coverage = Math.Clamp((halfWidth - MathF.Sqrt(ex * ex + ey * ey)) / softness + 0.5f, 0f, 1f) * opacity;
                if (coverage > Values[row + x])
                {
                    Values[row + x] = coverage;
                }
            }
        }
    }
}
