using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>Trains one run with the engine and records everything it reports.</summary>
public sealed class RunExecutor(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    RunNotifier notifier,
    LiveRuns liveRuns,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    public static string CheckpointDir(PalmLabOptions options, int runId) => Path.GetFullPath(Path.Combine(options.CheckpointsDir, $"run-{runId}"));

    /// <summary>
    /// Runs the training to its end. A cancelled <paramref name="shutdown"/> token (the host stopping) leaves the run
    /// Interrupted, to be resumed; the user's cancel leaves it Cancelled; a bad input leaves it Failed with the reason.
    /// </summary>
    public async Task ExecuteAsync(int runId, CancellationToken shutdown)
    {
        using var userCancel = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, userCancel.Token);
        await using var writer = new BatchLossWriter(dbFactory, runId, time, logger);
        liveRuns.Add(runId, new LiveRun(userCancel, writer));
        var claimed = false;
        var (status, error) = (RunStatus.Failed, (string?)"The run stopped before it finished.");
        try
        {
            claimed = await ClaimAsync(runId, linked.Token);
            if (!claimed)
            {
                return; // cancelled (or deleted) while it was being picked up
            }
            var (trainingConfig, resumeFrom) = await StartAsync(runId, linked.Token);
            var hooks = new TrainingHooks(
                Batch: b =>
                {
                    var point = new BatchPoint(b.GlobalStep, b.Epoch, b.Loss, b.LearningRate);
                    writer.Add(point);
                    notifier.BatchCompleted(runId, point);
                },
                Epoch: e => RecordEpochAsync(runId, e, writer).GetAwaiter().GetResult());
            await Task.Factory.StartNew(
                () => Trainer.Run(trainingConfig, CheckpointDir(options.Value, runId), hooks, resumeFrom, linked.Token),
                linked.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            (status, error) = (RunStatus.Completed, null);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            (status, error) = (RunStatus.Interrupted, "PalmLab stopped while this run was training; resume it to continue from its last checkpoint.");
        }
        catch (OperationCanceledException)
        {
            // A sweep's losing trial is cancelled like a user cancel, but ends Stopped with its reason.
            (status, error) = liveRuns.StopReason(runId) is { } reason ? (RunStatus.Stopped, reason) : (RunStatus.Cancelled, null);
        }
        catch (PalmLabException e)
        {
            error = e.Message;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            error = $"Unexpected error: {e.Message}";
        }
        finally
        {
            // Write the last points before the run leaves LiveRuns, so a reader never misses them; then record the end,
            // whatever the database says, so no run stays Running while nothing trains it.
            if (claimed)
            {
                await writer.FlushQuietlyAsync(CancellationToken.None);
            }
            liveRuns.Remove(runId);
            if (claimed)
            {
                await FinishAsync(runId, status, error);
            }
        }
    }

    // Takes the run only if it is still queued: a cancel or a delete may have won the race.
    private async Task<bool> ClaimAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Running), cancellationToken) > 0;
    }

    private async Task<(TrainingConfig, string?)> StartAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Include(r => r.DataSet).SingleAsync(r => r.Id == runId, cancellationToken);
        var dataSet = run.DataSet!;
        if (!Directory.Exists(dataSet.TrainDir))
        {
            throw new PalmLabException($"Data set '{dataSet.Name}' is gone: its training folder {dataSet.TrainDir} does not exist.");
        }
        var o = options.Value;
        var device = TorchRuntime.ResolveDevice(o.Device);
        var config = RunMapping.ToConfig(run, dataSet, o.Device, o.Threads);
        var last = Path.Combine(CheckpointDir(o, runId), Trainer.LastCheckpointName);
        string? resumeFrom = null;
        if (run.ResumeRequested && File.Exists(last))
        {
            resumeFrom = last;
            await TrimToCheckpointAsync(db, run, Checkpoint.ReadHeader(last), cancellationToken);
        }
        else
        {
            // A fresh start (or a resume without a checkpoint) replaces whatever an earlier attempt left.
            await db.BatchLosses.Where(b => b.RunId == runId).ExecuteDeleteAsync(cancellationToken);
            await db.EpochMetrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        }
        run.Status = RunStatus.Running;
        run.Device = device.type.ToString().ToLowerInvariant();
        run.StartedAt ??= time.GetUtcNow();
        run.FinishedAt = null;
        run.ErrorMessage = null;
        run.ResumeRequested = false;
        await db.SaveChangesAsync(cancellationToken);
        await notifier.StatusChangedAsync(runId, RunStatus.Running, null);
        logger.LogInformation("Run {RunId} started on {Device}{Resume}", runId, run.Device, resumeFrom is null ? "" : " from its last checkpoint");
        return (config, resumeFrom);
    }

    // Steps and epochs after the checkpoint will be trained again; the checkpoint's own epoch is restored from its header
    // in case the process died between writing the checkpoint and recording the epoch.
    private static async Task TrimToCheckpointAsync(PalmLabDbContext db, Run run, CheckpointHeader header, CancellationToken cancellationToken)
    {
        await db.BatchLosses.Where(b => b.RunId == run.Id && b.Step > header.GlobalStep).ExecuteDeleteAsync(cancellationToken);
        await db.EpochMetrics.Where(m => m.RunId == run.Id && m.Epoch > header.Epoch).ExecuteDeleteAsync(cancellationToken);
        if (header.Result is { } result && !await db.EpochMetrics.AnyAsync(m => m.RunId == run.Id && m.Epoch == header.Epoch, cancellationToken))
        {
            db.EpochMetrics.Add(EpochMetric.From(run.Id, result));
        }
    }

    private async Task RecordEpochAsync(int runId, EpochResult result, BatchLossWriter writer)
    {
        await writer.FlushAsync(CancellationToken.None);
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync();
        var metric = EpochMetric.From(runId, result);
        db.EpochMetrics.Add(metric);
        await UpsertCheckpointAsync(db, runId, CheckpointKind.Last, Path.Combine(CheckpointDir(o, runId), Trainer.LastCheckpointName), result.Epoch);
        if (result.IsBest)
        {
            await UpsertCheckpointAsync(db, runId, CheckpointKind.Best, Path.Combine(CheckpointDir(o, runId), Trainer.BestCheckpointName), result.Epoch);
        }
        await db.SaveChangesAsync();
        if (result.Validation is { } v)
        {
            logger.LogInformation("Run {RunId} epoch {Epoch}/{Epochs}: loss {TrainLoss:0.0000}, validation loss {ValidationLoss:0.0000}, accuracy {Accuracy:0.000}, AUC {Auc:0.000}",
                runId, result.Epoch, result.Epochs, result.TrainLoss, result.ValidationLoss, v.Accuracy, v.Auc);
        }
        else
        {
            logger.LogInformation("Run {RunId} epoch {Epoch}/{Epochs}: loss {TrainLoss:0.0000} (no validation data)", runId, result.Epoch, result.Epochs, result.TrainLoss);
        }
        await notifier.EpochCompletedAsync(runId, result);
    }

    private async Task UpsertCheckpointAsync(PalmLabDbContext db, int runId, CheckpointKind kind, string path, int epoch)
    {
        var row = await db.Checkpoints.SingleOrDefaultAsync(c => c.RunId == runId && c.Kind == kind);
        if (row is null)
        {
            row = new RunCheckpoint { RunId = runId, Kind = kind, Path = path };
            db.Checkpoints.Add(row);
        }
        row.Epoch = epoch;
        row.Path = path;
        row.SizeBytes = new FileInfo(path).Length;
        row.CreatedAt = time.GetUtcNow();
    }

    private async Task FinishAsync(int runId, RunStatus status, string? error)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId);
            if (run is null)
            {
                return;
            }
            run.Status = status;
            run.ErrorMessage = error;
            run.FinishedAt = time.GetUtcNow();
            await db.SaveChangesAsync();
        }
        catch (Exception e)
        {
            // The next start turns a run left Running into Interrupted, so nothing is lost for good.
            logger.LogError(e, "Recording the end ({Status}) of run {RunId} failed", status, runId);
            return;
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
    }
}
