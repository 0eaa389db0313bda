using Microsoft.Extensions.Diagnostics.HealthChecks;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Health;

/// <summary>Healthy while the training worker's loop runs: it has beaten within <see cref="MaxSilence"/> and not stopped.</summary>
public sealed class WorkerHealthCheck(WorkerHeartbeat heartbeat, LiveRuns liveRuns, TimeProvider time) : IHealthCheck
{
    /// <summary>The worker loops at least every 2 s (longer only while the database is busy), so 30 s of silence means it is stuck.</summary>
    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (lastBeat, stopped, fault) = heartbeat.Read();
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object> { ["activeRuns"] = liveRuns.Count };
        if (lastBeat is { } beat)
        {
            data["lastBeat"] = beat;
            data["secondsSinceLastBeat"] = Math.Round((now - beat).TotalSeconds, 1);
        }
        var result =
            fault is not null ? HealthCheckResult.Unhealthy($"The training worker stopped after an error ({fault}); restart PalmLab.", data: data)
            : stopped ? HealthCheckResult.Unhealthy("The training worker has stopped.", data: data)
            : lastBeat is null ? HealthCheckResult.Unhealthy("The training worker has not started.", data: data)
            : now - lastBeat > MaxSilence ? HealthCheckResult.Unhealthy($"The training worker has not looked at the queue for more than {MaxSilence.TotalSeconds:0} s.", data: data)
            : HealthCheckResult.Healthy($"The training worker is running; {liveRuns.Count} run(s) training.", data);
        return Task.FromResult(result);
    }
}
