using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine;

public class LrScheduleTests
{
    private static readonly TrainingConfig Reference = new();

    [Theory]
    [InlineData(0, 0.005)]
    [InlineData(25, 0.004)]
    [InlineData(50, 0.003)]
    [InlineData(99, 0.00104)]
    [InlineData(100, 0.001)]
    [InlineData(150, 0.001)]
    public void Polynomial_Reference_FollowsPaddleFormula(long step, double expected)
    {
        // (0.005 - 0.001) * (1 - step / 100) ^ 1 + 0.001, held at the end rate after the decay steps.
        Assert.Equal(expected, LrSchedule.At(Reference, step, totalSteps: 100), 12);
    }

    [Fact]
    public void Polynomial_PowerTwoAndDecaySteps_FollowsFormula()
    {
        var config = Reference with { Power = 2, DecaySteps = 40 };

        Assert.Equal((0.005 - 0.001) * Math.Pow(1 - 10 / 40.0, 2) + 0.001, LrSchedule.At(config, 10, totalSteps: 1000), 12);
        Assert.Equal(0.001, LrSchedule.At(config, 40, totalSteps: 1000), 12);
    }

    [Fact]
    public void Cosine_StartMiddleEnd_AreStartMeanEnd()
    {
        var config = Reference with { Schedule = LrScheduleKind.Cosine };

        Assert.Equal(0.005, LrSchedule.At(config, 0, 100), 12);
        Assert.Equal(0.003, LrSchedule.At(config, 50, 100), 12);
        Assert.Equal(0.001, LrSchedule.At(config, 100, 100), 12);
    }

    [Fact]
    public void Step_EveryStepSize_MultipliesByGamma()
    {
        var config = Reference with { Schedule = LrScheduleKind.Step, StepSize = 10, Gamma = 0.5 };

        Assert.Equal(0.005, LrSchedule.At(config, 9, 100), 12);
        Assert.Equal(0.0025, LrSchedule.At(config, 10, 100), 12);
        Assert.Equal(0.00125, LrSchedule.At(config, 25, 100), 12);
    }

    [Fact]
    public void Warmup_FirstSteps_RiseLinearlyToTheSchedule()
    {
        var config = Reference with { Schedule = LrScheduleKind.Constant, WarmupSteps = 4 };

        Assert.Equal(0.00125, LrSchedule.At(config, 0, 100), 12);
        Assert.Equal(0.0025, LrSchedule.At(config, 1, 100), 12);
        Assert.Equal(0.005, LrSchedule.At(config, 3, 100), 12);
        Assert.Equal(0.005, LrSchedule.At(config, 4, 100), 12);
    }
}
