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

    [Fact]
    public void Observe_SecondFoldOfThree_CountsTheTimeLeftOverEveryFold()
    {
        var clock = new FakeTimeProvider();
        // 3 folds of 2 epochs of 10 batches: 60 steps; step 25 is fold 2's epoch 1, batch 5.
        var meter = new ProgressMeter(clock, epochs: 2, batchesPerEpoch: 10, batchSize: 8, folds: 3);
        meter.Start(new BatchPoint(20, 2, 0.5, 0.001, Fold: 1));

        meter.Observe([new BatchPoint(21, 1, 0.5, 0.001, Fold: 2)]);
        clock.Advance(TimeSpan.FromSeconds(4));
        meter.Observe([.. Enumerable.Range(22, 4).Select(s => new BatchPoint(s, 1, 0.5, 0.001, Fold: 2))]);

        Assert.Equal((2, 1, 5, 25L), (meter.Fold, meter.Epoch, meter.Batch, meter.Step));
        // 4 batches of 8 in 4 s: 8 images a second; 35 steps of 8 left.
        Assert.Equal(TimeSpan.FromSeconds(35 * 8 / 8.0), meter.Remaining);
        Assert.Equal(100.0 * 25 / 60, meter.Percent, 9);
    }

    [Fact]
    public void RunningProgressAt_CrossValidatedRun_NamesTheFoldAndTheEpochWithinIt()
    {
        var dataSet = new PalmLab.Web.Data.DataSet { Name = "d", Path = "/d", TrainDir = "/d/t", TrainImages = 20 };
        var run = new PalmLab.Web.Data.Run
        {
            Name = "cv", DataSet = dataSet, StartedAt = DateTimeOffset.UnixEpoch,
            Options = PalmLab.Engine.Training.TrainingPresets.Quick with { Epochs = 3, Folds = 2, Holdout = null, BatchSize = 4 },
        };

        // 2 folds of 10 training images in batches of 4: 3 steps an epoch, 18 in all; step 10 is fold 2, epoch 1, batch 1.
        var progress = RunningProgress.At(run, 10, DateTimeOffset.UnixEpoch.AddSeconds(100));

        Assert.Equal((2, 1, 1, 3), (progress.Fold!.Value, progress.Epoch, progress.Batch, progress.BatchesPerEpoch));
        Assert.Equal(100.0 * 10 / 18, progress.Percent, 9);
        Assert.Equal(TimeSpan.FromSeconds(80), progress.Remaining);
    }
}
