namespace PalmLab.Web.Security;

/// <summary>
/// Slows password guessing: a client address gets at most <see cref="MaxFailures"/> guesses within
/// <see cref="Window"/>, and every failed one answers after <see cref="FailureDelay"/>. A guess is counted when it is
/// let in, before its password is checked, in the same step that checks the limit: parallel sign-ins cannot all pass
/// the check before any of them is counted. A success clears the address's count.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);

    // Beyond this many addresses, expired entries are swept on the next attempt, so a scan cannot grow it forever.
    private const int SweepAbove = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>
    /// Lets one sign-in attempt from <paramref name="client"/> in and counts it, or refuses it: zero when it may check
    /// its password now, else how long the address must wait. Call <see cref="Succeeded"/> when the password matched,
    /// <see cref="FailedAsync"/> when it did not.
    /// </summary>
    public TimeSpan TryAttempt(string client)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_failures.TryGetValue(client, out var failures) && now - failures.Since < Window)
            {
                if (failures.Count >= MaxFailures)
                {
                    return failures.Since + Window - now;
                }
                _failures[client] = failures with { Count = failures.Count + 1 };
                return TimeSpan.Zero;
            }
            _failures[client] = new Failures(1, now);
            if (_failures.Count > SweepAbove)
            {
                foreach (var stale in _failures.Where(f => now - f.Value.Since >= Window).Select(f => f.Key).ToList())
                {
                    _failures.Remove(stale);
                }
            }
            return TimeSpan.Zero;
        }
    }

    /// <summary>How long the address must wait before it may try again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(string client)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(client, out var failures))
            {
                return TimeSpan.Zero;
            }
            var left = failures.Since + Window - time.GetUtcNow();
            return failures.Count >= MaxFailures && left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>A counted attempt's password did not match: waits <see cref="FailureDelay"/> before the answer goes out.</summary>
    public Task FailedAsync(CancellationToken cancellationToken) => Task.Delay(FailureDelay, time, cancellationToken);

    public void Succeeded(string client)
    {
        lock (_lock)
        {
            _failures.Remove(client);
        }
    }

    private sealed record Failures(int Count, DateTimeOffset Since);
}
