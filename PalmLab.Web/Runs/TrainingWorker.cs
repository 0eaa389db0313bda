using Microsoft.Extensions.Options;
using PalmLab.Web.Executors;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Claims queued runs from the database, oldest first (<see cref="RunQueue"/>), and hands each to the executor
/// (<see cref="IRunExecutor"/>), up to MaxConcurrentRuns training here at a time. The database is the queue: after a
/// restart, queued runs simply start again, and the runs the executor recovered are followed again.
/// </summary>
public sealed class TrainingWorker(
    RunQueue queue,
    IOptions<PalmLabOptions> options,
    IRunExecutor executor,
    RunSignal signal,
    LiveRuns liveRuns,
    WorkerHeartbeat heartbeat,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly Dictionary<int, Task> _active = [];

    // ExecuteAsync starts on a pool thread: beat here, while the host starts, so /health is right as soon as it answers.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        heartbeat.Beat();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoopAsync(stoppingToken);
            heartbeat.Stop(null);
        }
        catch (Exception e)
        {
            // The loop catches its own errors, so this is a bug; the dashboard stays up and /health reports it.
            logger.LogCritical(e, "The training worker stopped; queued runs will not start until PalmLab restarts");
            heartbeat.Stop(e);
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        foreach (var (runId, following) in executor.FollowRecovered(stoppingToken))
        {
            _active[runId] = Settle(runId, following);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            try
            {
                foreach (var finished in _active.Where(a => a.Value.IsCompleted).Select(a => a.Key).ToList())
                {
                    _active.Remove(finished);
                }
                while (Math.Max(_active.Count, executor.Training) < options.Value.MaxConcurrentRuns && await ClaimAndStartAsync(stoppingToken))
                {
                }
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // A busy database, say: never let it escape (it would stop the host) or end the loop; try again shortly.
                logger.LogError(e, "The training worker could not look for queued runs; retrying");
                await Task.Delay(PollInterval, CancellationToken.None);
            }
        }
        await Task.WhenAll(_active.Values);
    }

    // The claim and the run's registration as live happen under the claim gate (RunAsync registers it before its first
    // await), so a cancel sees the run either queued or live.
    private async Task<bool> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        using (await liveRuns.HoldClaimsAsync(stoppingToken))
        {
            if (await queue.ClaimNextAsync([.. _active.Keys], stoppingToken) is not { } runId)
            {
                return false;
            }
            _active[runId] = RunAsync(runId, stoppingToken);
            return true;
        }
    }

    // No yield first: the executor makes the claimed run cancellable before its first await, so a cancel that comes
    // right after the claim finds it. The Slurm executor only submits: the job trains on a node and reports back, so the
    // next run can be handed over at once; the local one returns when its child has exited.
    private Task RunAsync(int runId, CancellationToken stoppingToken) => Settle(runId, executor.RunAsync(runId, stoppingToken));

    private async Task Settle(int runId, Task training)
    {
        try
        {
            await training;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} could not be recorded", runId);
        }
        finally
        {
            signal.Wake();
        }
    }
}
