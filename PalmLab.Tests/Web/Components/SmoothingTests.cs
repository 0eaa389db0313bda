using PalmLab.Web.Components.Pages.Runs;

namespace PalmLab.Tests.Web.Components;

public sealed class SmoothingTests
{
    [Fact]
    public void Ema_KnownSequence_GivesTensorBoardsDebiasedValues()
    {
        // By hand with TensorBoard's formula: last = last * w + (1 - w) * v, shown as last / (1 - w^n).
        var smoothed = Smoothing.Ema([1, 2, 3], 0.5);

        Assert.Equal([1.0, 2.0 / 1.2, 2.125 / 0.875], smoothed, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Ema_WeightZero_ReturnsTheValues()
    {
        Assert.Equal([3.0, 1.0, 2.0], Smoothing.Ema([3, 1, 2], 0));
    }

    [Fact]
    public void Ema_ConstantOrNonFiniteValues_PassThrough()
    {
        Assert.Equal([2.0, 2.0, 2.0], Smoothing.Ema([2, 2, 2], 0.9));
        var smoothed = Smoothing.Ema([1, double.NaN, 1], 0.6);
        Assert.True(double.IsNaN(smoothed[1]));
        Assert.Equal(1.0, smoothed[2], 12);
    }
}
