using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>One dashboard's claim, recovery and lease keeper on a seeded database and a given clock, as the app wires them.</summary>
public sealed class LeaseParts : IDisposable
{
    private readonly ServiceProvider _signalR = new ServiceCollection().AddLogging().AddSignalR().Services.BuildServiceProvider();
    private readonly IDisposable _subscription;

    public LeaseParts(RunListSeed seed, string owner, TimeProvider time, LeaseOptions? leases = null)
    {
        var options = Microsoft.Extensions.Options.Options.Create(leases ?? new LeaseOptions());
        var instance = new ExecutorInstance(owner);
        Notifier = new RunNotifier(_signalR.GetRequiredService<IHubContext<RunsHub>>(), time, NullLogger<RunNotifier>.Instance);
        _subscription = Notifier.Subscribe(Events.Enqueue);
        Queue = new RunQueue(seed.Factory, seed.Provider, instance, options, time);
        Recovery = new RunRecovery(seed.Factory, instance, Notifier, time, NullLogger<RunRecovery>.Instance);
        Leases = new RunLeases(seed.Factory, instance, Recovery, options, time, NullLogger<RunLeases>.Instance);
    }

    public RunNotifier Notifier { get; }

    /// <summary>Every event the notifier sent.</summary>
    public ConcurrentQueue<RunEvent> Events { get; } = new();

    public RunQueue Queue { get; }

    public RunRecovery Recovery { get; }

    public RunLeases Leases { get; }

    public void Dispose()
    {
        Leases.Dispose();
        _subscription.Dispose();
        Notifier.Dispose();
        _signalR.Dispose();
    }
}
