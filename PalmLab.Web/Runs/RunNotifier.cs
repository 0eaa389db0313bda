using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using PalmLab.Engine.Training;
using PalmLab.Web.Api;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// Fans run events out to SignalR groups and in-process subscribers. Batch losses are coalesced: at most one
/// message per run every 100 ms, carrying every point since the last. Epoch and status messages first send the
/// run's buffered points, so a client always sees them in order.
/// </summary>
public sealed class RunNotifier(IHubContext<RunsHub> hub, TimeProvider time, ILogger<RunNotifier> logger) : BackgroundService
{
    public static readonly TimeSpan CoalesceInterval = TimeSpan.FromMilliseconds(100);

    // Made here, not in ExecuteAsync (which .NET 10 starts on a pool thread), so the timer already exists when
    // StartAsync returns and a clock advanced right after starting moves it.
    private readonly PeriodicTimer _timer = new(CoalesceInterval, time);

    private readonly ConcurrentDictionary<int, List<BatchPoint>> _buffers = new();
    private readonly List<Action<RunEvent>> _subscribers = [];
    private readonly Lock _subscribersGate = new();
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Calls <paramref name="handler"/> for every event (on a background thread) until disposed.</summary>
    public IDisposable Subscribe(Action<RunEvent> handler)
    {
        lock (_subscribersGate)
        {
            _subscribers.Add(handler);
        }
        return new Subscription(() =>
        {
            lock (_subscribersGate)
            {
                _subscribers.Remove(handler);
            }
        });
    }

    public void BatchCompleted(int runId, BatchPoint point)
    {
        var buffer = _buffers.GetOrAdd(runId, _ => []);
        lock (buffer)
        {
            buffer.Add(point);
        }
    }

    public Task EpochCompletedAsync(int runId, EpochResult epoch, int? fold = null) => InOrderAsync(async () =>
    {
        await SendBufferedAsync(runId);
        await SendAsync(new EpochCompletedEvent(runId, epoch, fold), "epochCompleted", RunsHub.RunGroup(runId));
    });

    public Task StatusChangedAsync(int runId, RunStatus status, string? errorMessage) => InOrderAsync(async () =>
    {
        await SendBufferedAsync(runId);
        await SendAsync(new StatusChangedEvent(runId, status, errorMessage), "statusChanged", RunsHub.RunGroup(runId), RunsHub.AllRunsGroup);
        if (status is not (RunStatus.Queued or RunStatus.Running))
        {
            _buffers.TryRemove(runId, out _);
        }
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var runId in _buffers.Keys)
                {
                    await InOrderAsync(() => SendBufferedAsync(runId));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    // One sender at a time, so a run's points, epochs and statuses leave in the order they happened.
    private async Task InOrderAsync(Func<Task> send)
    {
        await _sending.WaitAsync();
        try
        {
            await send();
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendBufferedAsync(int runId)
    {
        if (!_buffers.TryGetValue(runId, out var buffer))
        {
            return;
        }
        BatchPoint[] points;
        lock (buffer)
        {
            if (buffer.Count == 0)
            {
                return;
            }
            points = [.. buffer];
            buffer.Clear();
        }
        await SendAsync(new BatchLossesEvent(runId, points), "batchLosses", RunsHub.RunGroup(runId));
    }

    private async Task SendAsync(RunEvent message, string method, params string[] groups)
    {
        Action<RunEvent>[] subscribers;
        lock (_subscribersGate)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(message);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A subscriber failed on {Event} of run {RunId}", method, message.RunId);
            }
        }
        try
        {
            await hub.Clients.Groups(groups).SendAsync(method, message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Sending {Event} of run {RunId} failed", method, message.RunId);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
