using Microsoft.Extensions.Time.Testing;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web.Components;

public sealed class ProgressMeterTests
{
    private static BatchPoint Point(long step, int epoch) => new(step, epoch, 0.5, 0.001);

    [Fact]
    public void Observe_TenBatchesOfEightInFourSeconds_TwentyImagesASecondAndTheTimeLeftAtThatSpeed()
    {
        var clock = new FakeTimeProvider();
        var meter = new ProgressMeter(clock, epochs: 5, batchesPerEpoch: 10, batchSize: 8);
        meter.Start(Point(12, 2));
        Assert.Equal((2, 2, 12L), (meter.Epoch, meter.Batch, meter.Step));
        Assert.Null(meter.ImagesPerSecond);

        meter.Observe([Point(13, 2)]);
        clock.Advance(TimeSpan.FromSeconds(4));
        meter.Observe([.. Enumerable.Range(14, 10).Select(s => Point(s, s <= 20 ? 2 : 3))]);

        Assert.Equal((3, 3, 23L), (meter.Epoch, meter.Batch, meter.Step));
        Assert.Equal(20, meter.ImagesPerSecond!.Value, 9);
        // 50 steps in all, 27 left, 8 images each at 20 images a second.
        Assert.Equal(TimeSpan.FromSeconds(27 * 8 / 20.0), meter.Remaining);
        Assert.Equal(46, meter.Percent, 9);
    }

    [Fact]
    public void Start_MidRun_EstimatesTheSpeedFromTheStartUntilBatchesAreTimed()
    {
        var clock = new FakeTimeProvider();
        var meter = new ProgressMeter(clock, epochs: 4, batchesPerEpoch: 10, batchSize: 8);

        meter.Start(Point(15, 2), startedAt: clock.GetUtcNow() - TimeSpan.FromSeconds(60));

        // 15 batches of 8 in a minute: 2 images a second, and 25 batches of 8 left at that speed.
        Assert.Equal(2, meter.ImagesPerSecond!.Value, 9);
        Assert.Equal(TimeSpan.FromSeconds(100), meter.Remaining);
        meter.Observe([Point(16, 2)]);
        clock.Advance(TimeSpan.FromSeconds(2));
        meter.Observe([Point(17, 2), Point(18, 2)]);
        Assert.Equal(8, meter.ImagesPerSecond!.Value, 9);
    }

    [Fact]
    public void Observe_AfterAPause_MeasuresOnlyTheLastHalfMinute()
    {
        var clock = new FakeTimeProvider();
        var meter = new ProgressMeter(clock, epochs: 100, batchesPerEpoch: 10, batchSize: 4);
        meter.Observe([Point(1, 1)]);
        clock.Advance(TimeSpan.FromMinutes(5));
        meter.Observe([Point(2, 1)]);
        for (var step = 3; step <= 12; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            meter.Observe([Point(step, 2)]);
        }

        // The five-minute gap has left the window: 10 steps of 4 images in 10 seconds.
        Assert.Equal(4, meter.ImagesPerSecond!.Value, 9);
    }

    [Fact]
    public void Observe_RepeatedOrOldSteps_ChangeNothing()
    {
        var clock = new FakeTimeProvider();
        var meter = new ProgressMeter(clock, epochs: 1, batchesPerEpoch: 10, batchSize: 4);
        meter.Observe([Point(5, 1)]);
        clock.Advance(TimeSpan.FromSeconds(1));

        meter.Observe([Point(4, 1)]);
        meter.Observe([]);

        Assert.Equal(5, meter.Step);
        Assert.Null(meter.Remaining);
    }
}
