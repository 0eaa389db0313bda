using System.Collections.Concurrent;

namespace PalmLab.Web.Runs;

/// <summary>The runs training right now: their cancellation and their not-yet-written batch losses.</summary>
public sealed class LiveRuns
{
    private readonly ConcurrentDictionary<int, LiveRun> _runs = new();

    public int Count => _runs.Count;

    public void Add(int runId, LiveRun run) => _runs[runId] = run;

    public void Remove(int runId) => _runs.TryRemove(runId, out _);

    public bool TryCancel(int runId)
    {
        if (!_runs.TryGetValue(runId, out var run))
        {
            return false;
        }
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

    public IReadOnlyList<BatchPoint> PendingLosses(int runId) =>
        _runs.TryGetValue(runId, out var run) ? run.Writer.Pending() : [];

    public IEnumerable<LiveRun> All => _runs.Values;
}
