using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using PalmLab.Web.Security;
using PalmLab.Web.Slurm;

namespace PalmLab.Web.Executors.Local;

/// <summary>
/// Trains each claimed run in a child <c>palmlab job</c> (the command a Slurm job runs) that reports to this dashboard
/// over loopback with a token made for that run only; the dashboard itself never loads a model for training. The child
/// runs in a session of its own with its output in the run's job folder (<see cref="LocalJobFiles"/>), so it outlives a
/// dashboard killed with SIGKILL; the next start adopts it (<see cref="RecoverAsync"/>). A graceful stop stops the
/// children first (<see cref="StoppingAsync"/>, before the server stops, so they still send their last reports).
/// </summary>
public sealed class LocalRunExecutor(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    RunPlanner planner,
    RunRecorder recorder,
    LiveRuns liveRuns,
    DashboardAddress address,
    TimeProvider time,
    ExecutorInstance instance,
    ILogger<LocalRunExecutor> logger) : IRunExecutor, IHostedLifecycleService
{
    /// <summary>How long a stopped child gets to send its last reports and exit before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    /// <summary>How often an adopted child (not this process's own, so no exit notice) is looked for in /proc.</summary>
    private static readonly TimeSpan AdoptedPoll = TimeSpan.FromSeconds(1);

    public const string InterruptedReason = "PalmLab stopped while this run was training; resume it to continue from its last checkpoint.";

    private readonly ConcurrentDictionary<int, ChildProcess> _recovered = new();
    private readonly ConcurrentDictionary<int, Task> _following = new();
    private readonly CancellationTokenSource _stopping = new();

    public string Name => RunExecutors.Local;

    public int Training => liveRuns.Count;

    public Task RunAsync(int runId, CancellationToken shutdown)
    {
        // Registered before the first await, under the worker's claim gate: a cancel finds the run queued or live.
        var live = new LiveRun(new CancellationTokenSource());
        liveRuns.Add(runId, live);
        return Track(runId, StartAndFollowAsync(runId, live, shutdown));
    }

    private async Task StartAndFollowAsync(int runId, LiveRun live, CancellationToken hostShutdown)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostShutdown, _stopping.Token);
        var shutdown = stopping.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, live.UserCancel.Token);
        try
        {
            ChildProcess child;
            try
            {
                child = await StartChildAsync(runId, linked.Token);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                await FinishAsync(runId, RunStatus.Interrupted, InterruptedReason);
                return;
            }
            catch (OperationCanceledException)
            {
                await EndAsRequestedAsync(runId, live);
                return;
            }
            catch (PalmLabException e)
            {
                await FinishAsync(runId, RunStatus.Failed, e.Message);
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Run {RunId}: its training process could not be started", runId);
                await FinishAsync(runId, RunStatus.Failed, $"Unexpected error while starting its training process: {e.Message}");
                return;
            }
            await FollowAsync(runId, child, live, shutdown);
        }
        finally
        {
            liveRuns.Remove(runId);
            live.UserCancel.Dispose();
        }
    }

    // Known until it ends, so that a graceful stop can wait for it.
    private Task Track(int runId, Task following)
    {
        _following[runId] = following;
        _ = following.ContinueWith(_ => _following.TryRemove(new KeyValuePair<int, Task>(runId, following)), TaskScheduler.Default);
        return following;
    }

    public Task<RunActionResult> EndAsync(int runId, RunStatus status, string? reason, CancellationToken cancellationToken)
    {
        var requested = status == RunStatus.Stopped ? liveRuns.TryStop(runId, reason ?? "Stopped.") : liveRuns.TryCancel(runId, reason);
        return Task.FromResult(requested ? RunActionResult.Done : RunActionResult.NotFound);
    }

    public async Task<IReadOnlyCollection<int>> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only this dashboard's own runs: another dashboard's are its to follow (or, once their lease passed, RunRecovery's to end).
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Local && r.Owner == instance.Id)
            .Select(r => new { r.Id, r.Uid }).ToListAsync(cancellationToken);
        foreach (var (runId, folder) in running.Select(r => (r.Id, new RunFolder(options.Value, r.Id, r.Uid))))
        {
            if (ChildProcess.Find(folder.LocalJobPid, folder.LocalJobOutput) is { } child)
            {
                _recovered[runId] = child;
                logger.LogInformation("Run {RunId}: its training process {Pid} outlived the last PalmLab; following it again", runId, child.Pid);
            }
            else
            {
                // Gone while no dashboard watched: its output says why, when it says anything.
                await FinishAsync(runId, RunStatus.Interrupted,
                    $"Its training process ended while PalmLab was stopped; resume it to continue from its last checkpoint. {JobOutput.Describe(folder.LocalJobOutput)}");
            }
        }
        return [.. _recovered.Keys];
    }

    public IReadOnlyDictionary<int, Task> FollowRecovered(CancellationToken shutdown)
    {
        var tasks = new Dictionary<int, Task>();
        foreach (var runId in _recovered.Keys.ToList())
        {
            if (_recovered.TryRemove(runId, out var child))
            {
                var live = new LiveRun(new CancellationTokenSource());
                liveRuns.Add(runId, live);
                tasks[runId] = Track(runId, FollowAdoptedAsync(runId, child, live, shutdown));
            }
        }
        return tasks;
    }

    private async Task FollowAdoptedAsync(int runId, ChildProcess child, LiveRun live, CancellationToken hostShutdown)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostShutdown, _stopping.Token);
        try
        {
            await FollowAsync(runId, child, live, stopping.Token);
        }
        finally
        {
            liveRuns.Remove(runId);
            live.UserCancel.Dispose();
        }
    }

    // Makes the run's token, writes it for the child, and starts the child; the token is valid before the child asks.
    private async Task<ChildProcess> StartChildAsync(int runId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var server = await address.GetAsync(cancellationToken);
        // The child resolves the device and reports it in its start report.
        await planner.StartAsync(runId, RunExecutors.Local, cancellationToken);
        var (token, hash) = RunTokens.Create();
        RunFolder folder;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            folder = await RunFolder.FindAsync(db, o, runId, cancellationToken) ?? throw new PalmLabException($"Run {runId} no longer exists.");
            await PrivateFile.WriteAsync(folder.LocalJobToken, token, cancellationToken);
            await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Owner == instance.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Executor, RunExecutors.Local)
                .SetProperty(r => r.JobTokenHash, hash)
                .SetProperty(r => r.JobReportSeq, 0)
                .SetProperty(r => r.JobId, (string?)null)
                .SetProperty(r => r.JobState, JobState.Starting.Text), cancellationToken);
        }
        var (fileName, prefix) = PalmlabCommand.Resolve();
        string[] arguments =
        [
            .. prefix, "job", "--server", server.ToString(), "--run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--token-file", folder.LocalJobToken, "--scratch", folder.LocalJobScratch,
        ];
        var child = ChildProcess.Start(fileName, arguments, folder.LocalJobFolder, folder.LocalJobOutput, folder.LocalJobPid);
        logger.LogInformation("Run {RunId}: training process {Pid} started, reporting to {Server}", runId, child.Pid, server);
        return child;
    }

    // Waits for the child's exit, a user's cancel or a sweep's stop, or the host's shutdown, and records the run's end.
    private async Task FollowAsync(int runId, ChildProcess child, LiveRun live, CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, live.UserCancel.Token);
        try
        {
            await child.WaitForExitAsync(AdoptedPoll, time, linked.Token);
            var (status, reason) = Outcome(child);
            // A child that reported its end has it recorded already: this finds the run ended and changes nothing.
            await FinishAsync(runId, status, reason);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Stopped first, so it sends its last batches while the run is still Running; then the run is Interrupted.
            await StopAsync(child);
            await FinishAsync(runId, RunStatus.Interrupted, InterruptedReason);
        }
        catch (OperationCanceledException)
        {
            // Ended first: the child's next report is answered "runEnded", whatever the signal does.
            await EndAsRequestedAsync(runId, live);
            await StopAsync(child);
        }
    }

    private Task EndAsRequestedAsync(int runId, LiveRun live) => live.StopReason is { } stop
        ? FinishAsync(runId, RunStatus.Stopped, stop)
        : FinishAsync(runId, RunStatus.Cancelled, live.CancelReason);

    private async Task StopAsync(ChildProcess child)
    {
        child.Terminate();
        using var grace = new CancellationTokenSource(StopGrace, time);
        try
        {
            await child.WaitForExitAsync(TimeSpan.FromMilliseconds(200), time, grace.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Training process {Pid} did not stop within {Seconds} s of SIGTERM; killing it", child.Pid, StopGrace.TotalSeconds);
            child.Kill();
        }
    }

    // A child exits after its end is recorded; one that exits before that died (or was killed) mid-run.
    private static (RunStatus Status, string Reason) Outcome(ChildProcess child) => child.ExitCode switch
    {
        null => (RunStatus.Interrupted, $"Its training process {child.Pid} ended without reporting the run's end; resume the run to continue from its last checkpoint. {OutputTail(child)}"),
        > 128 and var code => (RunStatus.Interrupted, $"Its training process {child.Pid} was killed (signal {code - 128}); resume the run to continue from its last checkpoint. {OutputTail(child)}"),
        var code => (RunStatus.Failed, $"Its training process {child.Pid} exited (code {code}) without reporting the run's end. {OutputTail(child)}"),
    };

    private static string OutputTail(ChildProcess child) => JobOutput.Describe(child.OutputFile);

    // Only while this dashboard still owns the run: one whose lease passed may have been resumed and claimed elsewhere.
    private Task<bool> FinishAsync(int runId, RunStatus status, string? reason) => recorder.FinishAsync(runId, status, reason, owner: instance.Id);

    /// <summary>
    /// A graceful stop, before any hosted service stops (the server included): each child is stopped (SIGTERM) and
    /// sends its last reports while the dashboard still answers; then its run is Interrupted.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_following.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("PalmLab stopped before its training processes did");
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
