namespace PalmLab.Web.Runs;

/// <summary>
/// The training worker's sign of life: it beats once per loop and says when it stops. A singleton of its own, so the
/// health check reads it without reaching into the hosted service.
/// </summary>
public sealed class WorkerHeartbeat(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastBeat;
    private bool _stopped;
    private string? _fault;

    public void Beat()
    {
        lock (_gate)
        {
            _lastBeat = time.GetUtcNow();
        }
    }

    /// <summary>The loop has ended, after an exception when <paramref name="fault"/> is set; later beats change nothing.</summary>
    public void Stop(Exception? fault)
    {
        lock (_gate)
        {
            _stopped = true;
            _fault ??= fault is null ? null : $"{fault.GetType().Name}: {fault.Message}";
        }
    }

    public (DateTimeOffset? LastBeat, bool Stopped, string? Fault) Read()
    {
        lock (_gate)
        {
            return (_lastBeat, _stopped, _fault);
        }
    }
}
