using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// The one place a run's Status changes, and the table of which status may follow which. Each change is one conditional
/// statement (<c>UPDATE Runs SET Status = @to ... WHERE Id = @id AND Status IN (@expected)</c>) whose row count says
/// whether this caller won: of five concurrent resumes, or a cancel racing the worker's claim, exactly one applies, on
/// SQLite and on PostgreSQL alike. Nothing else writes Status; a new run (queued, cloned, a sweep's trial) is inserted Queued.
/// </summary>
public static class RunLifecycle
{
    /// <summary>Which status may follow which. Completed and Stopped are final; a run that is not Running may be deleted.</summary>
    public static readonly IReadOnlyDictionary<RunStatus, RunStatus[]> Next = new Dictionary<RunStatus, RunStatus[]>
    {
        // The worker claims a queued run; or the user cancels it before the worker does.
        [RunStatus.Queued] = [RunStatus.Running, RunStatus.Cancelled],
        // Only its trainer, its Slurm job (or the monitor of that job) or a start-up after a crash ends a running run.
        [RunStatus.Running] = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Stopped, RunStatus.Interrupted],
        // Resume queues it again, to continue from its last checkpoint.
        [RunStatus.Interrupted] = [RunStatus.Queued],
        [RunStatus.Cancelled] = [RunStatus.Queued],
        [RunStatus.Failed] = [RunStatus.Queued],
        [RunStatus.Completed] = [],
        [RunStatus.Stopped] = [],
    };

    /// <summary>The statuses a run can be resumed from (those that Queued may follow).</summary>
    public static readonly RunStatus[] Resumable = [.. Next.Where(n => n.Value.Contains(RunStatus.Queued)).Select(n => n.Key)];

    /// <summary>The statuses a run can be deleted in: all but Running (a queued one is deleted in one statement, before the worker can claim it).</summary>
    public static readonly RunStatus[] Deletable = [.. Enum.GetValues<RunStatus>().Where(s => s != RunStatus.Running)];

    /// <summary>Throws when the table does not let <paramref name="to"/> follow <paramref name="from"/>: a bug, never a user's error.</summary>
    public static void EnsureAllowed(RunStatus from, RunStatus to)
    {
        if (!Next[from].Contains(to))
        {
            throw new InvalidOperationException($"A run cannot go from {from} to {to}.");
        }
    }

    /// <summary>The worker takes a queued run: Queued to Running. False when a cancel or a delete came first.</summary>
    public static Task<bool> ClaimAsync(PalmLabDbContext db, int runId, CancellationToken cancellationToken) =>
        MoveAsync(db, runId, [RunStatus.Queued], RunStatus.Running, null, cancellationToken);

    /// <summary>The user cancels a run the worker has not claimed: Queued to Cancelled. False when it is not queued (any more).</summary>
    public static Task<bool> CancelQueuedAsync(PalmLabDbContext db, int runId, DateTimeOffset now, CancellationToken cancellationToken) =>
        MoveAsync(db, runId, [RunStatus.Queued], RunStatus.Cancelled, s => s.SetProperty(r => r.FinishedAt, now), cancellationToken);

    /// <summary>
    /// Queues an interrupted, cancelled or failed run to continue from its last checkpoint. False when another request
    /// resumed (or changed) it first: only one of concurrent resumes wins.
    /// </summary>
    public static Task<bool> ResumeAsync(PalmLabDbContext db, int runId, CancellationToken cancellationToken) =>
        MoveAsync(db, runId, Resumable, RunStatus.Queued, s => s
            .SetProperty(r => r.ResumeRequested, true)
            .SetProperty(r => r.ErrorMessage, (string?)null)
            // A resumed Slurm run gets a new job; until it is submitted, the Slurm monitor must not follow the old one.
            .SetProperty(r => r.JobId, (string?)null)
            .SetProperty(r => r.JobState, (string?)null), cancellationToken);

    /// <summary>Records where a claimed run trains, while it is still Running (no status change). False when it is not any more.</summary>
    public static async Task<bool> StartedAsync(PalmLabDbContext db, int runId, string executor, string device, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Executor, executor)
            .SetProperty(r => r.Device, device)
            .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
            .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null)
            .SetProperty(r => r.ErrorMessage, (string?)null)
            .SetProperty(r => r.ResumeRequested, false), cancellationToken) == 1;

    /// <summary>
    /// Ends a running run (Completed, Failed, Cancelled, Stopped or Interrupted). With <paramref name="jobId"/>, only while
    /// that Slurm job is still the run's. False when it had already ended (or was resumed in another job).
    /// </summary>
    public static Task<bool> EndAsync(PalmLabDbContext db, int runId, RunStatus to, string? error, DateTimeOffset now, string? jobId, CancellationToken cancellationToken) =>
        MoveAsync(db, runId, [RunStatus.Running], to, s => s
            .SetProperty(r => r.ErrorMessage, error)
            .SetProperty(r => r.FinishedAt, now), cancellationToken, jobId);

    /// <summary>
    /// At start-up: runs this dashboard trained locally are Interrupted, but for <paramref name="stillTraining"/> (those
    /// whose training process outlived the last dashboard). Returns how many.
    /// </summary>
    public static Task<int> InterruptAbandonedAsync(PalmLabDbContext db, IReadOnlyCollection<int> stillTraining, string reason, CancellationToken cancellationToken)
    {
        EnsureAllowed(RunStatus.Running, RunStatus.Interrupted);
        var alive = stillTraining.ToList();
        return db.Runs.Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Local && !alive.Contains(r.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RunStatus.Interrupted)
            .SetProperty(r => r.ErrorMessage, reason), cancellationToken);
    }

    /// <summary>
    /// Deletes a run that is not Running, with its rows, in one transaction whose run delete is conditional: a run the
    /// worker claims meanwhile is never deleted under it (and keeps its batch losses). False when it is Running or gone.
    /// </summary>
    public static async Task<bool> DeleteAsync(PalmLabDbContext db, int runId, CancellationToken cancellationToken)
    {
        var deletable = Deletable;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Its epochs and checkpoints go with it (ON DELETE CASCADE), its many batch losses first.
        await db.BatchLosses.Where(b => b.RunId == runId && db.Runs.Any(r => r.Id == runId && deletable.Contains(r.Status)))
            .ExecuteDeleteAsync(cancellationToken);
        if (await db.Runs.Where(r => r.Id == runId && deletable.Contains(r.Status)).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> MoveAsync(PalmLabDbContext db, int runId, RunStatus[] from, RunStatus to,
        Action<UpdateSettersBuilder<Run>>? also, CancellationToken cancellationToken, string? jobId = null)
    {
        foreach (var status in from)
        {
            EnsureAllowed(status, to);
        }
        var updated = await db.Runs
            .Where(r => r.Id == runId && from.Contains(r.Status) && (jobId == null || r.JobId == jobId))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.Status, to);
                also?.Invoke(s);
            }, cancellationToken);
        return updated == 1;
    }
}
