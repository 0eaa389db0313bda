using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>Thins a loss curve to about N points while keeping each bucket's lowest and highest loss, so spikes stay visible.</summary>
public static class Downsampler
{
    public static IReadOnlyList<BatchPoint> MinMax(IReadOnlyList<BatchPoint> points, int target)
    {
        if (target <= 0 || points.Count <= target)
        {
            return points;
        }
        var buckets = Math.Max(1, target / 2);
        var result = new List<BatchPoint>(buckets * 2);
        for (var b = 0; b < buckets; b++)
        {
            var start = (int)((long)points.Count * b / buckets);
            var end = (int)((long)points.Count * (b + 1) / buckets);
            if (end <= start)
            {
                continue;
            }
            BatchPoint min = points[start], max = points[start];
            for (var i = start + 1; i < end; i++)
            {
                if (points[i].Loss < min.Loss) min = points[i];
                if (points[i].Loss > max.Loss) max = points[i];
            }
            if (min.Step == max.Step)
            {
                result.Add(min);
            }
            else
            {
                result.Add(min.Step < max.Step ? min : max);
                result.Add(min.Step < max.Step ? max : min);
            }
        }
        return result;
    }
}
