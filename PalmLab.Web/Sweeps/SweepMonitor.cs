using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Sweeps;

/// <summary>
/// Follows sweep trials through <see cref="RunNotifier"/>: after each epoch it applies the sweep's median-stopping rule
/// (a losing trial is stopped like a cancel and ends <see cref="RunStatus.Stopped"/> with the reason), and when a
/// sweep's last trial ends it marks the sweep Completed.
/// </summary>
public sealed class SweepMonitor(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    RunNotifier notifier,
    RunService runs,
    TimeProvider time,
    ILogger<SweepMonitor> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.Subscribe(OnEvent);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the trial <paramref name="runId"/> when its metric after <paramref name="epoch"/> is below the median of the
    /// sweep's completed trials at the same epoch; returns the reason, or null when it goes on (or is no sweep trial).
    /// </summary>
    /// <param name="fold">The fold (1-based) of a cross-validated trial; null otherwise. Trials are compared at equal (fold, epoch).</param>
    public async Task<string?> ApplyMedianStoppingAsync(int runId, EpochResult epoch, int? fold, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await db.Runs.Where(r => r.Id == runId && r.SweepId != null)
            .Join(db.Sweeps, r => r.SweepId, s => s.Id, (r, s) => new { Sweep = s, r.Options.Folds }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        // Stopping at the very last epoch (of the last fold) would save nothing and mark a finished trial as stopped.
        if (trial is null || (epoch.Epoch >= epoch.Epochs && (fold ?? 0) >= (trial.Folds ?? 0)))
        {
            return null;
        }
        var sweep = trial.Sweep;
        if (sweep.Stopping is not { } rule || SweepReader.MetricOf(sweep.Metric, epoch.Validation?.Auc, epoch.Validation?.Accuracy) is not { } value)
        {
            return null;
        }
        var completed = await db.EpochMetrics
            .Where(m => m.Epoch == epoch.Epoch && m.Fold == fold
                && db.Runs.Any(r => r.Id == m.RunId && r.SweepId == sweep.Id && r.Status == RunStatus.Completed && r.Id != runId))
            .Select(m => new { m.RunId, m.Auc, m.Accuracy })
            .ToListAsync(cancellationToken);
        var point = new SweepPoint(fold ?? 0, epoch.Epoch);
        var curves = completed
            .Select(m => SweepReader.MetricOf(sweep.Metric, m.Auc, m.Accuracy))
            .OfType<double>()
            .Select(v => (IReadOnlyDictionary<SweepPoint, double>)new Dictionary<SweepPoint, double> { [point] = v })
            .ToList();
        if (!rule.ShouldStop(curves, point, value))
        {
            return null;
        }
        var median = MedianStopping.Median(curves.Select(c => c[point]).ToList());
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"Stopped early: {SweepView.MetricLabelOf(sweep.Metric)} {value:0.###} below the median {median:0.###} of {curves.Count} finished trials at {point}.");
        if (!await runs.StopAsync(runId, reason, cancellationToken))
        {
            return null;
        }
        logger.LogInformation("Run {RunId}, trial of sweep {SweepId}: {Reason}", runId, sweep.Id, reason);
        return reason;
    }

    /// <summary>Marks the sweep of <paramref name="runId"/> Completed when none of its trials is queued or running any more.</summary>
    public async Task CompleteIfDoneAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweepId = await db.Runs.Where(r => r.Id == runId).Select(r => r.SweepId).SingleOrDefaultAsync(cancellationToken);
        if (sweepId is null)
        {
            return;
        }
        var now = time.GetUtcNow();
        var done = await db.Sweeps
            .Where(s => s.Id == sweepId && s.Status == SweepStatus.Running
                && !db.Runs.Any(r => r.SweepId == sweepId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SweepStatus.Completed).SetProperty(x => x.FinishedAt, now), cancellationToken);
        if (done > 0)
        {
            logger.LogInformation("Sweep {SweepId} completed: every trial ended", sweepId);
        }
    }

    private void OnEvent(RunEvent e)
    {
        switch (e)
        {
            // On the training thread, before the next batch: the decision is made on this epoch, and a stop lands before more is trained.
            case EpochCompletedEvent epoch:
                Quietly(() => ApplyMedianStoppingAsync(epoch.RunId, epoch.Epoch, epoch.Fold, CancellationToken.None), epoch.RunId).GetAwaiter().GetResult();
                break;
            case StatusChangedEvent { Status: not (RunStatus.Queued or RunStatus.Running) } status:
                _ = Task.Run(() => Quietly(() => CompleteIfDoneAsync(status.RunId, CancellationToken.None), status.RunId));
                break;
        }
    }

    private async Task Quietly(Func<Task> work, int runId)
    {
        try
        {
            await work();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Following sweep trial {RunId} failed", runId);
        }
    }
}
