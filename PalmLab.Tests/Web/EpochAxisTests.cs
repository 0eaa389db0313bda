using PalmLab.Web.Components.Pages.Compare;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public sealed class EpochAxisTests
{
    private static List<BatchPoint> Curve(int perEpoch, int steps) =>
        Enumerable.Range(1, steps).Select(s => new BatchPoint(s, (s - 1) / perEpoch + 1, 1.0 / s, 0.01)).ToList();

    [Fact]
    public void Place_TwoEpochsAndHalfAThird_PutsEachBatchAtItsEpochFraction()
    {
        var placed = EpochAxis.Place(Curve(perEpoch: 4, steps: 10), points: 0);

        Assert.Equal([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5], placed.Select(p => p.X));
        Assert.Equal(1.0 / 10, placed[^1].Y);
    }

    [Fact]
    public void Place_RunsOfDifferentBatchCounts_EndTheirEpochsAtTheSameX()
    {
        var small = EpochAxis.Place(Curve(perEpoch: 3, steps: 6), points: 0);
        var large = EpochAxis.Place(Curve(perEpoch: 50, steps: 100), points: 0);

        Assert.Equal([1.0, 2.0], small.Where(p => p.X % 1 == 0).Select(p => p.X));
        Assert.Equal([1.0, 2.0], large.Where(p => p.X % 1 == 0).Select(p => p.X));
    }

    [Fact]
    public void Place_ManyBatches_ThinsToAboutThePointsAskedForKeepingTheSpike()
    {
        var curve = Curve(perEpoch: 1000, steps: 100_000);
        curve[54_321] = curve[54_321] with { Loss = 9 };

        var placed = EpochAxis.Place(curve, points: 2000);

        Assert.InRange(placed.Count, 1000, 2000);
        Assert.Contains(placed, p => p.Y == 9 && Math.Abs(p.X - 54.322) < 1e-9);
        Assert.Equal(100, placed[^1].X);
    }

    [Fact]
    public void Place_NoBatches_IsEmpty() => Assert.Empty(EpochAxis.Place([], points: 100));
}
