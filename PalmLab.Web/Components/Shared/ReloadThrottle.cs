namespace PalmLab.Web.Components.Shared;

/// <summary>
/// A page's live reload: a burst of <see cref="Request"/> calls (run events, from any thread) becomes at most one
/// <paramref name="reload"/> per <paramref name="interval"/> after the last load, and none after
/// <paramref name="cancellationToken"/> (the page's disposal).
/// </summary>
public sealed class ReloadThrottle(TimeProvider time, TimeSpan interval, Func<Task> reload, CancellationToken cancellationToken)
{
    private int _scheduled;
    private DateTimeOffset _lastLoad;

    /// <summary>Tells the throttle that the page has just loaded, so the next reload waits a whole interval.</summary>
    public void Loaded() => _lastLoad = time.GetUtcNow();

    /// <summary>Asks for a reload; one already waiting covers this request too.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = ReloadSoonAsync();
        }
    }

    private async Task ReloadSoonAsync()
    {
        try
        {
            var wait = _lastLoad + interval - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            Volatile.Write(ref _scheduled, 0);
            if (!cancellationToken.IsCancellationRequested)
            {
                await reload();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The page went away between the wait and the reload.
        }
    }
}
