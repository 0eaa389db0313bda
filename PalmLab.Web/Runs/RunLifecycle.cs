using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// The one place a run's Status changes, and the table of which status may follow which. Each change is one conditional
/// statement (<c>UPDATE Runs SET Status = @to ... WHERE Id = @id AND Status IN (@expected)</c>) whose row count says
/// whether this caller won: of five concurrent resumes, or a cancel racing the worker's claim, exactly one applies, on
/// SQLite and on PostgreSQL alike. Nothing else writes Status (<see cref="Run.Status"/> is init-only); a new run (queued,
/// cloned, a sweep's trial) is inserted Queued.
/// Others decide which end a run reaches (a trainer's exception, a Slurm job's state, a job's end report) and ask here.
/// <para>A running run belongs to the dashboard that claimed it (<see cref="Run.Owner"/>, <see cref="ExecutorInstance"/>)
/// for as long as that dashboard renews its lease (<see cref="Run.LeaseUntil"/>, <see cref="RunLeases"/>).</para>
/// <code>
/// from              to            who asks                                              method                  where the asking lives
/// (new)             Queued        user queues or clones; a sweep adds its trials        (insert, Status=Queued) RunService.QueueAsync/CloneAsync, SweepService.CreateAsync
/// Queued            Running       the training worker's claim: owner + lease            ClaimAsync; on          RunQueue.ClaimNextAsync (from TrainingWorker)
///                                                                                       PostgreSQL one statement
/// Queued            Cancelled     user cancel (API, page), a sweep's cancel             CancelQueuedAsync       RunService.CancelAsync (SweepService.CancelAsync asks it)
/// Running           Running       the claimer records device, executor, start time      StartedAsync (owner's)  RunPlanner.StartAsync
/// Running           Running       the owner renews its lease every RenewEvery           RenewLeasesAsync        RunLeases
/// Running           Completed     the job's end report (local child or Slurm job)       EndAsync                JobReportRecorder (via RunRecorder.FinishAsync)
/// Running           Failed        the job's failed end report; a local child that       EndAsync                JobReportRecorder; LocalRunExecutor (owner-guarded);
///                                 exited without one, or could not start; a Slurm job                            SlurmMonitor; SlurmExecutor.SubmitAsync
///                                 that died, ran out of memory, never starts; sbatch
///                                 refused
/// Running           Cancelled     user cancel of a running run (SIGTERM to the child,   EndAsync                RunService.CancelAsync -> IRunExecutor.EndAsync: LocalRunExecutor,
///                                 scancel); a job cancelled in Slurm                                             SlurmExecutor.EndAsync; SlurmMonitor
/// Running           Stopped       a sweep's early stopping of a losing trial            EndAsync                SweepMonitor -> RunService.StopAsync -> IRunExecutor.EndAsync
/// Running           Interrupted   a local child killed by a signal; the dashboard       EndAsync                LocalRunExecutor (owner-guarded), SlurmExecutor.SubmitAsync,
///                                 stops gracefully (it stops its children); Slurm                                SlurmMonitor
///                                 time limit or preemption
/// Running           Interrupted   start-up: this dashboard's own local run whose child  EndAsync                LocalRunExecutor.RecoverAsync (from DatabaseStartup)
///                                 died while no dashboard watched (with its output)
/// Running           Interrupted   start-up: this dashboard's own local runs that no     InterruptOwnedAsync     RunRecovery.RecoverAsync (from DatabaseStartup)
///                                 process trains any more
/// Running           Interrupted   another dashboard's local run whose lease passed      InterruptExpiredAsync   RunRecovery (at start-up, and every RenewEvery from RunLeases);
///                                 (at start-up also one without a lease, from before)
/// Interrupted,      Queued        user resume (continues from the last checkpoint;      ResumeAsync             RunService.ResumeAsync
/// Cancelled, Failed               clears owner and lease)
/// any but Running   (deleted)     user delete                                           DeleteAsync             RunService.DeleteAsync
/// </code>
/// Completed and Stopped are final. A Slurm run's owner is the dashboard that submitted its job; it is never interrupted
/// for its lease (its job trains on the cluster whatever happens to that dashboard) and any dashboard's SlurmMonitor
/// follows and ends it, guarded by its job id.
/// </summary>
public static class RunLifecycle
{
    /// <summary>Which status may follow which. Completed and Stopped are final; a run that is not Running may be deleted.</summary>
    public static readonly IReadOnlyDictionary<RunStatus, RunStatus[]> Next = new Dictionary<RunStatus, RunStatus[]>
    {
        // The worker claims a queued run; or the user cancels it before the worker does.
        [RunStatus.Queued] = [RunStatus.Running, RunStatus.Cancelled],
        // Only its job's end report, its executor (the child died, a cancel, a stop) or a start-up after a crash ends a running run.
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

    /// <summary>
    /// The worker takes a queued run for <paramref name="owner"/>, holding it until <paramref name="leaseUntil"/>: Queued to
    /// Running. False when a cancel or a delete came first. (On PostgreSQL, RunQueue chooses and claims in one statement.)
    /// </summary>
    public static Task<bool> ClaimAsync(PalmLabDbContext db, int runId, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        MoveAsync(db, runId, [RunStatus.Queued], RunStatus.Running, s => s
            .SetProperty(r => r.Owner, owner)
            .SetProperty(r => r.LeaseUntil, leaseUntil), cancellationToken);

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
            .SetProperty(r => r.JobState, (string?)null)
            // Whoever claims it next owns it.
            .SetProperty(r => r.Owner, (string?)null)
            .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken);

    /// <summary>
    /// Records where a claimed run trains, while it is still Running and <paramref name="owner"/>'s (no status change).
    /// False when it is not any more.
    /// </summary>
    public static async Task<bool> StartedAsync(PalmLabDbContext db, int runId, string owner, string executor, string device, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Owner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Executor, executor)
            .SetProperty(r => r.Device, device)
            .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
            .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null)
            .SetProperty(r => r.ErrorMessage, (string?)null)
            .SetProperty(r => r.ResumeRequested, false), cancellationToken) == 1;

    /// <summary>
    /// Ends a running run (Completed, Failed, Cancelled, Stopped or Interrupted). With <paramref name="jobId"/>, only while
    /// that Slurm job is still the run's; with <paramref name="owner"/>, only while that dashboard still owns it (a run
    /// whose lease passed may have been resumed and claimed by another). False when it had already ended (or moved on).
    /// </summary>
    public static Task<bool> EndAsync(PalmLabDbContext db, int runId, RunStatus to, string? error, DateTimeOffset now, string? jobId, CancellationToken cancellationToken,
        string? owner = null) =>
        MoveAsync(db, runId, [RunStatus.Running], to, s => s
            .SetProperty(r => r.ErrorMessage, error)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken, jobId, owner);

    /// <summary>
    /// The owner renews the leases of its running runs to <paramref name="until"/> (no status change). Returns how many.
    /// A run that another dashboard ended meanwhile (its lease had passed) is not renewed.
    /// </summary>
    public static Task<int> RenewLeasesAsync(PalmLabDbContext db, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        db.Runs.Where(r => r.Status == RunStatus.Running && r.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), cancellationToken);

    /// <summary>
    /// At start-up: the running local runs <paramref name="owner"/> owns, except those still training (a child process
    /// that outlived the dashboard, adopted again), lost their training when the dashboard stopped: Running to Interrupted.
    /// Returns their ids. A Slurm run goes on (its job trains on a node; the Slurm monitor follows it).
    /// </summary>
    public static Task<IReadOnlyList<int>> InterruptOwnedAsync(PalmLabDbContext db, string owner, IReadOnlyCollection<int> stillTraining, string reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var training = stillTraining.ToArray();
        return InterruptLocalAsync(db, r => r.Owner == owner && !training.Contains(r.Id), reason, now, cancellationToken);
    }

    /// <summary>
    /// Asked by <paramref name="owner"/>: the running local runs of <paramref name="expiredOwner"/>, another dashboard (null:
    /// runs claimed before owners existed), whose lease has passed lost their dashboard: Running to Interrupted; with
    /// <paramref name="unleasedToo"/> (at start-up), also those that have no lease (claimed before leases existed).
    /// Returns their ids.
    /// </summary>
    public static Task<IReadOnlyList<int>> InterruptExpiredAsync(PalmLabDbContext db, string owner, string? expiredOwner, bool unleasedToo, string reason,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        InterruptLocalAsync(db, r => r.Owner != owner && r.Owner == expiredOwner && ((r.LeaseUntil == null && unleasedToo) || r.LeaseUntil < now),
            reason, now, cancellationToken);

    // Each run in its own conditional statement, the condition checked again: a lease renewed (or a run ended) since the
    // look is left alone, and the caller learns exactly which runs it interrupted, to tell the pages.
    private static async Task<IReadOnlyList<int>> InterruptLocalAsync(PalmLabDbContext db, Expression<Func<Run, bool>> which, string reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        EnsureAllowed(RunStatus.Running, RunStatus.Interrupted);
        IQueryable<Run> Lost() => db.Runs.Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Local).Where(which);
        var candidates = await Lost().Select(r => r.Id).ToListAsync(cancellationToken);
        var interrupted = new List<int>();
        foreach (var runId in candidates)
        {
            var updated = await Lost().Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.ErrorMessage, reason)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
            if (updated == 1)
            {
                interrupted.Add(runId);
            }
        }
        return interrupted;
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
        Action<UpdateSettersBuilder<Run>>? also, CancellationToken cancellationToken, string? jobId = null, string? owner = null)
    {
        foreach (var status in from)
        {
            EnsureAllowed(status, to);
        }
        var updated = await db.Runs
            .Where(r => r.Id == runId && from.Contains(r.Status) && (jobId == null || r.JobId == jobId) && (owner == null || r.Owner == owner))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.Status, to);
                also?.Invoke(s);
            }, cancellationToken);
        return updated == 1;
    }
}
