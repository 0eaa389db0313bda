using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class PredictorTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Predict_FolderWithABadFile_PredictsTheRestAndNamesTheBadOne()
    {
        var result = Trainer.Run(data.Config.With(o => o with { Epochs = 1 }), data.NewOutputDir());
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("in"), 2, 0, 2, size: 50);
        File.WriteAllText(Path.Combine(folder, "P0003.jpg"), "broken");
        using var predictor = Predictor.Load(result.LastCheckpoint, "cpu");

        var predictions = predictor.Predict(Predictor.ExpandInputs([folder]), batchSize: 3);

        Assert.Equal(5, predictions.Count);
        Assert.Equal(32, predictor.ImageSize);
        var bad = Assert.Single(predictions, p => p.Error is not null);
        Assert.EndsWith("P0003.jpg", bad.Path);
        Assert.All(predictions.Where(p => p.Error is null), p =>
        {
            Assert.InRange(p.Probability!.Value, 0f, 1f);
            Assert.Equal(p.Probability >= 0.5f ? 1 : 0, p.Label);
        });
    }

    [Fact]
    public void Predict_SameImageFromFileAndFromBytes_GivesTheSameProbability()
    {
        var result = Trainer.Run(data.Config.With(o => o with { Epochs = 1 }), data.NewOutputDir());
        using var predictor = Predictor.Load(result.LastCheckpoint, "cpu");
        var file = Path.Combine(data.TrainDir, "P0001.jpg");

        var fromFile = predictor.Predict([file])[0];
        var fromBytes = predictor.Predict(File.ReadAllBytes(file), "upload.jpg");

        Assert.Equal(fromFile.Probability, fromBytes.Probability);
        Assert.Throws<PalmLabException>(() => predictor.Predict("GIF89a-not-really"u8.ToArray(), "upload.gif"));
    }

    [Fact]
    public void ExpandInputs_MissingPath_SaysSo()
    {
        Assert.Contains("neither a file nor a folder", Assert.Throws<PalmLabException>(() => Predictor.ExpandInputs(["/nope.jpg"])).Message);
    }
}
