using System.Diagnostics;

namespace PalmLab.Tests.Support;

/// <summary>
/// Waits for background work with a deadline. A condition that never comes true fails the test with a message that
/// says what did not happen, instead of hanging the run.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static Task UntilAsync(Func<bool> condition, string failureMessage, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), failureMessage, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string failureMessage, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"{failureMessage} (gave up after {limit.TotalSeconds:0.#} s)");
            }
            await Task.Delay(PollInterval);
        }
    }
}
