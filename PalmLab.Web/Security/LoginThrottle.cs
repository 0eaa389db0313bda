using System.Collections.Concurrent;

namespace PalmLab.Web.Security;

/// <summary>
/// Slows password guessing: every failed sign-in answers after <see cref="FailureDelay"/>, and a client address with
/// <see cref="MaxFailures"/> failures within <see cref="Window"/> is turned away, without its password being checked,
/// until that window has passed. A success clears the address's count.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);

    // Beyond this many addresses, expired entries are swept on the next failure, so a scan cannot grow it forever.
    private const int SweepAbove = 1000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new();

    /// <summary>How long the address must wait before it may try again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(string client)
    {
        if (!_failures.TryGetValue(client, out var failures))
        {
            return TimeSpan.Zero;
        }
        var left = failures.Since + Window - time.GetUtcNow();
        return failures.Count >= MaxFailures && left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Counts a failed sign-in and waits <see cref="FailureDelay"/> before the answer goes out.</summary>
    public async Task FailedAsync(string client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(client, _ => new Failures(1, now),
            (_, old) => now - old.Since >= Window ? new Failures(1, now) : old with { Count = old.Count + 1 });
        if (_failures.Count > SweepAbove)
        {
            foreach (var (key, failures) in _failures)
            {
                if (now - failures.Since >= Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
        await Task.Delay(FailureDelay, time, cancellationToken);
    }

    public void Succeeded(string client) => _failures.TryRemove(client, out _);

    private sealed record Failures(int Count, DateTimeOffset Since);
}
