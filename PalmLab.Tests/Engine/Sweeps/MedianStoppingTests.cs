using PalmLab.Engine.Sweeps;

namespace PalmLab.Tests.Engine.Sweeps;

public class MedianStoppingTests
{
    // Made-up AUC curves of three completed trials, epochs 1 to 4.
    private static readonly IReadOnlyDictionary<SweepPoint, double>[] Completed =
    [
        Curve(0.60, 0.70, 0.80, 0.85),
        Curve(0.55, 0.65, 0.75, 0.90),
        Curve(0.50, 0.60, 0.70, 0.80),
    ];

    [Theory]
    [InlineData(2, 0.64, true)]  // the median at epoch 2 is 0.65
    [InlineData(2, 0.65, false)] // equal to the median is not below it
    [InlineData(2, 0.66, false)]
    [InlineData(4, 0.851, false)] // the median at epoch 4 is 0.85
    [InlineData(4, 0.84, true)]
    public void ShouldStop_AfterMinEpochs_StopsOnlyStrictlyBelowTheMedianAtThatEpoch(int epoch, double value, bool stop)
    {
        Assert.Equal(stop, new MedianStopping(MinEpochs: 2).ShouldStop(Completed, new SweepPoint(0, epoch), value));
    }

    [Fact]
    public void ShouldStop_BeforeMinEpochs_NeverStops()
    {
        var rule = new MedianStopping(MinEpochs: 3);

        Assert.False(rule.ShouldStop(Completed, new SweepPoint(0, 1), 0.0));
        Assert.False(rule.ShouldStop(Completed, new SweepPoint(0, 2), 0.0));
        Assert.True(rule.ShouldStop(Completed, new SweepPoint(0, 3), 0.0));
    }

    [Fact]
    public void ShouldStop_FewerCompletedTrialsThanTheMinimum_NeverStops()
    {
        var rule = new MedianStopping(MinEpochs: 1, MinCompletedTrials: 3);

        Assert.False(rule.ShouldStop(Completed[..2], new SweepPoint(0, 2), 0.0));
        Assert.True(rule.ShouldStop(Completed, new SweepPoint(0, 2), 0.0));
    }

    [Fact]
    public void ShouldStop_EvenCount_ComparesWithTheMeanOfTheMiddleTwo()
    {
        var rule = new MedianStopping(MinEpochs: 1, MinCompletedTrials: 2);
        var two = Completed[..2]; // epoch 3: 0.80 and 0.75, median 0.775

        Assert.True(rule.ShouldStop(two, new SweepPoint(0, 3), 0.774));
        Assert.False(rule.ShouldStop(two, new SweepPoint(0, 3), 0.776));
    }

    [Fact]
    public void ShouldStop_CompletedTrialsWithoutThatPoint_DoNotCount()
    {
        // Shorter completed trials (fewer epochs) have no value at epoch 4; only one trial does.
        var rule = new MedianStopping(MinEpochs: 1, MinCompletedTrials: 2);
        IReadOnlyDictionary<SweepPoint, double>[] mixed = [Curve(0.6, 0.7), Curve(0.5, 0.6), Curve(0.5, 0.6, 0.7, 0.9)];

        Assert.False(rule.ShouldStop(mixed, new SweepPoint(0, 4), 0.1));
        Assert.True(rule.ShouldStop(mixed, new SweepPoint(0, 2), 0.55));
    }

    [Fact]
    public void ShouldStop_CrossValidatedCurves_ComparesTheSameFoldAndEpoch()
    {
        var rule = new MedianStopping(MinEpochs: 2, MinCompletedTrials: 2);
        var fold2Strong = new Dictionary<SweepPoint, double> { [new(1, 2)] = 0.6, [new(2, 2)] = 0.9 };
        var fold2Weak = new Dictionary<SweepPoint, double> { [new(1, 2)] = 0.6, [new(2, 2)] = 0.8 };
        IReadOnlyDictionary<SweepPoint, double>[] completed = [fold2Strong, fold2Weak];

        // 0.7 beats fold 1's median (0.6) but not fold 2's (0.85).
        Assert.False(rule.ShouldStop(completed, new SweepPoint(1, 2), 0.7));
        Assert.True(rule.ShouldStop(completed, new SweepPoint(2, 2), 0.7));
        // Epoch 1 of fold 2 is before MinEpochs within that fold.
        Assert.False(rule.ShouldStop(completed, new SweepPoint(2, 1), 0.0));
    }

    [Fact]
    public void Median_HandComputed()
    {
        Assert.Equal(2, MedianStopping.Median([3, 1, 2]));
        Assert.Equal(2.5, MedianStopping.Median([4, 1, 3, 2]));
        Assert.Equal(7, MedianStopping.Median([7]));
    }

    private static Dictionary<SweepPoint, double> Curve(params double[] values) =>
        values.Select((v, i) => (v, i)).ToDictionary(p => new SweepPoint(0, p.i + 1), p => p.v);
}
