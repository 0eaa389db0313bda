namespace PalmLab.Engine;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread, one report at a time.
/// <see cref="Progress{T}"/> posts to the thread pool instead, so its reports can arrive late and out of order.
/// </summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            handler(value);
        }
    }
}
