using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Web.Data;
using PalmLab.Web.Executors;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Slurm;

/// <summary>
/// Follows the Slurm jobs of running runs (squeue, then sacct once they end). A job that ends without its run having
/// reported its end (failed, cancelled in Slurm, out of time) ends its run Failed, Cancelled or Interrupted with
/// Slurm's reason. The jobs are found in the database, so a restarted dashboard picks them up again.
/// </summary>
public sealed class SlurmMonitor(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    SlurmClient slurm,
    RunRecorder recorder,
    RunNotifier notifier,
    TimeProvider time,
    ILogger<SlurmMonitor> logger) : BackgroundService
{
    // A job that has just ended may still have reports in flight: they are given this long before its end is decided.
    private static readonly TimeSpan ReportGrace = TimeSpan.FromSeconds(15);
    private readonly Dictionary<int, DateTimeOffset> _endedAt = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Slurm.PollSeconds), time);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Asking Slurm about its jobs failed; trying again");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One look at every running Slurm run's job.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.Executor == RunExecutors.Slurm && r.Status == RunStatus.Running && r.JobId != null)
            .Select(r => new { r.Id, r.Uid, JobId = r.JobId!, r.JobState, r.Slurm })
            .ToListAsync(cancellationToken);
        if (runs.Count == 0)
        {
            return;
        }
        var states = await slurm.StatesAsync(runs.Select(r => r.JobId).ToList(), cancellationToken);
        foreach (var run in runs)
        {
            var state = states.GetValueOrDefault(run.JobId);
            if (state is not null && JobState.Of(state).Text != run.JobState)
            {
                // The run may have been cancelled, resumed and submitted again since it was read: only its own job's state.
                await db.Runs.Where(r => r.Id == run.Id && r.JobId == run.JobId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, JobState.Of(state).Text), cancellationToken);
                if (state.IsActive)
                {
                    await notifier.StatusChangedAsync(run.Id, RunStatus.Running, null);
                }
            }
            if (state is { CanNeverStart: true })
            {
                await EndNeverStartingAsync(run.Id, run.JobId, state, run.Slurm.Over(options.Value.Slurm), cancellationToken);
                continue;
            }
            if (state is null || state.IsActive)
            {
                _endedAt.Remove(run.Id);
                continue;
            }
            var now = time.GetUtcNow();
            if (!_endedAt.TryGetValue(run.Id, out var endedAt))
            {
                _endedAt[run.Id] = endedAt = now;
            }
            if (state.State != SlurmJobState.Cancelled && now - endedAt < ReportGrace)
            {
                continue;
            }
            _endedAt.Remove(run.Id);
            var (status, reason) = Outcome(run.JobId, state, new RunFolder(options.Value, run.Id, run.Uid).JobOutput(run.JobId));
            await recorder.FinishAsync(run.Id, status, reason, jobId: run.JobId);
        }
    }

    // Slurm would keep such a job pending for ever, and its run Running: cancel it and say what to change.
    private async Task EndNeverStartingAsync(int runId, string jobId, SlurmJobState state, SlurmResources asked, CancellationToken cancellationToken)
    {
        var limits = await slurm.PartitionLimitsAsync(asked.Partition, cancellationToken);
        var (cancelled, message) = await slurm.CancelAsync(jobId, cancellationToken);
        if (cancelled)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Runs.Where(r => r.Id == runId && r.JobId == jobId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, JobState.Cancelled.Text), cancellationToken);
        }
        else
        {
            logger.LogWarning("Run {RunId}: Slurm job {JobId} can never start ({State}), and scancel failed: {Message}", runId, jobId, state.Describe(), message);
        }
        var reason = NeverStartsReason(jobId, state, asked, limits);
        if (await recorder.FinishAsync(runId, RunStatus.Failed, reason, jobId: jobId))
        {
            logger.LogWarning("Run {RunId}: Slurm job {JobId} can never start ({State}); cancelled it", runId, jobId, state.Describe());
        }
    }

    /// <summary>Why a pending job will never start, and what to change.</summary>
    public static string NeverStartsReason(string jobId, SlurmJobState state, SlurmResources asked, SlurmPartitionLimits? limits)
    {
        var cause = limits?.Problem(asked) is { } problem
            ? $"It asks for {problem}."
            : $"Slurm cannot give what it asks for ({Asked(asked)}) as configured: check the run's Slurm resources against the partition (scontrol show partition).";
        return $"Slurm job {jobId} can never start ({state.Describe()}), so it was cancelled. {cause} Clone the run with other Slurm resources (or change PalmLab:Slurm's defaults).";
    }

    private static string Asked(SlurmResources r) => string.Join(", ", new[]
    {
        $"partition {r.Partition ?? "(default)"}",
        r.Cpus is { } cpus ? $"{cpus} CPUs" : null,
        r.Memory is { } memory ? $"{memory} memory" : null,
        r.Gpus is > 0 and var gpus ? $"{gpus} GPUs" : null,
        r.TimeLimit is { } time ? $"time limit {time}" : null,
    }.OfType<string>());

    /// <summary>
    /// How a run whose job ended without reporting its own end ends, and why; a failure quotes the end of the job's
    /// output (<paramref name="outputFile"/>), where the cause usually is ("palmlab: not found", an exception).
    /// </summary>
    public static (RunStatus Status, string Reason) Outcome(string jobId, SlurmJobState state, string outputFile) => state.State switch
    {
        SlurmJobState.Cancelled => (RunStatus.Cancelled, $"Slurm job {jobId} was cancelled in Slurm ({state.Describe()})."),
        "TIMEOUT" or "DEADLINE" => (RunStatus.Interrupted, $"Slurm job {jobId} reached its time limit ({state.Describe()}); resume the run to continue from its last checkpoint."),
        "PREEMPTED" or "NODE_FAIL" or "BOOT_FAIL" => (RunStatus.Interrupted, $"Slurm job {jobId} was stopped by the cluster ({state.Describe()}); resume the run to continue from its last checkpoint."),
        "OUT_OF_MEMORY" => (RunStatus.Failed, $"Slurm job {jobId} ran out of memory ({state.Describe()}); ask for more with the run's Slurm memory. {JobOutput.Describe(outputFile)}"),
        SlurmJobState.Completed => (RunStatus.Failed, $"Slurm job {jobId} ended ({state.Describe()}) without reporting the run's end. {JobOutput.Describe(outputFile)}"),
        _ => (RunStatus.Failed, $"Slurm job {jobId} failed ({state.Describe()}). {JobOutput.Describe(outputFile)}"),
    };
}
