using PalmLab.Web.Api;
using PalmLab.Web.Components.Pages.Compare;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>A long curve thinned while it is read gives exactly what thinning the whole curve gives, its last epoch's few points included.</summary>
public abstract class CurveThinningTests(DatabaseKind database) : IAsyncLifetime
{
    private const int Stored = 1000;
    private const int LastEpoch = 37;

    private readonly RunListSeed _seed = new(database);
    private Run _run = null!;

    public sealed class Sqlite() : CurveThinningTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : CurveThinningTests(DatabaseKind.Postgres);

    public async Task InitializeAsync()
    {
        _run = RunListSeed.NewRun(_seed.NewDataSet("demo"), "long", 1, RunStatus.Running);
        await _seed.AddAsync(_run);
        // Losses rounded to one decimal: many ties, so which of equal points a bucket keeps is tested too.
        var random = new Random(7);
        await using (var db = await _seed.Factory.CreateDbContextAsync())
        {
            db.BatchLosses.AddRange(Enumerable.Range(1, Stored).Select(step => new BatchLoss
            {
                RunId = _run.Id, Step = step, Epoch = 1 + (step - 1) / 100, Loss = Math.Round(random.NextDouble(), 1), LearningRate = 0.01,
            }));
            // An epoch in progress: fewer points than a whole epoch's.
            db.BatchLosses.AddRange(Enumerable.Range(Stored + 1, LastEpoch).Select(step => new BatchLoss
            {
                RunId = _run.Id, Step = step, Epoch = 11, Loss = Math.Round(random.NextDouble(), 1), LearningRate = 0.01,
            }));
            await db.SaveChangesAsync();
        }
    }

    public Task DisposeAsync()
    {
        _seed.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(7, 0)]
    [InlineData(2, 0)]
    [InlineData(100, 500)]
    public async Task ReadCurveAsync_Points_EqualsEachBucketsMinimumAndMaximumOfTheWholeCurve(int points, long after)
    {
        var whole = (await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, 0, CancellationToken.None, after))!;

        var thinned = await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, points, CancellationToken.None, after);

        Assert.Equal(Stored + LastEpoch - after, whole.Count);
        Assert.Equal(Reference(whole, points), thinned);
        Assert.Equal(Reference(whole, points), Downsampler.MinMax(whole, points));
    }

    [Fact]
    public async Task ReadCurveAsync_PointsAtLeastTheCurve_ReturnsEveryPoint()
    {
        var whole = (await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, 0, CancellationToken.None))!;

        Assert.Equal(whole, await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, Stored + LastEpoch, CancellationToken.None));
    }

    [Fact]
    public async Task ReadBatchesPerEpochAsync_ThinnedCurve_PlacesItAsTheWholeCurveIsPlaced()
    {
        var whole = (await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, 0, CancellationToken.None))!;
        var thinned = (await RunReader.ReadCurveAsync(_seed.Factory, _run.Id, 100, CancellationToken.None))!;

        var batches = await RunReader.ReadBatchesPerEpochAsync(_seed.Factory, _run.Id, CancellationToken.None);

        Assert.Equal(100, batches);
        Assert.Equal(EpochAxis.Place(whole, 100), EpochAxis.Place(thinned, 100, batches));
    }

    // The thinning as first written, over a list: target / 2 buckets by position, each keeping its first lowest and first
    // highest point in step order.
    private static List<BatchPoint> Reference(IReadOnlyList<BatchPoint> points, int target)
    {
        if (points.Count <= target)
        {
            return [.. points];
        }
        var buckets = Math.Max(1, target / 2);
        var result = new List<BatchPoint>();
        for (var b = 0; b < buckets; b++)
        {
            int start = points.Count * b / buckets, end = points.Count * (b + 1) / buckets;
            var bucket = points.Skip(start).Take(end - start).ToList();
            var min = bucket.First(p => p.Loss == bucket.Min(q => q.Loss));
            var max = bucket.First(p => p.Loss == bucket.Max(q => q.Loss));
            result.AddRange(min.Step == max.Step ? [min] : min.Step < max.Step ? [min, max] : [max, min]);
        }
        return result;
    }
}
