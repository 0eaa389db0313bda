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
    ExecutorInstance instance,
    RunPlanner planner,
    RunRecorder recorder,
    RunNotifier notifier,
    LiveRuns liveRuns,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{

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
            var device = TorchRuntime.ResolveDevice(options.Value.Device).type.ToString().ToLowerInvariant();
            var plan = await planner.StartAsync(runId, device, linked.Token);
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
                await recorder.FinishAsync(runId, status, error, owner: instance.Id);
            }
        }
    }

    // The worker claimed the run through RunQueue (Queued -> Running); train it only if it is still Running and ours:
    // something (a cancel, a delete) may have changed it since.
    private async Task<bool> ClaimAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == runId && r.Status == RunStatus.Running && r.Owner == instance.Id, cancellationToken);
    }

    // An ordinary run trains once; a cross-validated one trains its folds one after another, from the fold in progress on.
    private void Train(int runId, RunPlan plan, BatchLossWriter writer, CancellationToken cancellationToken)
    {
        var dir = plan.Folder.Path;
        if (plan.Config.Options.Folds is not { } folds)
        {
            Trainer.Run(plan.Config, dir, Hooks(runId, null, null, 0, writer), plan.ResumeFrom, cancellationToken);
            return;
        }
        CrossValidation.RunFrom(plan.Config, dir, plan.FirstFold, plan.ResumeFrom, fold =>
        {
            writer.FlushAsync(cancellationToken).GetAwaiter().GetResult();
            var offset = StepsBeforeFoldAsync(runId, fold, cancellationToken).GetAwaiter().GetResult();
            var resumes = fold == plan.FirstFold && plan.ResumeFrom is not null;
            logger.LogInformation("Run {RunId} fold {Fold}/{Folds} {Action}", runId, fold, folds, resumes ? "continues from its last checkpoint" : "started");
            return Hooks(runId, fold, folds, offset, writer);
        }, cancellationToken);
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
        return await RunPlanner.StepsBeforeFoldAsync(db, runId, fold, cancellationToken);
    }

    private async Task RecordEpochAsync(int runId, int? fold, int? folds, EpochResult result, BatchLossWriter writer)
    {
        await writer.FlushAsync(CancellationToken.None);
        await using var db = await dbFactory.CreateDbContextAsync();
        await recorder.AddEpochAsync(db, runId, fold, result, CancellationToken.None);
        await db.SaveChangesAsync();
        await recorder.EpochRecordedAsync(runId, fold, folds, result);
    }
}
