using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine;

public class LrScheduleTests
{
    private static readonly TrainingOptions WholeRun = new() { DecaySteps = null };

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(400)]
    public void Polynomial_ReferencePreset_DecaysOver102Point5StepsThenHolds(long step)
    {
        // The course: PolynomialDecay(0.005, decay_steps=(400 // 10 + 1) * 2.5, end_lr=0.001, power=1), cycle off.
        var decaySteps = (400 / 10 + 1) * 2.5;
        var expected = (0.005 - 0.001) * Math.Pow(1 - Math.Min(step, decaySteps) / decaySteps, 1) + 0.001;

        Assert.Equal(102.5, TrainingPresets.Reference.DecaySteps);
        Assert.Equal(expected, LrSchedule.At(TrainingPresets.Reference, step, totalSteps: 400), 12);
    }

    [Fact]
    public void Polynomial_ReferencePreset_KnownValues()
    {
        Assert.Equal(0.005, LrSchedule.At(TrainingPresets.Reference, 0, 400), 12);
        Assert.Equal(0.001 + 0.004 * (62.5 / 102.5), LrSchedule.At(TrainingPresets.Reference, 40, 400), 12);
        Assert.Equal(0.001 + 0.004 * (0.5 / 102.5), LrSchedule.At(TrainingPresets.Reference, 102, 400), 12);
        Assert.Equal(0.001, LrSchedule.At(TrainingPresets.Reference, 103, 400), 12);
        Assert.Equal(0.001, LrSchedule.At(TrainingPresets.Reference, 400, 400), 12);
    }

    [Theory]
    [InlineData(0, 0.005)]
    [InlineData(25, 0.004)]
    [InlineData(50, 0.003)]
    [InlineData(99, 0.00104)]
    [InlineData(100, 0.001)]
    [InlineData(150, 0.001)]
    public void Polynomial_NoDecaySteps_DecaysOverTheWholeRun(long step, double expected)
    {
        // (0.005 - 0.001) * (1 - step / 100) ^ 1 + 0.001, held at the end rate after the decay steps.
        Assert.Equal(expected, LrSchedule.At(WholeRun, step, totalSteps: 100), 12);
    }

    [Fact]
    public void Polynomial_PowerTwoAndDecaySteps_FollowsFormula()
    {
        var options = WholeRun with { Power = 2, DecaySteps = 40 };

        Assert.Equal((0.005 - 0.001) * Math.Pow(1 - 10 / 40.0, 2) + 0.001, LrSchedule.At(options, 10, totalSteps: 1000), 12);
        Assert.Equal(0.001, LrSchedule.At(options, 40, totalSteps: 1000), 12);
    }

    [Fact]
    public void Cosine_StartMiddleEnd_AreStartMeanEnd()
    {
        var options = WholeRun with { Schedule = LrScheduleKind.Cosine };

        Assert.Equal(0.005, LrSchedule.At(options, 0, 100), 12);
        Assert.Equal(0.003, LrSchedule.At(options, 50, 100), 12);
        Assert.Equal(0.001, LrSchedule.At(options, 100, 100), 12);
    }

    [Fact]
    public void Step_EveryStepSize_MultipliesByGamma()
    {
        var options = WholeRun with { Schedule = LrScheduleKind.Step, StepSize = 10, Gamma = 0.5 };

        Assert.Equal(0.005, LrSchedule.At(options, 9, 100), 12);
        Assert.Equal(0.0025, LrSchedule.At(options, 10, 100), 12);
        Assert.Equal(0.00125, LrSchedule.At(options, 25, 100), 12);
    }

    [Fact]
    public void Warmup_FirstSteps_RiseLinearlyToTheSchedule()
    {
        var options = WholeRun with { Schedule = LrScheduleKind.Constant, WarmupSteps = 4 };

        Assert.Equal(0.00125, LrSchedule.At(options, 0, 100), 12);
        Assert.Equal(0.0025, LrSchedule.At(options, 1, 100), 12);
        Assert.Equal(0.005, LrSchedule.At(options, 3, 100), 12);
        Assert.Equal(0.005, LrSchedule.At(options, 4, 100), 12);
    }
}
