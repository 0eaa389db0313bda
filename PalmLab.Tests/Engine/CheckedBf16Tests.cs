using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
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
    public void Checked_ThresholdJustInsideTheMarginOfTheTopOrBottomLogit_PredictsThatImageAgainAndOnlyIt()
    {
        using var images = Images();
        using var bf16 = Bf16Predictor(models.First);
        var (model, _) = Checkpoint.LoadModel(models.First, CPU);
        using var _ = model;
        model.Precision = Precision.Bf16;
        var logits = Evaluator.Logits(model, images, Batch, CPU).Select(l => (double)l).Order().ToList();
        double bottom = logits[0], top = logits[^1], m = Predictor.Bf16LogitMargin;
        Assert.True(logits[1] - bottom > 0.01 && top - logits[^2] > 0.01, $"the outermost logits are too close to the next for this test: {string.Join(", ", logits)}");
        int Rechecked(double threshold) => bf16.CheckedBf16Probabilities(images, Batch, TestTimeAugmentation.None, threshold).Rechecked;

        // The top image's range reaches up to sigmoid(top + m); the bottom one's down to sigmoid(bottom - m).
        Assert.Equal(0, Rechecked(Sigmoid(top + m + 0.005)));
        Assert.Equal(1, Rechecked(Sigmoid(top + m - 0.005)));
        Assert.Equal(0, Rechecked(Sigmoid(bottom - m - 0.005)));
        Assert.Equal(1, Rechecked(Sigmoid(bottom - m + 0.005)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Checked_ThresholdJustAboveAnImage_GivesFp32sLabelsAndThatImagesFp32Probability(bool ensembleWithFlip)
    {
        using var images = Images();
        string[] paths = ensembleWithFlip ? [models.First, models.Second] : [models.First];
        var tta = ensembleWithFlip ? TestTimeAugmentation.Flip : TestTimeAugmentation.None;
        using var fp32 = Predictor.Load(paths, "cpu");
        using var bf16 = Bf16Predictor(paths);
        var exact = fp32.Probabilities(images, Batch, tta);

        var tried = 0;
        for (var k = 0; k < exact.Length; k++)
        {
            // 1e-4 above image k: bf16 alone could put it on either side; fp32's own rounding (1e-6) cannot, for any image.
            var threshold = exact[k] + 1e-4;
            if (exact.Any(p => Math.Abs(p - threshold) < 1e-5))
            {
                continue;
            }
            tried++;
            var (fast, again) = bf16.CheckedBf16Probabilities(images, Batch, tta, threshold);

            Assert.Equal(exact.Select(p => p >= threshold), fast.Select(p => p >= threshold));
            Assert.InRange(again, 1, exact.Length);
            Assert.True(Math.Abs(fast[k] - exact[k]) < 1e-5, $"image {k} at threshold {threshold}: {fast[k]} against fp32's {exact[k]}: not predicted again in fp32");
        }
        Assert.True(tried >= 6, $"only {tried} of {exact.Length} images had a threshold to try");
    }

    [Fact]
    public void Predict_InPassesOfOneBatch_GivesWhatOnePassGivesAndSkipsAFileThatFailed()
    {
        using var temp = new TempDir();
        var files = Enumerable.Range(1, 8).Select(i => Path.Combine(models.Data.ValidDir, $"V{i:D4}.jpg")).ToList();
        var broken = temp.File("broken.jpg");
        File.WriteAllText(broken, "not an image");
        files.Insert(4, broken);
        using var predictor = Predictor.Load(models.First, "cpu");

        var onePass = predictor.Predict(files, batchSize: 3);
        predictor.MaxDecodedBytes = 1;
        var passes = predictor.Predict(files, batchSize: 3);

        Assert.Equal(files, passes.Select(p => p.Path));
        Assert.Contains("broken.jpg", passes[4].Error);
        Assert.Null(passes[4].Probability);
        Assert.All(onePass.Zip(passes).Where(p => p.First.Error is null), p =>
        {
            Assert.Null(p.Second.Error);
            Assert.Equal(p.First.Label, p.Second.Label);
            Assert.Equal(p.First.Probability!.Value, p.Second.Probability!.Value, 5);
        });
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
