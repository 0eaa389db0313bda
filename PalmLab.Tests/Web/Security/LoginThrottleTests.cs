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

        var failed = throttle.FailedAsync("10.0.0.1", CancellationToken.None);
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

    private async Task FailAsync(LoginThrottle throttle, string client)
    {
        var failed = throttle.FailedAsync(client, CancellationToken.None);
        _time.Advance(LoginThrottle.FailureDelay);
        await failed.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
