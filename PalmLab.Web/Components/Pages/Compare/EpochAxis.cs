using PalmLab.Web.Components.Shared;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>
/// Places batch losses on an epoch axis (the last batch of epoch 2 at 2.0, its middle one at 1.5), so runs with
/// different batch sizes or data sets line up with each other and with their per-epoch validation points.
/// </summary>
public static class EpochAxis
{
    /// <summary>The curve thinned to about <paramref name="points"/> with <see cref="Downsampler.MinMax"/>, X in epochs.</summary>
    public static IReadOnlyList<ChartPoint> Place(IReadOnlyList<BatchPoint> curve, int points)
    {
        if (curve.Count == 0)
        {
            return [];
        }
        // Steps count on across epochs (epoch e ends at step e x batches). Finished epochs all hold every batch; an
        // epoch under way holds fewer, so the fullest epoch gives the batch count.
        return Place(curve, points, curve.CountBy(p => p.Epoch).Max(c => c.Value));
    }

    /// <summary>
    /// The same for a curve already thinned (or thinned here), with the batch count of its fullest epoch counted from
    /// the whole curve (<see cref="RunReader.ReadBatchesPerEpochAsync"/>).
    /// </summary>
    public static IReadOnlyList<ChartPoint> Place(IReadOnlyList<BatchPoint> curve, int points, int batchesPerEpoch) =>
        curve.Count == 0 || batchesPerEpoch <= 0
            ? []
            : Downsampler.MinMax(curve, points).Select(p => new ChartPoint((double)p.Step / batchesPerEpoch, p.Loss)).ToList();
}
