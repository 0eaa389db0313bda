using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Where a claimed run starts, for every executor: afresh, or (when resumed) from its last checkpoint, with the rows
/// recorded after that point removed so nothing is counted twice.
/// </summary>
public sealed class RunPlanner(IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, ExecutorInstance instance, RunNotifier notifier,
    TimeProvider time, ILogger<RunPlanner> logger)
{
    /// <summary>Records that the claimed (Running) run trains on <paramref name="device"/> and returns its plan.</summary>
    /// <exception cref="PalmLabException">Its data set's folder is gone.</exception>
    public async Task<RunPlan> StartAsync(int runId, string device, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Include(r => r.DataSet).SingleAsync(r => r.Id == runId, cancellationToken);
        var dataSet = run.DataSet!;
        if (!Directory.Exists(dataSet.TrainDir))
        {
            throw new PalmLabException($"Data set '{dataSet.Name}' is gone: its training folder {dataSet.TrainDir} does not exist.");
        }
        var o = options.Value;
        var config = RunMapping.ToConfig(run, dataSet, o.Device, o.Threads, o.BackbonesDir);
        var folder = RunFolder.Of(o, run);
        var plan = new RunPlan(config, null, 1, folder);
        // Its folder must be its own before it reads or writes there: a foreign one is moved aside, never trained on.
        if (folder.Claim() is { } movedTo)
        {
            logger.LogWarning("Run {RunId}'s checkpoint folder held another run's files; they were moved to {MovedTo}", runId, movedTo);
        }
        if (run.ResumeRequested)
        {
            plan = FindResumePoint(config, folder);
            await TrimToResumePointAsync(db, run, plan, cancellationToken);
        }
        if (plan.ResumeFrom is null && plan.FirstFold == 1)
        {
            // A fresh start (or a resume without a checkpoint) replaces whatever an earlier attempt left.
            await db.BatchLosses.Where(b => b.RunId == runId).ExecuteDeleteAsync(cancellationToken);
            await db.EpochMetrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        // Claimed Running by the worker; only where it trains is recorded here, and only while it is still Running and ours.
        if (!await RunLifecycle.StartedAsync(db, runId, instance.Id, o.Executor, device, time.GetUtcNow(), cancellationToken))
        {
            throw new PalmLabException($"Run {runId} was changed by another PalmLab while it was starting, so it does not train here.");
        }
        await notifier.StatusChangedAsync(runId, RunStatus.Running, null);
        logger.LogInformation("Run {RunId} started on {Device}{Resume}", runId, device,
            plan.ResumeFrom is not null ? " from its last checkpoint" : plan.FirstFold > 1 ? $" at fold {plan.FirstFold}" : "");
        return plan;
    }

    /// <summary>
    /// An ordinary run continues from its last.ckpt. A cross-validated one skips the folds whose last.ckpt holds the
    /// final epoch and continues the first other fold from its last.ckpt (or from its start when it has none).
    /// </summary>
    /// <exception cref="PalmLabException">A checkpoint there is not provably the run's own: it is never resumed from (nor its numbers taken).</exception>
    public static RunPlan FindResumePoint(TrainingConfig config, RunFolder folder)
    {
        if (config.Options.Folds is not { } folds)
        {
            var last = folder.LastCheckpoint();
            return new RunPlan(config, File.Exists(last) ? folder.EnsureOwnCheckpoint(last) : null, 1, folder);
        }
        for (var fold = 1; fold <= folds; fold++)
        {
            var last = folder.LastCheckpoint(fold);
            if (!File.Exists(last))
            {
                return new RunPlan(config, null, fold, folder);
            }
            if (Checkpoint.ReadHeader(folder.EnsureOwnCheckpoint(last)).Epoch < config.Options.Epochs)
            {
                return new RunPlan(config, last, fold, folder);
            }
        }
        return new RunPlan(config, null, folds + 1, folder);
    }

    /// <summary>The last step recorded for the folds before <paramref name="fold"/>: a fold's steps follow on, so the run's loss curve is one line.</summary>
    public static async Task<long> StepsBeforeFoldAsync(PalmLabDbContext db, int runId, int fold, CancellationToken cancellationToken) =>
        await db.BatchLosses.Where(b => b.RunId == runId && b.Fold < fold).MaxAsync(b => (long?)b.Step, cancellationToken) ?? 0;

    // Steps and epochs after the resume point will be trained again; the checkpoint's own epoch (and each finished fold's
    // last epoch) is restored from its header in case the process died between writing the checkpoint and recording it.
    private static async Task TrimToResumePointAsync(PalmLabDbContext db, Run run, RunPlan plan, CancellationToken cancellationToken)
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
            await RestoreEpochAsync(db, run.Id, finished, Checkpoint.ReadHeader(plan.Folder.LastCheckpoint(finished)), cancellationToken);
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
}
