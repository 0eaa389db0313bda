using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PalmLab.Tests.Engine;

public class EnsemblePredictorTests(EnsemblePredictorTests.TwoModels models) : IClassFixture<EnsemblePredictorTests.TwoModels>
{
    [Fact]
    public void Predict_EnsembleOfTwo_GivesTheMeanOfEachModelsOwnProbability()
    {
        var files = Enumerable.Range(1, 8).Select(i => Path.Combine(models.Data.ValidDir, $"V{i:D4}.jpg")).ToList();
        using var first = Predictor.Load(models.First, "cpu");
        using var second = Predictor.Load(models.Second, "cpu");
        using var ensemble = Predictor.Load([models.First, models.Second], "cpu");

        var a = first.Predict(files);
        var b = second.Predict(files);
        var both = ensemble.Predict(files, batchSize: 3);

        // The members really differ, so the mean is not either of them.
        Assert.Contains(Enumerable.Range(0, 8), i => Math.Abs(a[i].Probability!.Value - b[i].Probability!.Value) > 1e-4);
        for (var i = 0; i < files.Count; i++)
        {
            Assert.Equal((a[i].Probability!.Value + b[i].Probability!.Value) / 2, both[i].Probability!.Value, 5);
            Assert.Equal(both[i].Probability >= 0.5f ? 1 : 0, both[i].Label);
        }
        Assert.Equal([models.First, models.Second], ensemble.Members.Select(m => m.Path));
        var upload = File.ReadAllBytes(files[0]);
        Assert.Equal(both[0].Probability!.Value, ensemble.Predict(upload, "upload.jpg").Probability!.Value, 6);
    }

    [Fact]
    public void Predict_FlipTta_IsTheMeanOfTheImageAndItsMirrorAndTheSameForBoth()
    {
        var (image, mirror) = ImageAndMirror();
        using var predictor = Predictor.Load(models.First, "cpu");

        var plain = predictor.Predict(image, "image.png").Probability!.Value;
        var mirrored = predictor.Predict(mirror, "mirror.png").Probability!.Value;
        var tta = predictor.Predict(image, "image.png", TestTimeAugmentation.Flip).Probability!.Value;
        var ttaOfMirror = predictor.Predict(mirror, "mirror.png", TestTimeAugmentation.Flip).Probability!.Value;

        Assert.NotEqual(plain, mirrored);
        Assert.Equal((plain + mirrored) / 2, tta, 5);
        Assert.Equal(tta, ttaOfMirror, 5);
    }

    [Fact]
    public void Predict_EnsembleWithFlipTta_AveragesEachMembersFlippedProbability()
    {
        var (image, _) = ImageAndMirror();
        using var first = Predictor.Load(models.First, "cpu");
        using var second = Predictor.Load(models.Second, "cpu");
        using var ensemble = Predictor.Load([models.First, models.Second], "cpu");

        var expected = (first.Predict(image, "i.png", TestTimeAugmentation.Flip).Probability!.Value
            + second.Predict(image, "i.png", TestTimeAugmentation.Flip).Probability!.Value) / 2;

        Assert.Equal(expected, ensemble.Predict(image, "i.png", TestTimeAugmentation.Flip).Probability!.Value, 5);
    }

    [Fact]
    public void Explain_Ensemble_GivesTheEnsemblesProbabilityAndTheMeanOfTheMembersMapsOfTheEnsemblesClass()
    {
        var (image, _) = ImageAndMirror();
        using var first = Predictor.Load(models.First, "cpu");
        using var second = Predictor.Load(models.Second, "cpu");
        using var ensemble = Predictor.Load([models.First, models.Second], "cpu");

        var explanation = ensemble.Explain(image, "i.png");
        // The class is the ensemble's (its mean probability at the threshold), whatever each member would call the image.
        var a = first.Explain(image, "i.png").MapOf(explanation.ExplainedLabel);
        var b = second.Explain(image, "i.png").MapOf(explanation.ExplainedLabel);

        Assert.Equal(ensemble.Predict(image, "i.png").Probability!.Value, explanation.Prediction.Probability!.Value, 5);
        Assert.Equal(ensemble.Predict(image, "i.png").Label, explanation.ExplainedLabel);
        var mean = a.Select((v, i) => v + b[i]).ToArray();
        var max = mean.Max();
        Assert.True(max > 0, "both members' maps are empty");
        Assert.Equal(mean.Select(v => v / max), explanation.HeatMap, (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Fact]
    public void Explain_FlipTta_GivesTheFlippedProbabilityAndAMapThatMirrorsWithTheImage()
    {
        var (image, mirror) = ImageAndMirror();
        using var predictor = Predictor.Load(models.First, "cpu");

        var explanation = predictor.Explain(image, "i.png", TestTimeAugmentation.Flip);
        var ofMirror = predictor.Explain(mirror, "m.png", TestTimeAugmentation.Flip);

        Assert.Equal(predictor.Predict(image, "i.png", TestTimeAugmentation.Flip).Probability!.Value, explanation.Prediction.Probability!.Value, 5);
        var size = explanation.Size;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                Assert.Equal(explanation.HeatMap[y * size + x], ofMirror.HeatMap[y * size + size - 1 - x], 4);
            }
        }
    }

    [Fact]
    public void Evaluate_Ensemble_ScoresTheMeanProbabilityAndEachMember()
    {
        using var ensemble = Predictor.Load([models.First, models.Second], "cpu");
        var images = DatasetReader.ReadValidationFolder(models.Data.ValidDir, null).Images;
        using var set = ImageTensorSet.Load(images, ensemble.ImageSize, "validation");

        var evaluation = ensemble.Evaluate(set, 4, 0.5, TestTimeAugmentation.None);

        Assert.Equal(2, evaluation.Members.Count);
        var mean = evaluation.Members[0].Probabilities.Select((p, i) => (p + evaluation.Members[1].Probabilities[i]) / 2).ToArray();
        Assert.Equal(mean, evaluation.Ensemble.Probabilities, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(BinaryMetrics.Compute(evaluation.Ensemble.Probabilities, set.Items.Select(i => i.Label).ToArray(), 0.5).Accuracy, evaluation.Ensemble.Metrics.Accuracy);
        var labels = set.Items.Select(i => i.Label).ToArray();
        var loss = mean.Select((p, i) => labels[i] == 1 ? -Math.Log(p) : -Math.Log(1 - p)).Average();
        Assert.Equal(loss, evaluation.Ensemble.Loss, 5);
    }

    [Fact]
    public void Load_CheckpointsOfTwoImageSizes_IsRefusedNamingBoth()
    {
        using var temp = new TempDir();
        var other = temp.File("size64.ckpt");
        var header = Checkpoint.ReadHeader(models.First);
        using (var model = new ResNet(18))
        {
            Checkpoint.Save(other, header with { Config = header.Config with { Options = header.Config.Options with { ImageSize = 64 } } }, model, null);
        }

        var error = Assert.Throws<PalmLabException>(() => Predictor.Load([models.First, other], "cpu"));

        Assert.Contains(models.First, error.Message);
        Assert.Contains(other, error.Message);
        Assert.Contains("32 px", error.Message);
        Assert.Contains("64 px", error.Message);
    }

    [Fact]
    public void CheckpointSet_CrossValidationFolder_GivesEachFoldsBestInOrderOrSaysWhatIsMissing()
    {
        using var temp = new TempDir();
        foreach (var (fold, source) in new[] { (1, models.First), (2, models.Second) })
        {
            File.Copy(source, Path.Combine(temp.Sub($"fold-{fold}"), "best.ckpt"));
        }

        var set = CheckpointSet.Resolve([temp.Path]);

        Assert.Equal([Path.Combine(temp.Path, "fold-1", "best.ckpt"), Path.Combine(temp.Path, "fold-2", "best.ckpt")], set.Paths);
        Assert.Equal("ensemble of 2 fold models (best), tta flip", set.Describe(TestTimeAugmentation.Flip));
        Assert.Equal("single model, tta none", CheckpointSet.Resolve([models.First]).Describe(TestTimeAugmentation.None));
        Assert.Contains("fold-1/last.ckpt does not exist", Assert.Throws<PalmLabException>(() => CheckpointSet.FromCrossValidation(temp.Path, "last")).Message);
        Assert.Contains("not the output of a cross-validation", Assert.Throws<PalmLabException>(() => CheckpointSet.Resolve([temp.Sub("fold-1")])).Message);
        Directory.CreateDirectory(Path.Combine(temp.Path, "fold-4"));
        Assert.Contains("no fold-3/", Assert.Throws<PalmLabException>(() => CheckpointSet.Resolve([temp.Path])).Message);
    }

    [Theory]
    [InlineData("flip", TestTimeAugmentation.Flip)]
    [InlineData(" NONE ", TestTimeAugmentation.None)]
    [InlineData("", TestTimeAugmentation.None)]
    public void Parse_KnownTta_GivesIt(string text, TestTimeAugmentation expected) => Assert.Equal(expected, TestTimeAugmentations.Parse(text, "--tta"));

    [Fact]
    public void Parse_UnknownTta_NamesTheOptionAndTheChoices()
    {
        Assert.Equal("--tta: must be none or flip, not 'rotate'.", Assert.Throws<PalmLabException>(() => TestTimeAugmentations.Parse("rotate", "--tta")).Message);
    }

    // A validation image (40 px, so decoding resizes it) as a lossless PNG, and the same picture mirrored left to right.
    private (byte[] Image, byte[] Mirror) ImageAndMirror()
    {
        using var image = Image.Load<Rgb24>(Path.Combine(models.Data.ValidDir, "V0003.jpg"));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        using var mirrorStream = new MemoryStream();
        image.Mutate(x => x.Flip(FlipMode.Horizontal));
        image.SaveAsPng(mirrorStream);
        return (stream.ToArray(), mirrorStream.ToArray());
    }

    /// <summary>
    /// Two tiny ResNet-18s trained for one epoch with different seeds on <see cref="TrainingFixture"/>'s images, at a small
    /// learning rate so that their probabilities stay away from 0 and 1 and differ between images.
    /// </summary>
    public sealed class TwoModels : IDisposable
    {
        public TwoModels()
        {
            First = Trainer.Run(Data.Config.With(o => o with { Epochs = 1, Seed = 1, LearningRate = 1e-4, EndLearningRate = 1e-5 }), Data.NewOutputDir()).LastCheckpoint;
            Second = Trainer.Run(Data.Config.With(o => o with { Epochs = 1, Seed = 2, LearningRate = 1e-4, EndLearningRate = 1e-5 }), Data.NewOutputDir()).LastCheckpoint;
        }

        public TrainingFixture Data { get; } = new();

        public string First { get; }

        public string Second { get; }

        public void Dispose() => Data.Dispose();
    }
}
