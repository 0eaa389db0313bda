namespace PalmLab.Cli.Jobs;

/// <summary>
/// How long a job waits before it tries an unreachable dashboard again: 1 s, then twice as long each time, up to
/// <see cref="Max"/>. The cap is short because a restarted dashboard is usually back within seconds, and the job
/// learns it only at its next try; a try costs one refused connection.
/// </summary>
public sealed class ReconnectPause
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private TimeSpan _next = First;

    /// <summary>The pause before the next try, and the one after it grows.</summary>
    public TimeSpan Next()
    {
        var pause = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return pause;
    }

    /// <summary>The dashboard answered: the next outage starts again from <see cref="First"/>.</summary>
    public void Reset() => _next = First;
}
