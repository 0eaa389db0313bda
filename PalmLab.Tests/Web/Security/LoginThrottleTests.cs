using Microsoft.Extensions.Time.Testing;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Web.Security;

public class LoginThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Failed_AnswersOnlyAfterTheDelay()
    {
        var throttle = new LoginThrottle(_time);

        Assert.Equal(TimeSpan.Zero, throttle.TryAttempt("10.0.0.1"));
        var failed = throttle.FailedAsync(CancellationToken.None);
        _time.Advance(LoginThrottle.FailureDelay - TimeSpan.FromMilliseconds(1));
        Assert.False(failed.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await failed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RetryAfter_MaxFailuresFromOneAddress_LocksItOutForTheWindowOnly()
    {
        var throttle = new LoginThrottle(_time);
        for (var i = 0; i < LoginThrottle.MaxFailures - 1; i++)
        {
            await FailAsync(throttle, "10.0.0.1");
        }
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("10.0.0.1"));

        await FailAsync(throttle, "10.0.0.1");

        Assert.True(throttle.RetryAfter("10.0.0.1") > TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("10.0.0.2"));
        _time.Advance(LoginThrottle.Window);
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("10.0.0.1"));
    }

    [Fact]
    public async Task Succeeded_ClearsTheAddressesFailures()
    {
        var throttle = new LoginThrottle(_time);
        for (var i = 0; i < LoginThrottle.MaxFailures - 1; i++)
        {
            await FailAsync(throttle, "10.0.0.1");
        }

        throttle.Succeeded("10.0.0.1");
        await FailAsync(throttle, "10.0.0.1");

        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("10.0.0.1"));
    }

    [Fact]
    public async Task TryAttempt_FiftyParallelGuessesFromOneAddress_LetsExactlyMaxFailuresIn()
    {
        var throttle = new LoginThrottle(_time);
        const int guesses = 50;
        using var start = new Barrier(guesses);
        var allowed = 0;

        // One thread per guess, released together, as 50 parallel sign-in requests reach the page.
        var threads = Enumerable.Range(0, guesses).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            if (throttle.TryAttempt("10.0.0.1") == TimeSpan.Zero)
            {
                Interlocked.Increment(ref allowed);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        foreach (var thread in threads)
        {
            Assert.True(await Task.Run(() => thread.Join(TimeSpan.FromSeconds(30))), "a guess did not finish within 30 s");
        }

        Assert.Equal(LoginThrottle.MaxFailures, allowed);
        Assert.True(throttle.TryAttempt("10.0.0.1") > TimeSpan.FromMinutes(9));
    }

    [Fact]
    public void TryAttempt_AfterTheWindow_LetsTheAddressInAgain()
    {
        var throttle = new LoginThrottle(_time);
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            Assert.Equal(TimeSpan.Zero, throttle.TryAttempt("10.0.0.1"));
        }
        Assert.NotEqual(TimeSpan.Zero, throttle.TryAttempt("10.0.0.1"));

        _time.Advance(LoginThrottle.Window);

        Assert.Equal(TimeSpan.Zero, throttle.TryAttempt("10.0.0.1"));
    }

    private async Task FailAsync(LoginThrottle throttle, string client)
    {
        Assert.Equal(TimeSpan.Zero, throttle.TryAttempt(client));
        var failed = throttle.FailedAsync(CancellationToken.None);
        _time.Advance(LoginThrottle.FailureDelay);
        await failed.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
