using PalmLab.Engine.Backbones;
using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

/// <summary><c>palmlab train --backbone</c>: the depth comes from the backbone, the checkpoint records it, and resume keeps it.</summary>
public class BackboneCliTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Train_WithABackbone_TrainsFromItAndResumesFromItsCheckpoint()
    {
        var output = data.NewOutputDir();
        using var folder = new TempDir();

        var train = CliProcess.Run("train", "--train-dir", data.TrainDir, "--valid-dir", data.ValidDir, "--backbone", Backbones.ImageNetResNet18,
            "--backbone-lr", "0.1", "--backbones-dir", folder.Path, "--image-size", "32", "--batch-size", "6", "--epochs", "1", "--device", "cpu", "--out", output);
        var resumed = CliProcess.Run("train", "--resume", Path.Combine(output, Trainer.LastCheckpointName), "--epochs", "2");
        var otherDepth = CliProcess.Run("train", "--train-dir", data.TrainDir, "--backbone", Backbones.ImageNetResNet18, "--depth", "152",
            "--image-size", "32", "--out", data.NewOutputDir());
        var unknown = CliProcess.Run("train", "--train-dir", data.TrainDir, "--backbone", "mars-net", "--backbones-dir", folder.Path,
            "--image-size", "32", "--out", data.NewOutputDir());

        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.StartsWith("epoch 2/2", resumed.StdOut);
        var header = Checkpoint.ReadHeader(Path.Combine(output, Trainer.LastCheckpointName));
        Assert.Equal(TrainingPresets.Reference with
        {
            Backbone = Backbones.ImageNetResNet18, Depth = Backbones.DepthOf(Backbones.ImageNetResNet18, folder.Path), BackboneLearningRate = 0.1,
            ImageSize = 32, BatchSize = 6, Epochs = 2,
        }, header.Config.Options);
        Assert.Equal(folder.Path, header.Config.BackbonesDir);
        Assert.Equal(1, otherDepth.ExitCode);
        Assert.Contains("--depth: the backbone resnet18-imagenet is a ResNet-", otherDepth.StdErr);
        Assert.Contains("not the ResNet-152 asked for", otherDepth.StdErr);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--backbone: 'mars-net' is not one of the backbones: ", unknown.StdErr);
    }
}
