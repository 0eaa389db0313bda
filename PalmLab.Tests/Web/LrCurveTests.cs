using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.NewRun;

namespace PalmLab.Tests.Web;

public sealed class LrCurveTests
{
    [Theory]
    [InlineData(16, 4, 1, 4)]
    // 17 images in batches of 4 leave a last batch of one, which the trainer merges: 4 steps an epoch, not 5.
    [InlineData(17, 4, 3, 12)]
    [InlineData(18, 4, 2, 10)]
    [InlineData(0, 4, 2, 0)]
    public void TotalSteps_ImagesAndBatchSize_CountsTheTrainersBatches(int images, int batchSize, int epochs, long expected)
    {
        var options = new TrainingOptions { BatchSize = batchSize, Epochs = epochs };

        Assert.Equal(expected, LrCurve.TotalSteps(options, images));
    }

    [Fact]
    public void Points_FewSteps_IsEveryStepFromOne()
    {
        var options = TrainingPresets.Reference;

        var points = LrCurve.Points(options, 410);

        Assert.Equal(Enumerable.Range(1, 410).Select(s => (double)s), points.Select(p => p.X));
        // The reference recipe: polynomial from 0.005, 0.001 from step 102.5 on.
        Assert.Equal(0.005, points[0].Y);
        Assert.Equal(0.001, points[103].Y, 12);
        Assert.Equal(0.001, points[^1].Y, 12);
    }

    [Fact]
    public void Points_MillionsOfSteps_KeepsAtMostTheCapWithTheWarmupAndEveryDropExact()
    {
        var options = new TrainingOptions { Schedule = LrScheduleKind.Step, StepSize = 1_000_000, Gamma = 0.5, WarmupSteps = 1000, LearningRate = 0.1 };
        const long steps = 5_000_000;

        var points = LrCurve.Points(options, steps);

        Assert.InRange(points.Count, 100, LrCurve.MaxPoints);
        Assert.Equal(1, points[0].X);
        Assert.Equal(steps, points[^1].X);
        var byStep = points.ToDictionary(p => (long)p.X, p => p.Y);
        // The warm-up's peak and both sides of each drop are drawn, so the chart shows the corners where they are.
        Assert.Equal(0.1, byStep[1000], 12);
        Assert.Equal(0.1, byStep[1_000_000], 12);
        Assert.Equal(0.05, byStep[1_000_001], 12);
        Assert.Equal(0.1 * Math.Pow(0.5, 4), byStep[4_000_001], 12);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.Second.X > p.First.X), "steps are not in increasing order");
    }

    [Fact]
    public void Points_StepScheduleWithADropEveryStep_StaysWithinTheCap()
    {
        var options = new TrainingOptions { Schedule = LrScheduleKind.Step, StepSize = 1, Gamma = 0.999 };

        Assert.InRange(LrCurve.Points(options, 10_000_000).Count, 1, LrCurve.MaxPoints);
    }
}
