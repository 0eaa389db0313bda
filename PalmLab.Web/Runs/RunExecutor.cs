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
            var plan = await StartAsync(runId, linked.Token);
            await Task.Factory.StartNew(() => Train(runId, plan, writer, linked.Token), linked.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    // The worker claimed the run through RunQueue (Queued -> Running); train it only if it is still Running: something
    // (another PalmLab's start-up marking it Interrupted, say) may have changed or deleted it since.
    private async Task<bool> ClaimAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == runId && r.Status == RunStatus.Running, cancellationToken);
    }

    // An ordinary run trains once; a cross-validated one trains its folds one after another, from the fold in progress on.
    private void Train(int runId, RunPlan plan, BatchLossWriter writer, CancellationToken cancellationToken)
    {
        var dir = CheckpointDir(options.Value, runId);
        if (plan.Config.Options.Folds is not { } folds)
        {
            Trainer.Run(plan.Config, dir, Hooks(runId, null, null, 0, writer), plan.ResumeFrom, cancellationToken);
            return;
        }
        CrossValidation.EnsureFoldsFit(plan.Config, cancellationToken);
        for (var fold = plan.FirstFold; fold <= folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.FlushAsync(cancellationToken).GetAwaiter().GetResult();
            var offset = StepsBeforeFoldAsync(runId, fold, cancellationToken).GetAwaiter().GetResult();
            var resumeFrom = fold == plan.FirstFold ? plan.ResumeFrom : null;
            logger.LogInformation("Run {RunId} fold {Fold}/{Folds} {Action}", runId, fold, folds, resumeFrom is null ? "started" : "continues from its last checkpoint");
            CrossValidation.RunFold(plan.Config, dir, fold, Hooks(runId, fold, folds, offset, writer), resumeFrom, cancellationToken);
        }
    }

    // A fold's steps follow the previous fold's last step, so the run's loss curve is one line.
    private TrainingHooks Hooks(int runId, int? fold, int? folds, long stepOffset, BatchLossWriter writer) => new(
        Batch: b =>
        {
            var point = new BatchPoint(stepOffset + b.GlobalStep, b.Epoch, b.Loss, b.LearningRate, fold);
            writer.Add(point);
            notifier.BatchCompleted(runId, point);
        },
        Epoch: e => RecordEpochAsync(runId, fold, folds, e, writer).GetAwaiter().GetResult());

    private async Task<long> StepsBeforeFoldAsync(int runId, int fold, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await StepsBeforeFoldAsync(db, runId, fold, cancellationToken);
    }

    private static async Task<long> StepsBeforeFoldAsync(PalmLabDbContext db, int runId, int fold, CancellationToken cancellationToken) =>
        await db.BatchLosses.Where(b => b.RunId == runId && b.Fold < fold).MaxAsync(b => (long?)b.Step, cancellationToken) ?? 0;

    private async Task<RunPlan> StartAsync(int runId, CancellationToken cancellationToken)
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
        var plan = new RunPlan(config, null, 1);
        if (run.ResumeRequested)
        {
            plan = FindResumePoint(config, CheckpointDir(o, runId));
            await TrimToResumePointAsync(db, run, plan, CheckpointDir(o, runId), cancellationToken);
        }
        if (plan.ResumeFrom is null && plan.FirstFold == 1)
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
        logger.LogInformation("Run {RunId} started on {Device}{Resume}", runId, run.Device,
            plan.ResumeFrom is not null ? " from its last checkpoint" : plan.FirstFold > 1 ? $" at fold {plan.FirstFold}" : "");
        return plan;
    }

    // An ordinary run continues from its last.ckpt. A cross-validated one skips the folds whose last.ckpt holds the final
    // epoch and continues the first other fold from its last.ckpt (or from its start when it has none).
    private static RunPlan FindResumePoint(TrainingConfig config, string dir)
    {
        if (config.Options.Folds is not { } folds)
        {
            var last = Path.Combine(dir, Trainer.LastCheckpointName);
            return new RunPlan(config, File.Exists(last) ? last : null, 1);
        }
        for (var fold = 1; fold <= folds; fold++)
        {
            var last = Path.Combine(CrossValidation.FoldFolder(dir, fold), Trainer.LastCheckpointName);
            if (!File.Exists(last))
            {
                return new RunPlan(config, null, fold);
            }
            if (Checkpoint.ReadHeader(last).Epoch < config.Options.Epochs)
            {
                return new RunPlan(config, last, fold);
            }
        }
        return new RunPlan(config, null, folds + 1);
    }

    // Steps and epochs after the resume point will be trained again; the checkpoint's own epoch (and each finished fold's
    // last epoch) is restored from its header in case the process died between writing the checkpoint and recording it.
    private static async Task TrimToResumePointAsync(PalmLabDbContext db, Run run, RunPlan plan, string dir, CancellationToken cancellationToken)
    {
        if (run.Options.Folds is null)
        {
            if (plan.ResumeFrom is not null)
            {
                await TrimFoldAsync(db, run.Id, null, 0, Checkpoint.ReadHeader(plan.ResumeFrom), cancellationToken);
            }
            return;
        }
        var fold = plan.FirstFold;
        await db.BatchLosses.Where(b => b.RunId == run.Id && b.Fold > fold).ExecuteDeleteAsync(cancellationToken);
        await db.EpochMetrics.Where(m => m.RunId == run.Id && m.Fold > fold).ExecuteDeleteAsync(cancellationToken);
        await db.Checkpoints.Where(c => c.RunId == run.Id && c.Fold > fold).ExecuteDeleteAsync(cancellationToken);
        var offset = await StepsBeforeFoldAsync(db, run.Id, fold, cancellationToken);
        if (plan.ResumeFrom is not null)
        {
            await TrimFoldAsync(db, run.Id, fold, offset, Checkpoint.ReadHeader(plan.ResumeFrom), cancellationToken);
        }
        else
        {
            await db.BatchLosses.Where(b => b.RunId == run.Id && b.Fold == fold).ExecuteDeleteAsync(cancellationToken);
            await db.EpochMetrics.Where(m => m.RunId == run.Id && m.Fold == fold).ExecuteDeleteAsync(cancellationToken);
        }
        for (var finished = 1; finished < fold; finished++)
        {
            var last = Path.Combine(CrossValidation.FoldFolder(dir, finished), Trainer.LastCheckpointName);
            await RestoreEpochAsync(db, run.Id, finished, Checkpoint.ReadHeader(last), cancellationToken);
        }
    }

    private static async Task TrimFoldAsync(PalmLabDbContext db, int runId, int? fold, long offset, CheckpointHeader header, CancellationToken cancellationToken)
    {
        var lastStep = offset + header.GlobalStep;
        await db.BatchLosses.Where(b => b.RunId == runId && b.Fold == fold && b.Step > lastStep).ExecuteDeleteAsync(cancellationToken);
        await db.EpochMetrics.Where(m => m.RunId == runId && m.Fold == fold && m.Epoch > header.Epoch).ExecuteDeleteAsync(cancellationToken);
        await RestoreEpochAsync(db, runId, fold, header, cancellationToken);
    }

    private static async Task RestoreEpochAsync(PalmLabDbContext db, int runId, int? fold, CheckpointHeader header, CancellationToken cancellationToken)
    {
        if (header.Result is { } result && !await db.EpochMetrics.AnyAsync(m => m.RunId == runId && m.Fold == fold && m.Epoch == header.Epoch, cancellationToken))
        {
            db.EpochMetrics.Add(EpochMetric.From(runId, result, fold));
        }
    }

    private async Task RecordEpochAsync(int runId, int? fold, int? folds, EpochResult result, BatchLossWriter writer)
    {
        await writer.FlushAsync(CancellationToken.None);
        var dir = CheckpointDir(options.Value, runId);
        var folder = fold is { } f ? CrossValidation.FoldFolder(dir, f) : dir;
        await using var db = await dbFactory.CreateDbContextAsync();
        db.EpochMetrics.Add(EpochMetric.From(runId, result, fold));
        await UpsertCheckpointAsync(db, runId, fold, CheckpointKind.Last, Path.Combine(folder, Trainer.LastCheckpointName), result.Epoch);
        if (result.IsBest)
        {
            await UpsertCheckpointAsync(db, runId, fold, CheckpointKind.Best, Path.Combine(folder, Trainer.BestCheckpointName), result.Epoch);
        }
        await db.SaveChangesAsync();
        LogEpoch(runId, fold, folds, result);
        await notifier.EpochCompletedAsync(runId, result, fold);
    }

    private void LogEpoch(int runId, int? fold, int? folds, EpochResult result)
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
    }

    private async Task UpsertCheckpointAsync(PalmLabDbContext db, int runId, int? fold, CheckpointKind kind, string path, int epoch)
    {
        var row = await db.Checkpoints.SingleOrDefaultAsync(c => c.RunId == runId && c.Fold == fold && c.Kind == kind);
        if (row is null)
        {
            row = new RunCheckpoint { RunId = runId, Fold = fold, Kind = kind, Path = path };
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
