using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// Ends the running runs that nothing trains any more, without touching another live dashboard's: at start-up this
/// dashboard's own (<see cref="ExecutorInstance"/>) that it no longer trains, and, at start-up and then periodically
/// (<see cref="RunLeases"/>), other dashboards' whose lease has passed. Slurm runs are never ended here: their jobs train
/// on the cluster whatever happens to the dashboard that submitted them, and the Slurm monitor follows them.
/// </summary>
public sealed class RunRecovery(IDbContextFactory<PalmLabDbContext> dbFactory, ExecutorInstance instance, RunNotifier notifier, TimeProvider time,
    ILogger<RunRecovery> logger)
{
    /// <summary>Why this dashboard's own run is Interrupted after its restart.</summary>
    public const string OwnRunReason = "PalmLab stopped while this run was training; resume it to continue from its last checkpoint.";

    /// <summary>Why another dashboard's run is Interrupted once its lease has passed.</summary>
    public static string ExpiredReason(string? owner) =>
        $"The dashboard training this run ({owner ?? "an earlier PalmLab"}) stopped renewing it, so nothing trains it any more; resume it to continue from its last checkpoint.";

    /// <summary>
    /// At start-up: this dashboard's running local runs, except <paramref name="stillTraining"/> (those whose training
    /// process outlived the dashboard and reports again), become Interrupted; so do other dashboards' running local runs
    /// whose lease has passed. Every other run is left as it is. Returns the ids interrupted.
    /// </summary>
    public async Task<IReadOnlyList<int>> RecoverAsync(IReadOnlyCollection<int> stillTraining, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var own = await RunLifecycle.InterruptOwnedAsync(db, instance.Id, stillTraining, OwnRunReason, time.GetUtcNow(), cancellationToken);
        if (own.Count > 0)
        {
            logger.LogWarning("{Count} run(s) were training when this PalmLab ({Instance}) last stopped; they are now Interrupted: {RunIds}",
                own.Count, instance.Id, own);
        }
        await NotifyAsync(own, OwnRunReason);
        var expired = await InterruptExpiredAsync(db, unleasedToo: true, cancellationToken);
        return [.. own, .. expired];
    }

    /// <summary>
    /// Other dashboards' running local runs whose lease has passed become Interrupted. Returns their ids. A run without a
    /// lease (claimed before leases existed) is left to the next start-up, as before leases.
    /// </summary>
    public async Task<IReadOnlyList<int>> InterruptExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await InterruptExpiredAsync(db, unleasedToo: false, cancellationToken);
    }

    private async Task<IReadOnlyList<int>> InterruptExpiredAsync(PalmLabDbContext db, bool unleasedToo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lost = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Local && r.Owner != instance.Id
                && ((r.LeaseUntil == null && unleasedToo) || r.LeaseUntil < now))
            .Select(r => new { r.Id, r.Owner })
            .ToListAsync(cancellationToken);
        var interrupted = new List<int>();
        // One owner at a time, so each run's message names its own dashboard.
        foreach (var owner in lost.GroupBy(r => r.Owner))
        {
            var reason = ExpiredReason(owner.Key);
            var ids = await RunLifecycle.InterruptExpiredAsync(db, instance.Id, owner.Key, unleasedToo, reason, now, cancellationToken);
            if (ids.Count > 0)
            {
                logger.LogWarning("{Count} run(s) of PalmLab {Owner} lost their lease (it stopped renewing them); they are now Interrupted: {RunIds}",
                    ids.Count, owner.Key, ids);
            }
            await NotifyAsync(ids, reason);
            interrupted.AddRange(ids);
        }
        return interrupted;
    }

    private async Task NotifyAsync(IReadOnlyList<int> runIds, string reason)
    {
        foreach (var runId in runIds)
        {
            await notifier.StatusChangedAsync(runId, RunStatus.Interrupted, reason);
        }
    }
}
