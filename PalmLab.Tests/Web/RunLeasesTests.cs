using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>Two dashboards on one database, each holding the runs it claimed by renewing their leases, on a fake clock.</summary>
public sealed class RunLeasesTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RenewAsync_OneDashboardStopsRenewing_ItsRunIsInterruptedOnlyOnceItsLeasePassed(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var dataSet = seed.NewDataSet("leases");
        var (first, second) = (RunListSeed.NewRun(dataSet, "a's", 0, RunStatus.Queued), RunListSeed.NewRun(dataSet, "b's", 1, RunStatus.Queued));
        // Claimed before owners and leases existed: only a start-up takes it for lost, as before.
        var unleased = RunListSeed.NewRun(dataSet, "unleased", 2, RunStatus.Running);
        await seed.AddAsync(first, second, unleased);
        var time = new FakeTimeProvider(RunListSeed.Start.AddHours(1));
        var leases = new LeaseOptions { RenewEvery = TimeSpan.FromSeconds(15), Duration = TimeSpan.FromMinutes(2) };
        using var a = new LeaseParts(seed, "a", time, leases);
        using var b = new LeaseParts(seed, "b", time, leases);
        Assert.Equal(first.Id, await a.Queue.ClaimNextAsync([], CancellationToken.None));
        Assert.Equal(second.Id, await b.Queue.ClaimNextAsync([], CancellationToken.None));

        // Both renew a minute later; then b stops (killed), and a goes on renewing.
        time.Advance(TimeSpan.FromMinutes(1));
        await a.Leases.RenewAsync(CancellationToken.None);
        await b.Leases.RenewAsync(CancellationToken.None);
        var bRenewedUntil = time.GetUtcNow() + leases.Duration;
        time.Advance(leases.Duration - TimeSpan.FromSeconds(1));
        await a.Leases.RenewAsync(CancellationToken.None);
        Assert.Equal((RunStatus.Running, bRenewedUntil), await StatusAndLeaseAsync(seed, second.Id));

        time.Advance(TimeSpan.FromSeconds(2));
        await a.Leases.RenewAsync(CancellationToken.None);

        await using var db = await seed.Factory.CreateDbContextAsync();
        var (mine, lost) = (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == first.Id), await db.Runs.AsNoTracking().SingleAsync(r => r.Id == second.Id));
        Assert.Equal((RunStatus.Running, "a", time.GetUtcNow() + leases.Duration), (mine.Status, mine.Owner, mine.LeaseUntil));
        Assert.Equal((RunStatus.Interrupted, "b", RunRecovery.ExpiredReason("b")), (lost.Status, lost.Owner, lost.ErrorMessage));
        Assert.Equal((RunStatus.Running, null), await StatusAndLeaseAsync(seed, unleased.Id));
        await Wait.UntilAsync(() => a.Events.OfType<StatusChangedEvent>().Any(e => e.RunId == second.Id && e.Status == RunStatus.Interrupted),
            "a did not tell the pages that b's run was interrupted");
        // Renewing no longer brings it back: b, restarted, finds it ended.
        await b.Leases.RenewAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Interrupted, (await StatusAndLeaseAsync(seed, second.Id)).Status);
    }

    [Fact]
    public async Task ExecuteAsync_EachPeriodOfTheClock_RenewsTheLeaseOfItsRunningRun()
    {
        using var seed = new RunListSeed();
        var run = RunListSeed.NewRun(seed.NewDataSet("leases"), "trains", 0, RunStatus.Queued);
        await seed.AddAsync(run);
        var time = new FakeTimeProvider(RunListSeed.Start.AddHours(1));
        var leases = new LeaseOptions { RenewEvery = TimeSpan.FromSeconds(15), Duration = TimeSpan.FromMinutes(2) };
        using var a = new LeaseParts(seed, "a", time, leases);
        await a.Queue.ClaimNextAsync([], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        await a.Leases.StartAsync(CancellationToken.None);
        try
        {
            // A round at once, then one each period: the fake clock alone drives them.
            await WaitForLeaseAsync(seed, run.Id, time.GetUtcNow() + leases.Duration, "the first round at start did not renew the lease");
            for (var period = 1; period <= 3; period++)
            {
                time.Advance(leases.RenewEvery);
                await WaitForLeaseAsync(seed, run.Id, time.GetUtcNow() + leases.Duration, $"period {period} did not renew the lease");
            }
        }
        finally
        {
            await a.Leases.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForLeaseAsync(RunListSeed seed, int runId, DateTimeOffset expected, string message) =>
        await Wait.UntilAsync(async () => (await StatusAndLeaseAsync(seed, runId)).LeaseUntil == expected, $"{message} (to {expected:O})");

    private static async Task<(RunStatus Status, DateTimeOffset? LeaseUntil)> StatusAndLeaseAsync(RunListSeed seed, int runId)
    {
        await using var db = await seed.Factory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        return (run.Status, run.LeaseUntil);
    }
}
