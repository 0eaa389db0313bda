using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Executors;
using PalmLab.Web.Options;
using PalmLab.Web.Slurm;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Runs;

/// <summary>What a user can do to runs: queue, cancel, resume, clone and delete. Shared by the API and the pages.</summary>
public sealed class RunService(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    LiveRuns liveRuns,
    RunSignal signal,
    RunNotifier notifier,
    IRunExecutor executor,
    TimeProvider time,
    ILogger<RunService> logger)
{
    public async Task<(Run? Run, Dictionary<string, string[]> Errors)> QueueAsync(RunRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataSet = request.DataSetId is { } id ? await db.DataSets.FindAsync([id], cancellationToken)
            : request.DataSet is { } name ? await db.DataSets.SingleOrDefaultAsync(d => d.Name == name, cancellationToken)
            : null;
        // A preset that is not built in may be one saved from a sweep; an unknown name is reported by FromRequest.
        var saved = request.Preset is { } preset && !TrainingPresets.All.ContainsKey(preset)
            ? (await PresetLookup.FindAsync(db, preset, cancellationToken)).Options
            : null;
        var (run, errors) = RunMapping.FromRequest(request, dataSet, time.GetUtcNow(), saved, options.Value.BackbonesDir);
        if (run is null)
        {
            return (null, errors);
        }
        if (options.Value.Executor == RunExecutors.Slurm)
        {
            // The run says from the start where it will train and what its job asks for, the settings' defaults filled in.
            run.Executor = RunExecutors.Slurm;
            run.Slurm = run.Slurm.Over(options.Value.Slurm);
        }
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Run {RunId} queued: {Name} (ResNet-{Depth}, {ImageSize} px, data set {DataSet})",
            run.Id, LogText.Of(run.Name), run.Options.Depth, run.Options.ImageSize, dataSet?.Name);
        await notifier.StatusChangedAsync(run.Id, RunStatus.Queued, null);
        signal.Wake();
        return (run, errors);
    }

    /// <summary>Cancels a queued run at once, or a running one before its next batch. Null when the run does not exist.</summary>
    public async Task<RunActionResult> CancelAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Under the worker's claim gate: a run it has claimed is registered live before this looks, so a cancel finds
        // either a queued run (and wins against the claim) or a live one, never a claimed run that is not live yet.
        using (await liveRuns.HoldClaimsAsync(cancellationToken))
        {
            if (await RunLifecycle.CancelQueuedAsync(db, runId, time.GetUtcNow(), cancellationToken))
            {
                logger.LogInformation("Run {RunId} cancelled before it started", runId);
                await notifier.StatusChangedAsync(runId, RunStatus.Cancelled, null);
                return RunActionResult.Done;
            }
            // The executor ends the run and stops its training process; NotFound when it does not train it.
            var ended = await executor.EndAsync(runId, RunStatus.Cancelled, null, cancellationToken);
            if (ended != RunActionResult.NotFound)
            {
                logger.LogInformation("Run {RunId} cancel requested", runId);
                return ended;
            }
        }
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        return status is null ? RunActionResult.NotFound : RunActionResult.Conflict($"Run {runId} is {status}, not queued or running.");
    }

    /// <summary>
    /// Stops a losing sweep trial (its executor stops its training process): it ends Stopped with
    /// <paramref name="reason"/>. False when it is not training any more.
    /// </summary>
    public async Task<bool> StopAsync(int runId, string reason, CancellationToken cancellationToken) =>
        await executor.EndAsync(runId, RunStatus.Stopped, reason, cancellationToken) == RunActionResult.Done;

    /// <summary>Queues an interrupted, cancelled or failed run to continue from its last checkpoint.</summary>
    public async Task<RunActionResult> ResumeAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return RunActionResult.NotFound;
        }
        if (!RunLifecycle.Resumable.Contains(run.Status))
        {
            return RunActionResult.Conflict($"Run {runId} is {run.Status}; only interrupted, cancelled or failed runs can be resumed.");
        }
        // A cross-validated run can be resumed once its first fold has a checkpoint; later folds may start afresh.
        var files = RunFolder.Of(options.Value, run);
        var last = files.LastCheckpoint(run.Options.Folds is null ? null : 1);
        if (!File.Exists(last))
        {
            return RunActionResult.Conflict($"Run {runId} has no checkpoint to resume from (it stopped during its first epoch); clone it instead.");
        }
        try
        {
            Trainer.EnsureResumable(Checkpoint.ReadHeader(last).Config.Options, run.Options, $"Run {runId}'s checkpoint");
        }
        catch (PalmLabException e)
        {
            return RunActionResult.Conflict(e.Message + " Clone the run to train it afresh.");
        }
        if (!files.IsClaimed || !files.IsOwnCheckpoint(last))
        {
            return RunActionResult.Conflict($"Run {runId}'s checkpoint folder holds another run's checkpoints (an earlier database's run {runId}, say), so it cannot resume from them; clone it to train afresh.");
        }
        // One conditional statement: of concurrent resumes (a double click), exactly one wins; the others are refused.
        if (!await RunLifecycle.ResumeAsync(db, runId, cancellationToken))
        {
            var now = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
            return now is { } current
                ? RunActionResult.Conflict($"Run {runId} was resumed or changed by another request a moment ago; it is {current} now.")
                : RunActionResult.NotFound;
        }
        logger.LogInformation("Run {RunId} queued to resume from its last checkpoint", runId);
        await notifier.StatusChangedAsync(runId, RunStatus.Queued, null);
        signal.Wake();
        return RunActionResult.Done;
    }

    public async Task<Run?> CloneAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.Runs.FindAsync([runId], cancellationToken);
        if (source is null)
        {
            return null;
        }
        var clone = RunMapping.Clone(source, time.GetUtcNow());
        db.Runs.Add(clone);
        await db.SaveChangesAsync(cancellationToken);
        await db.Entry(clone).Reference(r => r.DataSet).LoadAsync(cancellationToken);
        logger.LogInformation("Run {RunId} queued as a clone of run {SourceId}", clone.Id, runId);
        await notifier.StatusChangedAsync(clone.Id, RunStatus.Queued, null);
        signal.Wake();
        return clone;
    }

    /// <summary>
    /// Renames a run and replaces its notes and tags (any run, even one training), with the limits a queued run has.
    /// Nothing is saved when any field is refused.
    /// </summary>
    public async Task<RunDetailsResult> UpdateDetailsAsync(int runId, RunDetailsUpdate update, CancellationToken cancellationToken)
    {
        var errors = RunMapping.CheckMetadata(update.Name, update.Notes, update.Tags).ToList();
        if (update.Name is not null && string.IsNullOrWhiteSpace(update.Name))
        {
            errors.Add(("name", "must not be empty"));
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Include(r => r.DataSet).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return RunDetailsResult.NotFound;
        }
        if (errors.Count > 0)
        {
            return new RunDetailsResult(true, null, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        if (update.Name is { } name) run.Name = name.Trim();
        if (update.Notes is { } notes) run.Notes = string.IsNullOrWhiteSpace(notes) ? null : notes;
        if (update.Tags is { } tags) run.Tags = RunMapping.NormalizeTags(tags);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Run {RunId} details updated", runId);
        return new RunDetailsResult(true, run, []);
    }

    /// <summary>Deletes a run that is not running: its rows and its checkpoint files.</summary>
    public async Task<RunActionResult> DeleteAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var uid = await db.Runs.Where(r => r.Id == runId).Select(r => (Guid?)r.Uid).SingleOrDefaultAsync(cancellationToken);
        // Conditional, so a run the worker claims in the meantime is never deleted under it.
        var deleted = await RunLifecycle.DeleteAsync(db, runId, cancellationToken);
        if (!deleted)
        {
            return await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken)
                ? RunActionResult.Conflict($"Run {runId} is running; cancel it first.")
                : RunActionResult.NotFound;
        }
        // Its checkpoints, and (a Slurm run's) its job's script, token and output; only a folder provably its own: a
        // folder of the same name from another run (another database) stays.
        foreach (var folder in uid is { } owner ? new RunFolder(options.Value, runId, owner).DeleteOwnFolders() : [])
        {
            logger.LogWarning("Run {RunId} deleted; the folder {Folder} was left, as it belongs to another run", runId, folder);
        }
        logger.LogInformation("Run {RunId} deleted", runId);
        return RunActionResult.Done;
    }
}
