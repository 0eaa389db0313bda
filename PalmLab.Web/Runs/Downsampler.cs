namespace PalmLab.Web.Runs;

/// <summary>Thins a loss curve to about N points while keeping each bucket's lowest and highest loss, so spikes stay visible.</summary>
public static class Downsampler
{
    public static IReadOnlyList<BatchPoint> MinMax(IReadOnlyList<BatchPoint> points, int target)
    {
        if (target <= 0 || points.Count <= target)
        {
            return points;
        }
        var thinning = new MinMaxThinning<BatchPoint>(points.Count, target);
        foreach (var point in points)
        {
            thinning.Add(point.Step, point.Loss, point);
        }
        return thinning.Finish();
    }
}
