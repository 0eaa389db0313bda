using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Tests.Support;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public sealed class RunNotifierTests : IAsyncLifetime
{
    private const int RunId = 7;

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingHub _hub = new();
    private readonly ConcurrentQueue<RunEvent> _received = new();
    private readonly RunNotifier _notifier;
    private readonly IDisposable _subscription;

    public RunNotifierTests()
    {
        _notifier = new RunNotifier(_hub, _time, NullLogger<RunNotifier>.Instance);
        _subscription = _notifier.Subscribe(_received.Enqueue);
    }

    public Task InitializeAsync() => _notifier.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _notifier.StopAsync(CancellationToken.None);
        _subscription.Dispose();
        _notifier.Dispose();
    }

    [Fact]
    public async Task BatchCompleted_BurstThenOneInterval_SendsOneMessageWithEveryPointInOrder()
    {
        var points = Points(1, 20);
        foreach (var point in points)
        {
            _notifier.BatchCompleted(RunId, point);
        }

        _time.Advance(RunNotifier.CoalesceInterval);
        await WaitForBatchMessagesAsync(1);
        await BarrierAsync();

        var message = Assert.Single(_received.OfType<BatchLossesEvent>());
        Assert.Equal(RunId, message.RunId);
        Assert.Equal(points, message.Points);
        var sent = Assert.Single(_hub.Sent, s => s.Method == "batchLosses");
        Assert.Equal([RunsHub.RunGroup(RunId)], sent.Groups);
        Assert.Equal(points, Assert.IsType<BatchLossesEvent>(sent.Message).Points);
    }

    [Fact]
    public async Task BatchCompleted_ClockShortOfInterval_SendsNothingUntilTheIntervalEnds()
    {
        var early = Points(1, 10);
        var late = Points(11, 10);
        foreach (var point in early)
        {
            _notifier.BatchCompleted(RunId, point);
        }
        Assert.Empty(_received);

        // The fake clock is the only time the notifier sees: short of the interval, its timer cannot fire.
        _time.Advance(RunNotifier.CoalesceInterval - TimeSpan.FromMilliseconds(1));
        // Three real intervals pass as well: a timer on the system clock would have sent the early points by now.
        await Task.Delay(RunNotifier.CoalesceInterval * 3);
        Assert.Empty(_received);
        Assert.Empty(_hub.Sent);
        foreach (var point in late)
        {
            _notifier.BatchCompleted(RunId, point);
        }
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForBatchMessagesAsync(1);
        await BarrierAsync();

        // A send before the interval ended would have left the early points in a message of their own.
        var message = Assert.Single(_received.OfType<BatchLossesEvent>());
        Assert.Equal([.. early, .. late], message.Points);
    }

    [Fact]
    public async Task EpochAndStatusEvents_PointsBuffered_SendThePointsFirstInOrder()
    {
        var first = Points(1, 5);
        var second = Points(6, 5);
        var epoch = new EpochResult(1, 2, 0.5, null, null, 0.01, 1.0, 10.0, false);

        foreach (var point in first)
        {
            _notifier.BatchCompleted(RunId, point);
        }
        await _notifier.EpochCompletedAsync(RunId, epoch);
        foreach (var point in second)
        {
            _notifier.BatchCompleted(RunId, point);
        }
        await _notifier.StatusChangedAsync(RunId, RunStatus.Completed, null);

        Assert.Collection(
            _received,
            e => Assert.Equal(first, Assert.IsType<BatchLossesEvent>(e).Points),
            e => Assert.Same(epoch, Assert.IsType<EpochCompletedEvent>(e).Epoch),
            e => Assert.Equal(second, Assert.IsType<BatchLossesEvent>(e).Points),
            e => Assert.Equal(RunStatus.Completed, Assert.IsType<StatusChangedEvent>(e).Status));
        Assert.Equal(["batchLosses", "epochCompleted", "batchLosses", "statusChanged"], _hub.Sent.Select(s => s.Method));
        Assert.Equal([RunsHub.RunGroup(RunId), RunsHub.AllRunsGroup], _hub.Sent[^1].Groups);
    }

    [Fact]
    public async Task BatchCompleted_SteadyStream_SendsOneMessagePerIntervalWithThatIntervalsPoints()
    {
        const int intervals = 5;
        const int pointsPerInterval = 10;
        var step = RunNotifier.CoalesceInterval / pointsPerInterval;
        var points = Points(1, intervals * pointsPerInterval);

        for (var i = 0; i < intervals; i++)
        {
            foreach (var point in points.Skip(i * pointsPerInterval).Take(pointsPerInterval))
            {
                _notifier.BatchCompleted(RunId, point);
                _time.Advance(step);
            }
            // The interval's tick has fired; let the loop send before the next interval's points arrive.
            await WaitForBatchMessagesAsync(i + 1);
        }
        await BarrierAsync();

        var messages = _received.OfType<BatchLossesEvent>().ToList();
        Assert.Equal(intervals, messages.Count);
        Assert.All(messages, m => Assert.Equal(pointsPerInterval, m.Points.Count));
        Assert.Equal(points, messages.SelectMany(m => m.Points));
        Assert.Equal(intervals, _hub.Sent.Count(s => s.Method == "batchLosses"));
    }

    private static List<BatchPoint> Points(long firstStep, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BatchPoint(firstStep + i, 1, 1.0 / (firstStep + i), 0.01))];

    private Task WaitForBatchMessagesAsync(int count) => Wait.UntilAsync(
        () => _hub.Sent.Count(s => s.Method == "batchLosses") >= count,
        $"the notifier did not send batchLosses message {count} after the fake clock passed its coalescing interval");

    // Every send goes through one sender, so once a status change has gone out, every earlier send has finished.
    private Task BarrierAsync() => _notifier.StatusChangedAsync(RunId + 1, RunStatus.Running, null);

    /// <summary>Stands in for SignalR: records each message with the groups it was sent to.</summary>
    private sealed class RecordingHub : IHubContext<RunsHub>, IHubClients
    {
        private readonly ConcurrentQueue<(IReadOnlyList<string> Groups, string Method, RunEvent Message)> _sent = new();

        public IReadOnlyList<(IReadOnlyList<string> Groups, string Method, RunEvent Message)> Sent => [.. _sent];

        IHubClients IHubContext<RunsHub>.Clients => this;

        IGroupManager IHubContext<RunsHub>.Groups => throw new NotSupportedException();

        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => throw new NotSupportedException();

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => new Proxy(this, [groupName]);

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => new Proxy(this, [.. groupNames]);

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();

        private sealed class Proxy(RecordingHub hub, IReadOnlyList<string> groups) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                hub._sent.Enqueue((groups, method, Assert.IsAssignableFrom<RunEvent>(Assert.Single(args))));
                return Task.CompletedTask;
            }
        }
    }
}
