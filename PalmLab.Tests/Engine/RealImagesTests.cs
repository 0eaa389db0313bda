using PalmLab.Engine.DataSets;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>Trains on the 400 real iChallenge-PM images; fails (never skips) when they are missing.</summary>
public class RealImagesTests
{
    [Fact]
    public void ResNet18At64px_SeededStratifiedHoldout_ClearlyBeatsTheMajorityClass()
    {
        var trainDir = RepoPaths.RequireRealTrainingImages();
        using var temp = new TempDir();
        var config = new TrainingConfig { TrainDir = trainDir, Options = TrainingPresets.Quick with { Holdout = 0.2, Seed = 1 }, Device = "cpu" };

        var result = Trainer.Run(config, temp.Sub("out"));

        var final = result.Epochs[^1].Validation!;
        // 213 of 400 are pathologic: always answering "pathologic" scores 43/80 = 0.54 on the holdout.
        Assert.Equal(80, final.Count);
        Assert.True(final.Accuracy >= 0.8, $"held-out accuracy {final.Accuracy:F3}");
        Assert.True(final.Auc >= 0.85, $"held-out AUC {final.Auc:F3}");
    }

    [Fact]
    public void Report_RealTrainingImages_CountsTheClassesAndFindsTheP0014P0072Duplicate()
    {
        var trainDir = RepoPaths.RequireRealTrainingImages();

        var report = DataSetReport.Build(Path.GetDirectoryName(trainDir)!);

        Assert.Equal((400, 161, 26, 213), (report.TrainingImages, report.Normal, report.HighMyopia, report.Pathologic));
        Assert.Equal([new ImageSizeCount(224, 224, 400)], report.ImageSizes);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(DataSetProblemKind.DuplicateInTraining, problem.Kind);
        Assert.Equal(["PALM-Training400/P0014.jpg", "PALM-Training400/P0072.jpg"], problem.Files);
    }
}
