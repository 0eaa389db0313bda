using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The queue's claim, on SQLite and on PostgreSQL, where two dashboards may share one database.</summary>
public sealed class RunQueueTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ClaimNextAsync_QueuedRuns_ClaimsTheOldestNotExcludedAndMarksItRunning(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var dataSet = seed.NewDataSet("queue");
        // Created in the order 2, 0, 1 (minutes): ids and ages disagree, so the claim must go by age.
        var (newest, oldest, middle) = (RunListSeed.NewRun(dataSet, "newest", 2, RunStatus.Queued),
            RunListSeed.NewRun(dataSet, "oldest", 0, RunStatus.Queued), RunListSeed.NewRun(dataSet, "middle", 1, RunStatus.Queued));
        await seed.AddAsync(newest, oldest, middle, RunListSeed.NewRun(dataSet, "done", -1), RunListSeed.NewRun(dataSet, "training", -2, RunStatus.Running));
        var queue = Queue(seed, "dashboard-a");

        var first = await queue.ClaimNextAsync([oldest.Id], CancellationToken.None);
        var second = await queue.ClaimNextAsync([], CancellationToken.None);
        var third = await queue.ClaimNextAsync([], CancellationToken.None);
        var none = await queue.ClaimNextAsync([], CancellationToken.None);

        Assert.Equal(new int?[] { middle.Id, oldest.Id, newest.Id }, new[] { first, second, third });
        Assert.Null(none);
        await using var db = await seed.Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync(r => r.Status == RunStatus.Queued));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ClaimNextAsync_TwoClaimersAtOnce_ClaimEachQueuedRunExactlyOnce(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var dataSet = seed.NewDataSet("queue");
        var runs = Enumerable.Range(0, 20).Select(i => RunListSeed.NewRun(dataSet, $"queued {i}", i, RunStatus.Queued)).ToArray();
        await seed.AddAsync(runs);
        // Two dashboards: a queue each, each claim on a connection of its own, both let go at the same moment.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<List<int>> ClaimAllAsync(RunQueue queue)
        {
            await go.Task;
            var claimed = new List<int>();
            while (await queue.ClaimNextAsync([], CancellationToken.None) is { } id)
            {
                claimed.Add(id);
            }
            return claimed;
        }
        var claimers = new[] { Queue(seed, "dashboard-a"), Queue(seed, "dashboard-b") }
            .Select(queue => Task.Run(() => ClaimAllAsync(queue))).ToArray();

        go.SetResult();
        var claimed = await Task.WhenAll(claimers);

        Assert.Equal(runs.Select(r => r.Id).Order(), claimed.SelectMany(ids => ids).Order());
        await using var db = await seed.Factory.CreateDbContextAsync();
        Assert.Equal(runs.Length, await db.Runs.CountAsync(r => r.Status == RunStatus.Running));
        // Each run's owner is the dashboard whose claim took it.
        var owners = await db.Runs.ToDictionaryAsync(r => r.Id, r => r.Owner);
        Assert.All(claimed[0], id => Assert.Equal("dashboard-a", owners[id]));
        Assert.All(claimed[1], id => Assert.Equal("dashboard-b", owners[id]));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ClaimNextAsync_QueuedRun_MakesThisDashboardItsOwnerWithALeaseFromTheClock(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var run = RunListSeed.NewRun(seed.NewDataSet("queue"), "queued", 0, RunStatus.Queued);
        await seed.AddAsync(run);
        var time = new FakeTimeProvider(RunListSeed.Start.AddHours(1));
        var leases = new LeaseOptions { Duration = TimeSpan.FromMinutes(3) };

        Assert.Equal(run.Id, await Queue(seed, "dashboard-a", time, leases).ClaimNextAsync([], CancellationToken.None));

        await using var db = await seed.Factory.CreateDbContextAsync();
        var claimed = await db.Runs.SingleAsync(r => r.Id == run.Id);
        Assert.Equal((RunStatus.Running, "dashboard-a", time.GetUtcNow().AddMinutes(3)), (claimed.Status, claimed.Owner, claimed.LeaseUntil));
    }

    private static RunQueue Queue(RunListSeed seed, string owner, TimeProvider? time = null, LeaseOptions? leases = null) =>
        new(seed.Factory, seed.Provider, new ExecutorInstance(owner), Microsoft.Extensions.Options.Options.Create(leases ?? new LeaseOptions()), time ?? TimeProvider.System);
}
