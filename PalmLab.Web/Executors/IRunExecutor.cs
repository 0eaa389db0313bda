using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Executors;

/// <summary>
/// Where claimed runs train: "local" (a child <c>palmlab job</c> per run beside the dashboard) or "slurm" (a batch job
/// per run). One is chosen at start-up from PalmLab:Executor (<see cref="ExecutorRegistration"/>). Either way the
/// training process reports through the job protocol (JobsApi, JobReportRecorder): one recording path for every run.
/// </summary>
public interface IRunExecutor
{
    /// <summary>"local" or "slurm", as <see cref="Run.Executor"/> records it.</summary>
    string Name { get; }

    /// <summary>Runs it trains on this machine now, each taking one of PalmLab:MaxConcurrentRuns's slots (a cluster queues its own).</summary>
    int Training { get; }

    /// <summary>
    /// Starts a run the worker claimed (Running) and returns when it no longer takes a slot here: the Slurm executor
    /// once the job is submitted, the local one once its child has exited and the run's end is recorded. Never throws
    /// for the run's own failure: the run ends Failed with the reason. <paramref name="shutdown"/> (the host stopping)
    /// leaves the run Interrupted.
    /// </summary>
    Task RunAsync(int runId, CancellationToken shutdown);

    /// <summary>
    /// Ends a run it trains at the user's or a sweep's request: <see cref="RunStatus.Cancelled"/> or
    /// <see cref="RunStatus.Stopped"/> with <paramref name="reason"/>, and stops its training process. NotFound when it
    /// does not train that run.
    /// </summary>
    Task<RunActionResult> EndAsync(int runId, RunStatus status, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// At start-up, before the worker and before anything is served: the ids of this executor's Running runs that still
    /// train (a local child that outlived a killed dashboard, a Slurm job). The start-up interrupts the others.
    /// </summary>
    Task<IReadOnlyCollection<int>> RecoverAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called once by the worker when it starts: follows the runs <see cref="RecoverAsync"/> found, each task ending when
    /// its run no longer takes a slot here (as <see cref="RunAsync"/>'s).
    /// </summary>
    IReadOnlyDictionary<int, Task> FollowRecovered(CancellationToken shutdown);
}
