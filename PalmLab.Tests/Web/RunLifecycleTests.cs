using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The transitions of a run, each one conditional statement, on SQLite and on PostgreSQL.</summary>
public sealed class RunLifecycleTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ResumeAsync_TwentyAtOnceOnEachConnection_ExactlyOneWins(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var run = RunListSeed.NewRun(seed.NewDataSet("lifecycle"), "cancelled", 0, RunStatus.Cancelled);
        (run.Owner, run.LeaseUntil) = ("dashboard-a", RunListSeed.Start);
        await seed.AddAsync(run);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<bool> ResumeAsync()
        {
            await using var db = await seed.Factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await go.Task;
            return await RunLifecycle.ResumeAsync(db, run.Id, CancellationToken.None);
        }
        var resumes = Enumerable.Range(0, 20).Select(_ => Task.Run(ResumeAsync)).ToList();

        go.SetResult();
        var won = await Task.WhenAll(resumes);

        Assert.Equal(1, won.Count(w => w));
        await using var check = await seed.Factory.CreateDbContextAsync();
        var stored = await check.Runs.SingleAsync(r => r.Id == run.Id);
        // Queued again, it belongs to no dashboard until one claims it.
        Assert.Equal((RunStatus.Queued, true, null, null), (stored.Status, stored.ResumeRequested, stored.Owner, stored.LeaseUntil));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EndAsync_WithAnOwnerThatIsNotTheRuns_ChangesNothing(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var run = RunListSeed.NewRun(seed.NewDataSet("lifecycle"), "running", 0, RunStatus.Running);
        (run.Owner, run.LeaseUntil) = ("dashboard-b", RunListSeed.Start.AddMinutes(2));
        await seed.AddAsync(run);
        await using var db = await seed.Factory.CreateDbContextAsync();

        // A trainer whose run was taken from it (its lease passed, the run was resumed and claimed by b) ends nothing.
        Assert.False(await RunLifecycle.EndAsync(db, run.Id, RunStatus.Completed, null, RunListSeed.Start, null, CancellationToken.None, owner: "dashboard-a"));
        Assert.Equal(RunStatus.Running, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id)).Status);
        Assert.True(await RunLifecycle.EndAsync(db, run.Id, RunStatus.Completed, null, RunListSeed.Start, null, CancellationToken.None, owner: "dashboard-b"));

        var stored = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal((RunStatus.Completed, "dashboard-b", null), (stored.Status, stored.Owner, stored.LeaseUntil));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EndAsync_RunNotRunning_ChangesNothing(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var dataSet = seed.NewDataSet("lifecycle");
        var (queued, running) = (RunListSeed.NewRun(dataSet, "queued", 0, RunStatus.Queued), RunListSeed.NewRun(dataSet, "running", 1, RunStatus.Running));
        await seed.AddAsync(queued, running);
        await using var db = await seed.Factory.CreateDbContextAsync();

        // A trainer's end never overwrites a run someone else moved on (here: queued again by a resume).
        Assert.False(await RunLifecycle.EndAsync(db, queued.Id, RunStatus.Completed, null, RunListSeed.Start, null, CancellationToken.None));
        Assert.True(await RunLifecycle.EndAsync(db, running.Id, RunStatus.Completed, null, RunListSeed.Start, null, CancellationToken.None));
        Assert.False(await RunLifecycle.EndAsync(db, running.Id, RunStatus.Failed, "late", RunListSeed.Start, null, CancellationToken.None));

        Assert.Equal(RunStatus.Queued, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == queued.Id)).Status);
        Assert.Equal(RunStatus.Completed, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == running.Id)).Status);
    }

    [Fact]
    public void Next_EveryStatus_HasItsFollowersAndOnlyTheTableIsAllowed()
    {
        Assert.Equal(Enum.GetValues<RunStatus>().Order(), RunLifecycle.Next.Keys.Order());
        Assert.Equal([RunStatus.Interrupted, RunStatus.Cancelled, RunStatus.Failed], RunLifecycle.Resumable);
        Assert.DoesNotContain(RunStatus.Running, RunLifecycle.Deletable);
        Assert.Throws<InvalidOperationException>(() => RunLifecycle.EnsureAllowed(RunStatus.Completed, RunStatus.Queued));
        Assert.Throws<InvalidOperationException>(() => RunLifecycle.EnsureAllowed(RunStatus.Running, RunStatus.Queued));
    }
}
