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
        var config = TrainingPresets.Quick with { TrainDir = trainDir, Holdout = 0.2, Seed = 1, Device = "cpu" };

        var result = Trainer.Run(config, temp.Sub("out"));

        var final = result.Epochs[^1].Validation!;
        // 213 of 400 are pathologic: always answering "pathologic" scores 43/80 = 0.54 on the holdout.
        Assert.Equal(80, final.Count);
        Assert.True(final.Accuracy >= 0.8, $"held-out accuracy {final.Accuracy:F3}");
        Assert.True(final.Auc >= 0.85, $"held-out AUC {final.Auc:F3}");
    }
}
