using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>A dashboard's start-up on a database that other dashboards share, on SQLite and on PostgreSQL.</summary>
public sealed class RunRecoveryTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RecoverAsync_SharedDatabase_InterruptsOnlyItsOwnLostRunsAndOtherDashboardsRunsWhoseLeasePassed(DatabaseKind database)
    {
        using var seed = new RunListSeed(database);
        var time = new FakeTimeProvider(RunListSeed.Start.AddHours(1));
        var now = time.GetUtcNow();
        var dataSet = seed.NewDataSet("recovery");
        var minute = 0;
        Run Running(string name, string? owner, DateTimeOffset? leaseUntil, string executor = RunExecutors.Local)
        {
            var run = RunListSeed.NewRun(dataSet, name, minute++, RunStatus.Running);
            (run.Owner, run.LeaseUntil, run.Executor) = (owner, leaseUntil, executor);
            return run;
        }
        var ownLost = Running("mine, its training died with me", "me", now.AddMinutes(1));
        var ownStillTraining = Running("mine, its training process outlived me", "me", now.AddMinutes(1));
        var ownSlurm = Running("mine, a Slurm job", "me", now.AddMinutes(-5), RunExecutors.Slurm);
        var otherHeld = Running("another dashboard's, lease held", "other", now.AddSeconds(1));
        var otherExpired = Running("another dashboard's, lease passed", "other", now.AddSeconds(-1));
        var otherSlurm = Running("another dashboard's Slurm job, lease passed", "other", now.AddMinutes(-5), RunExecutors.Slurm);
        var unowned = Running("claimed before owners existed", null, null);
        var queued = RunListSeed.NewRun(dataSet, "queued", minute++, RunStatus.Queued);
        var completed = RunListSeed.NewRun(dataSet, "completed", minute++);
        completed.Owner = "me";
        await seed.AddAsync(ownLost, ownStillTraining, ownSlurm, otherHeld, otherExpired, otherSlurm, unowned, queued, completed);
        using var me = new LeaseParts(seed, "me", time);

        var interrupted = await me.Recovery.RecoverAsync([ownStillTraining.Id], CancellationToken.None);

        Assert.Equal(new[] { ownLost.Id, otherExpired.Id, unowned.Id }.Order(), interrupted.Order());
        await using var db = await seed.Factory.CreateDbContextAsync();
        var runs = await db.Runs.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.Equal((RunStatus.Interrupted, RunRecovery.OwnRunReason, "me"), (runs[ownLost.Id].Status, runs[ownLost.Id].ErrorMessage, runs[ownLost.Id].Owner));
        Assert.Equal((RunStatus.Interrupted, RunRecovery.ExpiredReason("other")), (runs[otherExpired.Id].Status, runs[otherExpired.Id].ErrorMessage));
        Assert.Contains("(other) stopped renewing it", runs[otherExpired.Id].ErrorMessage);
        Assert.Equal((RunStatus.Interrupted, RunRecovery.ExpiredReason(null)), (runs[unowned.Id].Status, runs[unowned.Id].ErrorMessage));
        Assert.All([ownLost, otherExpired, unowned], r => Assert.Equal((now, (DateTimeOffset?)null), (runs[r.Id].FinishedAt, runs[r.Id].LeaseUntil)));
        foreach (var untouched in new[] { ownStillTraining, ownSlurm, otherHeld, otherSlurm, queued, completed })
        {
            var stored = runs[untouched.Id];
            Assert.True((untouched.Status, untouched.Owner, untouched.LeaseUntil, (string?)null) == (stored.Status, stored.Owner, stored.LeaseUntil, stored.ErrorMessage),
                $"'{untouched.Name}' changed: {stored.Status}, {stored.Owner}, {stored.LeaseUntil}, {stored.ErrorMessage}");
        }
        // The pages hear of each run that ended.
        await Wait.UntilAsync(() => me.Events.OfType<StatusChangedEvent>().Count() == 3, "the notifier did not tell of the three interrupted runs");
        Assert.Equal(interrupted.Order(), me.Events.OfType<StatusChangedEvent>().Where(e => e.Status == RunStatus.Interrupted).Select(e => e.RunId).Order());
    }
}
