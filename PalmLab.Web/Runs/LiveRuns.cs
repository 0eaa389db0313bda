using System.Collections.Concurrent;

namespace PalmLab.Web.Runs;

/// <summary>The runs whose training process this dashboard follows right now (local children), and their cancellation.</summary>
public sealed class LiveRuns
{
    private readonly ConcurrentDictionary<int, LiveRun> _runs = new();
    private readonly SemaphoreSlim _claims = new(1, 1);

    public int Count => _runs.Count;

    /// <summary>
    /// Held by the worker from claiming a run (Queued to Running in the database) until the run is registered here, and
    /// by a cancel while it looks: so a cancel never sees a claimed run that is not live yet.
    /// </summary>
    public async Task<IDisposable> HoldClaimsAsync(CancellationToken cancellationToken)
    {
        await _claims.WaitAsync(cancellationToken);
        return new Release(_claims);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    public void Add(int runId, LiveRun run) => _runs[runId] = run;

    public void Remove(int runId) => _runs.TryRemove(runId, out _);

    public bool TryCancel(int runId, string? reason = null)
    {
        if (!_runs.TryGetValue(runId, out var run))
        {
            return false;
        }
        run.CancelReason ??= reason;
        try
        {
            run.UserCancel.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // it finished a moment ago
        }
    }

    /// <summary>
    /// Stops a running sweep trial that is losing: cancelled like a user cancel, but it ends
    /// <see cref="Data.RunStatus.Stopped"/> with <paramref name="reason"/>.
    /// </summary>
    public bool TryStop(int runId, string reason)
    {
        if (!_runs.TryGetValue(runId, out var run))
        {
            return false;
        }
        run.StopReason = reason;
        return TryCancel(runId);
    }

    /// <summary>Why the run was stopped early, if it was.</summary>
    public string? StopReason(int runId) => _runs.TryGetValue(runId, out var run) ? run.StopReason : null;

    public IEnumerable<LiveRun> All => _runs.Values;
}
