using System.Text.Json;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

public class EnsembleCliTests(EnsembleCliTests.TwoFolds cv) : IClassFixture<EnsembleCliTests.TwoFolds>
{
    private string Fold(int k) => Path.Combine(cv.Output, $"fold-{k}", "best.ckpt");

    [Fact]
    public void Predict_CrossValidationFolderWithFlip_SaysSoAndGivesTheMeanOfTheFoldModels()
    {
        var images = new[] { "V0001.jpg", "V0002.jpg", "V0005.jpg" }.Select(f => Path.Combine(cv.Data.ValidDir, f)).ToArray();

        // In fp32: checked bf16 predicts an image again in fp32 by the ensemble's probability, so its mean need not be
        // the mean of what each member alone answers.
        var ensemble = PredictJson(["--checkpoint", cv.Output, "--tta", "flip", "--precision", "fp32", .. images]);
        var first = PredictJson(["--checkpoint", Fold(1), "--tta", "flip", "--precision", "fp32", .. images]);
        var second = PredictJson(["--checkpoint", Fold(2), "--tta", "flip", "--precision", "fp32", .. images]);

        Assert.Equal("ensemble of 2 fold models (best), tta flip", ensemble.GetProperty("model").GetString());
        Assert.Equal("flip", ensemble.GetProperty("tta").GetString());
        Assert.Equal([Fold(1), Fold(2)], ensemble.GetProperty("checkpoints").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("single model, tta flip", first.GetProperty("model").GetString());
        for (var i = 0; i < images.Length; i++)
        {
            var mean = (Probability(first, i) + Probability(second, i)) / 2;
            Assert.Equal(mean, Probability(ensemble, i), 5);
        }
    }

    [Fact]
    public void Predict_CrossValidationFolderAsTable_FirstLineSaysWhichModel()
    {
        var result = CliProcess.Run("predict", "--checkpoint", cv.Output, "--device", "cpu", Path.Combine(cv.Data.ValidDir, "V0001.jpg"));

        Assert.True(result.ExitCode == 0, result.StdErr);
        var rows = result.StdOut.Trim().Split('\n');
        Assert.Equal(["# ensemble of 2 fold models (best), tta none" + PredictCliTests.AutoPrecision, "probability\tlabel\tfile"], rows[..2]);
        Assert.Matches(@"^[01]\.\d{4}\t[01]\t.*V0001\.jpg$", Assert.Single(rows[2..]));
    }

    [Fact]
    public void Evaluate_CrossValidationFolderWithFlip_GivesTheEnsemblesMetricsAndEachFoldModelsAsAloneWithFlip()
    {
        var ensemble = EvaluateJson("--checkpoint", cv.Output, "--tta", "flip");
        var first = EvaluateJson("--checkpoint", Fold(1), "--tta", "flip");

        Assert.Equal("ensemble of 2 fold models (best), tta flip", ensemble.GetProperty("model").GetString());
        Assert.Equal(8, ensemble.GetProperty("images").GetInt32());
        Assert.Equal(8, ensemble.GetProperty("metrics").GetProperty("count").GetInt32());
        var members = ensemble.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal([Fold(1), Fold(2)], members.Select(m => m.GetProperty("checkpoint").GetString()));
        Assert.Equal(first.GetProperty("loss").GetDouble(), members[0].GetProperty("loss").GetDouble(), 6);
        Assert.Equal(first.GetProperty("metrics").GetProperty("accuracy").GetDouble(), members[0].GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(Fold(1), first.GetProperty("checkpoint").GetString());
        Assert.Equal(JsonValueKind.Null, ensemble.GetProperty("checkpoint").ValueKind);
    }

    [Fact]
    public void Predict_BadTta_ExitsOneNamingTheOptionAndTheChoices()
    {
        var result = CliProcess.Run("predict", "--checkpoint", cv.Output, "--tta", "rotate", "--device", "cpu", Path.Combine(cv.Data.ValidDir, "V0001.jpg"));

        CliAssert.FailsWithOneLine(result, 1, "--tta: must be none or flip, not 'rotate'");
    }

    [Fact]
    public void Evaluate_CheckpointsOfTwoImageSizes_ExitsOneNamingBoth()
    {
        using var temp = new TempDir();
        var other = temp.File("size64.ckpt");
        var header = Checkpoint.ReadHeader(Fold(1));
        using (var model = new ResNet(18))
        {
            Checkpoint.Save(other, header with { Config = header.Config with { Options = header.Config.Options with { ImageSize = 64 } } }, model, null);
        }

        var result = CliProcess.Run("evaluate", "--checkpoint", Fold(1), "--checkpoint", other, "--valid-dir", cv.Data.ValidDir, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, Fold(1), other, "must share one image size");
    }

    [Fact]
    public void Predict_FolderThatIsNoCrossValidation_ExitsOneSayingSo()
    {
        var result = CliProcess.Run("predict", "--checkpoint", cv.Data.ValidDir, "--device", "cpu", Path.Combine(cv.Data.ValidDir, "V0001.jpg"));

        CliAssert.FailsWithOneLine(result, 1, cv.Data.ValidDir, "not the output of a cross-validation");
    }

    private JsonElement PredictJson(string[] args)
    {
        var result = CliProcess.Run(["predict", "--json", "--device", "cpu", .. args]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return JsonDocument.Parse(result.StdOut).RootElement.Clone();
    }

    private JsonElement EvaluateJson(params string[] args)
    {
        var result = CliProcess.Run(["evaluate", "--valid-dir", cv.Data.ValidDir, "--device", "cpu", .. args]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return JsonDocument.Parse(result.StdOut).RootElement.Clone();
    }

    private static double Probability(JsonElement predict, int index) =>
        predict.GetProperty("predictions")[index].GetProperty("probability").GetDouble();

    /// <summary>A 2-fold cross-validation of tiny ResNet-18s (one epoch) on <see cref="TrainingFixture"/>'s training images, as palmlab train --folds 2 writes it.</summary>
    public sealed class TwoFolds : IDisposable
    {
        public TwoFolds()
        {
            Output = Data.NewOutputDir();
            CrossValidation.Run(Data.Config.With(o => o with { Epochs = 1, Folds = 2 }) with { ValidDir = null }, Output);
        }

        public TrainingFixture Data { get; } = new();

        public string Output { get; }

        public void Dispose() => Data.Dispose();
    }
}
