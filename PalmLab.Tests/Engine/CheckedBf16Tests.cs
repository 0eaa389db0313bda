using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

/// <summary>Prediction in bf16 checked in fp32 near the threshold (<see cref="Predictor.UseBf16"/>).</summary>
public class CheckedBf16Tests(EnsemblePredictorTests.TwoModels models) : IClassFixture<EnsemblePredictorTests.TwoModels>
{
    private const int Batch = 4;

    [Fact]
    public void Checked_FarFromEveryImage_KeepsBf16sProbabilities()
    {
        using var images = Images();
        using var fp32 = Predictor.Load(models.First, "cpu");
        using var bf16 = Bf16Predictor(models.First);

        var exact = fp32.Probabilities(images, Batch, TestTimeAugmentation.None);
        var (fast, again) = bf16.CheckedBf16Probabilities(images, Batch, TestTimeAugmentation.None, 0.999999);

        Assert.Equal(0, again);
        var largest = exact.Zip(fast).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(largest > 0, "checked bf16 gave fp32's probabilities bit for bit: it did not compute in bf16");
        Assert.True(largest < 0.05, $"bf16 moved a probability by {largest}");
    }

    [Fact]
    public void Checked_ThresholdJustInsideTheMarginOfTheTopLogit_PredictsThatImageAgainAndOnlyIt()
    {
        using var images = Images();
        using var bf16 = Bf16Predictor(models.First);
        var (model, _) = Checkpoint.LoadModel(models.First, CPU);
        using var _ = model;
        model.Precision = Precision.Bf16;
        var logits = Evaluator.Logits(model, images, Batch, CPU).Select(l => (double)l).OrderDescending().ToList();
        Assert.True(logits[0] - logits[1] > 0.01, $"the two top logits are too close for this test: {logits[0]}, {logits[1]}");

        var outside = bf16.CheckedBf16Probabilities(images, Batch, TestTimeAugmentation.None, Sigmoid(logits[0] + Predictor.Bf16LogitMargin + 0.005));
        var inside = bf16.CheckedBf16Probabilities(images, Batch, TestTimeAugmentation.None, Sigmoid(logits[0] + Predictor.Bf16LogitMargin - 0.005));

        Assert.Equal(0, outside.Rechecked);
        Assert.Equal(1, inside.Rechecked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Checked_ThresholdBetweenAnyTwoImages_GivesFp32sLabelsAndItsProbabilitiesNextToTheThreshold(bool ensembleWithFlip)
    {
        using var images = Images();
        string[] paths = ensembleWithFlip ? [models.First, models.Second] : [models.First];
        var tta = ensembleWithFlip ? TestTimeAugmentation.Flip : TestTimeAugmentation.None;
        using var fp32 = Predictor.Load(paths, "cpu");
        using var bf16 = Bf16Predictor(paths);
        var exact = fp32.Probabilities(images, Batch, tta);
        var sorted = exact.Order().ToList();

        for (var k = 1; k < sorted.Count; k++)
        {
            if (sorted[k] - sorted[k - 1] < 1e-5)
            {
                continue; // no threshold between them that fp32's own rounding could not cross
            }
            var threshold = (sorted[k] + sorted[k - 1]) / 2.0;
            var (fast, again) = bf16.CheckedBf16Probabilities(images, Batch, tta, threshold);

            Assert.Equal(exact.Select(p => p >= threshold), fast.Select(p => p >= threshold));
            Assert.InRange(again, 2, exact.Length);
            // The two images next to the threshold lie well within the margin of it: fp32 answered for them.
            foreach (var neighbour in new[] { sorted[k - 1], sorted[k] })
            {
                var i = Array.IndexOf(exact, neighbour);
                Assert.True(Math.Abs(fast[i] - exact[i]) < 1e-5, $"image {i} at threshold {threshold}: {fast[i]} against fp32's {exact[i]}");
            }
        }
    }

    [Fact]
    public void Predict_AfterUseBf16_IsCheckedBf16WithFp32sLabels()
    {
        var files = Enumerable.Range(1, 8).Select(i => Path.Combine(models.Data.ValidDir, $"V{i:D4}.jpg")).ToList();
        using var fp32 = Predictor.Load(models.First, "cpu");
        using var bf16 = Bf16Predictor(models.First);

        var exact = fp32.Predict(files, batchSize: 3);
        var fast = bf16.Predict(files, batchSize: 3);

        Assert.Equal(Precision.Fp32, fp32.Precision);
        Assert.Equal(Precision.Bf16, bf16.Precision);
        Assert.Equal(exact.Select(p => p.Label), fast.Select(p => p.Label));
        Assert.All(exact.Zip(fast), p => Assert.True(Math.Abs(p.First.Probability!.Value - p.Second.Probability!.Value) < 0.05));
    }

    private static Predictor Bf16Predictor(params string[] checkpoints)
    {
        var predictor = Predictor.Load(checkpoints, "cpu");
        Assert.Null(predictor.UseBf16());
        return predictor;
    }

    // 12 images in [-1, 1], in batches of 4: three batches, so the bf16 pass folds its batch norms as Predict's does.
    private Tensor Images()
    {
        manual_seed(21);
        var size = Checkpoint.ReadHeader(models.First).Config.Options.ImageSize;
        return rand(12, 3, size, size) * 2 - 1;
    }

    private static double Sigmoid(double logit) => 1 / (1 + Math.Exp(-logit));
}
