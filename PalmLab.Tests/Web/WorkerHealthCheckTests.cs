using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Web.Health;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public class WorkerHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly WorkerHeartbeat _heartbeat;
    private readonly WorkerHealthCheck _check;

    public WorkerHealthCheckTests()
    {
        _heartbeat = new WorkerHeartbeat(_time);
        _check = new WorkerHealthCheck(_heartbeat, new LiveRuns(), _time);
    }

    [Fact]
    public async Task CheckHealth_BeatWithin30Seconds_IsHealthy()
    {
        _heartbeat.Beat();
        _time.Advance(TimeSpan.FromSeconds(29));

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(0, result.Data["activeRuns"]);
        Assert.Equal(29.0, result.Data["secondsSinceLastBeat"]);
    }

    [Fact]
    public async Task CheckHealth_LastBeatOlderThan30Seconds_IsUnhealthy()
    {
        _heartbeat.Beat();
        _time.Advance(TimeSpan.FromSeconds(31));

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("30 s", result.Description);
    }

    [Fact]
    public async Task CheckHealth_NeverBeaten_IsUnhealthy()
    {
        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not started", result.Description);
    }

    [Fact]
    public async Task CheckHealth_StoppedAfterAnError_IsUnhealthyWithTheErrorEvenIfBeatenAfterwards()
    {
        _heartbeat.Beat();
        _heartbeat.Stop(new InvalidOperationException("the queue broke"));
        _heartbeat.Beat();

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("the queue broke", result.Description);
    }
}
