using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public abstract class BatchLossWriterTests(DatabaseKind database) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly RunListSeed _seed = new(database);
    private readonly FakeTimeProvider _time = new();
    private int _runId;

    public sealed class Sqlite() : BatchLossWriterTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : BatchLossWriterTests(DatabaseKind.Postgres);

    public async Task InitializeAsync()
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();
        var run = new Run
        {
            Name = "writer test",
            Status = RunStatus.Running,
            DataSet = _seed.NewDataSet("tiny"),
            Options = TrainingPresets.Quick,
            CreatedAt = _time.GetUtcNow(),
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        _runId = run.Id;
    }

    public Task DisposeAsync()
    {
        _seed.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Add_ClockShortOfHalfSecond_KeepsPointsPendingAndUnwritten()
    {
        await using var writer = NewWriter();
        var points = Points(1, 10);

        foreach (var point in points)
        {
            writer.Add(point);
        }
        // The fake clock is the writer's only time: short of its interval, its timer cannot fire.
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        // Three real intervals pass as well: a timer on the system clock would have written the points by now.
        await Task.Delay(Interval * 3);

        Assert.Equal(points, writer.Pending());
        Assert.Empty(await WrittenAsync());
    }

    [Fact]
    public async Task Add_ClockPassesHalfSecond_WritesEveryPointInOneGo()
    {
        await using var writer = NewWriter();
        var points = Points(1, 10);
        foreach (var point in points)
        {
            writer.Add(point);
        }
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await WrittenAsync());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var written = new List<BatchPoint>();
        await Wait.UntilAsync(
            async () => (written = await WrittenAsync()).Count > 0,
            "the writer wrote nothing after the fake clock passed its half-second interval");

        // One transaction: the first rows a reader sees are all of them.
        Assert.Equal(points, written);
        await Wait.UntilAsync(() => writer.Pending().Count == 0, "written points stayed pending after their commit");
    }

    [Fact]
    public async Task Add_FiveHundredPoints_FlushesWithoutTheClock()
    {
        await using var writer = NewWriter();
        var points = Points(1, 500);

        foreach (var point in points)
        {
            writer.Add(point);
        }

        var written = new List<BatchPoint>();
        await Wait.UntilAsync(
            async () => (written = await WrittenAsync()).Count > 0,
            "500 pending points were not written while the fake clock stood still");
        Assert.Equal(points, written);
    }

    private BatchLossWriter NewWriter() => new(_seed.Factory, _runId, _time, NullLogger.Instance);

    private static List<BatchPoint> Points(long firstStep, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BatchPoint(firstStep + i, 1, 1.0 / (firstStep + i), 0.01))];

    private async Task<List<BatchPoint>> WrittenAsync()
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();
        var rows = await db.BatchLosses.AsNoTracking().Where(b => b.RunId == _runId).OrderBy(b => b.Step).ToListAsync();
        return [.. rows.Select(b => new BatchPoint(b.Step, b.Epoch, b.Loss, b.LearningRate))];
    }
}
