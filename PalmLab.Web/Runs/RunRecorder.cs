using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Records what a training reports, the same way whether it trains in this process or as a job on a cluster node:
/// epochs with their checkpoints, and the run's end; and tells the pages and the hub.
/// </summary>
public sealed class RunRecorder(IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, RunNotifier notifier, TimeProvider time, ILogger<RunRecorder> logger)
{
    /// <summary>
    /// Adds an epoch's row and its checkpoints' rows (none when its checkpoint could not be written) to
    /// <paramref name="db"/> (saved by the caller, then <see cref="EpochRecordedAsync"/>).
    /// </summary>
    public async Task AddEpochAsync(PalmLabDbContext db, int runId, int? fold, EpochResult result, CancellationToken cancellationToken)
    {
        var files = await RunFolder.FindAsync(db, options.Value, runId, cancellationToken) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        db.EpochMetrics.Add(EpochMetric.From(runId, result, fold));
        if (result.CheckpointFailed)
        {
            return; // the checkpoints on record stay those of the epoch before, which are still on disk
        }
        await UpsertCheckpointAsync(db, runId, fold, CheckpointKind.Last, files.LastCheckpoint(fold), result.Epoch, cancellationToken);
        if (result.IsBest)
        {
            await UpsertCheckpointAsync(db, runId, fold, CheckpointKind.Best, files.BestCheckpoint(fold), result.Epoch, cancellationToken);
        }
    }

    /// <summary>Logs a recorded epoch and pushes it to the pages and the hub.</summary>
    public async Task EpochRecordedAsync(int runId, int? fold, int? folds, EpochResult result)
    {
        // "Run 7 epoch 3/10: ..." or "Run 7 fold 2/5 epoch 3/10: ..."
        var run = fold is null ? $"Run {runId}" : $"Run {runId} fold {fold}/{folds}";
        if (result.Validation is { } v)
        {
            logger.LogInformation("{Run} epoch {Epoch}/{Epochs}: loss {TrainLoss:0.0000}, validation loss {ValidationLoss:0.0000}, accuracy {Accuracy:0.000}, AUC {Auc:0.000}",
                run, result.Epoch, result.Epochs, result.TrainLoss, result.ValidationLoss, v.Accuracy, v.Auc);
        }
        else
        {
            logger.LogInformation("{Run} epoch {Epoch}/{Epochs}: loss {TrainLoss:0.0000} (no validation data)", run, result.Epoch, result.Epochs, result.TrainLoss);
        }
        await notifier.EpochCompletedAsync(runId, result, fold);
    }

    private async Task UpsertCheckpointAsync(PalmLabDbContext db, int runId, int? fold, CheckpointKind kind, string path, int epoch, CancellationToken cancellationToken)
    {
        var row = await db.Checkpoints.SingleOrDefaultAsync(c => c.RunId == runId && c.Fold == fold && c.Kind == kind, cancellationToken);
        if (row is null)
        {
            row = new RunCheckpoint { RunId = runId, Fold = fold, Kind = kind, Path = path };
            db.Checkpoints.Add(row);
        }
        row.Epoch = epoch;
        row.Path = path;
        row.SizeBytes = File.Exists(path) ? new FileInfo(path).Length : 0;
        row.CreatedAt = time.GetUtcNow();
    }

    /// <summary>
    /// Records the run's end while it is Running (<see cref="RunLifecycle.EndAsync"/>), whatever else fails, so no run
    /// stays Running while nothing trains it. With <paramref name="jobId"/>, only while that Slurm job is still the run's:
    /// a run resumed in a new job is not ended by news of its old one. With <paramref name="owner"/>, only while that
    /// dashboard owns it: a run that lost its lease and was resumed elsewhere is not ended by its old trainer. False when
    /// the run had already ended.
    /// </summary>
    public async Task<bool> FinishAsync(int runId, RunStatus status, string? error, string? jobId = null, string? owner = null)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            // One conditional statement: of two reporters of an end (a job and the Slurm monitor), only the first counts.
            var updated = await RunLifecycle.EndAsync(db, runId, status, error, time.GetUtcNow(), jobId, CancellationToken.None, owner);
            if (!updated)
            {
                return false;
            }
        }
        catch (Exception e)
        {
            // The next start turns a run left Running into Interrupted, so nothing is lost for good.
            logger.LogError(e, "Recording the end ({Status}) of run {RunId} failed", status, runId);
            return false;
        }
        if (error is null)
        {
            logger.LogInformation("Run {RunId} ended {Status}", runId, status);
        }
        else
        {
            logger.LogInformation("Run {RunId} ended {Status}: {Reason}", runId, status, error);
        }
        await notifier.StatusChangedAsync(runId, status, error);
        return true;
    }
}
