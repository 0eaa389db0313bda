using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
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
        var queue = new RunQueue(seed.Factory, seed.Provider);

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
        var claimers = new[] { new RunQueue(seed.Factory, seed.Provider), new RunQueue(seed.Factory, seed.Provider) }
            .Select(queue => Task.Run(() => ClaimAllAsync(queue))).ToArray();

        go.SetResult();
        var claimed = await Task.WhenAll(claimers);

        Assert.Equal(runs.Select(r => r.Id).Order(), claimed.SelectMany(ids => ids).Order());
        await using var db = await seed.Factory.CreateDbContextAsync();
        Assert.Equal(runs.Length, await db.Runs.CountAsync(r => r.Status == RunStatus.Running));
    }
}
