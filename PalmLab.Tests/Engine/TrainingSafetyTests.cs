using System.Text;
using System.Text.Json.Nodes;
using PalmLab.Engine;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>Training that goes wrong: divergence, a last batch of one image, data changed under a resume, old checkpoints.</summary>
public class TrainingSafetyTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Run_HugeLearningRate_StopsAtTheFirstNonFiniteLossAndKeepsNoBadCheckpoint()
    {
        var output = data.NewOutputDir();
        var losses = new List<double>();
        var epochs = new List<EpochResult>();
        var config = data.Config.With(o => o with { LearningRate = 10, EndLearningRate = 10, Momentum = 0.99, Epochs = 20 });

        var error = Assert.Throws<PalmLabException>(() =>
            Trainer.Run(config, output, new TrainingHooks(b => losses.Add(b.Loss), e => epochs.Add(e))));

        Assert.Matches(@"^Training diverged (at step \d+, epoch \d+: the training loss is|in epoch \d+: )", error.Message);
        Assert.Contains("lower the learning rate", error.Message);
        Assert.All(losses, l => Assert.True(double.IsFinite(l), "a non-finite loss was reported"));
        foreach (var name in new[] { Trainer.LastCheckpointName, Trainer.BestCheckpointName }.Select(n => Path.Combine(output, n)).Where(File.Exists))
        {
            using var model = new ResNet(18);
            Checkpoint.Load(name, model);
            Assert.All(model.state_dict(), p => Assert.True(p.Value.isfinite().all().item<bool>(), $"{name}: {p.Key} is not finite"));
        }
        Assert.Equal(epochs.Count, File.Exists(Path.Combine(output, Trainer.LastCheckpointName)) ? Checkpoint.ReadHeader(Path.Combine(output, Trainer.LastCheckpointName)).Epoch : 0);
    }

    [Fact]
    public void Run_CheckpointCannotBeWritten_ReportsTheEpochsMetricsAndStopsWithTheReason()
    {
        var output = data.NewOutputDir();
        // A folder where last.ckpt belongs makes its write fail as a full disk would, at the first epoch's end.
        Directory.CreateDirectory(Path.Combine(output, Trainer.LastCheckpointName));
        var epochs = new List<EpochResult>();

        var error = Assert.Throws<PalmLabException>(() =>
            Trainer.Run(data.Config.With(o => o with { Epochs = 2 }), output, new TrainingHooks(Epoch: epochs.Add)));

        var epoch = Assert.Single(epochs);
        Assert.Equal(1, epoch.Epoch);
        Assert.True(epoch.CheckpointFailed);
        Assert.NotNull(epoch.Validation);
        Assert.StartsWith("Epoch 1's metrics are recorded, but its checkpoint could not be written", error.Message);
        Assert.False(File.Exists(Path.Combine(output, Trainer.BestCheckpointName)));
    }

    [Fact]
    public void Run_TrainingImagesOfOneClass_IsRefusedWithTheCountsBeforeTraining()
    {
        using var temp = new TempDir();
        var trainDir = TestImages.WriteTrainingFolder(temp.Sub("PALM-Training400"), normal: 10, high: 2, pathologic: 0, size: 40);
        var epochs = new List<EpochResult>();

        var error = Assert.Throws<PalmLabException>(() => Trainer.Run(
            data.Config.With(o => o with { Epochs = 1, Holdout = 0.2 }) with { TrainDir = trainDir, ValidDir = null }, temp.Sub("out"), new TrainingHooks(Epoch: epochs.Add)));

        Assert.Equal("The training images are all of one class: 0 pathologic, 10 normal or high myopia; training needs both.", error.Message);
        Assert.Empty(epochs);
    }

    [Theory]
    [InlineData(20, 19, new[] { 20 })]
    [InlineData(21, 10, new[] { 10, 11 })]
    [InlineData(320, 11, new[] { 11, 12 })]
    [InlineData(20, 6, new[] { 6, 6, 6, 2 })]
    public void BatchPlan_LastBatchOfOneImage_IsMergedIntoTheOneBefore(int count, int batchSize, int[] tail)
    {
        var plan = Trainer.BatchPlan(count, batchSize);

        Assert.Equal(count, plan.Sum(b => b.Length));
        Assert.DoesNotContain(plan, b => b.Length == 1);
        Assert.Equal(tail, plan.TakeLast(tail.Length).Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, plan.Count - 1).Select(i => plan[i].Start + plan[i].Length), plan.Skip(1).Select(b => b.Start));
    }

    [Fact]
    public void Run_BatchesLeavingOneImage_ValidatesWithFiniteLoss()
    {
        // 20 images in batches of 19 would leave one image alone: its batch norm variance is infinite at 32 px.
        var steps = new List<BatchProgress>();

        var result = Trainer.Run(data.Config.With(o => o with { BatchSize = 19, Epochs = 1 }), data.NewOutputDir(), new TrainingHooks(steps.Add));

        var step = Assert.Single(steps);
        Assert.Equal(1, step.BatchesPerEpoch);
        Assert.True(double.IsFinite(result.Epochs[0].ValidationLoss!.Value), $"validation loss {result.Epochs[0].ValidationLoss}");
    }

    [Fact]
    public void Run_ResumeAfterTheImagesChanged_IsRefusedNamingTheFolder()
    {
        using var temp = new TempDir();
        var trainDir = TestImages.WriteTrainingFolder(temp.Sub("PALM-Training400"), normal: 6, high: 2, pathologic: 8, size: 40);
        var config = data.Config.With(o => o with { Epochs = 2 }) with { TrainDir = trainDir };
        var output = temp.Sub("out");
        var first = Trainer.Run(config.With(o => o with { Epochs = 1 }), output);
        File.Copy(Path.Combine(trainDir, "P0001.jpg"), Path.Combine(trainDir, "P0100.jpg"));

        var error = Assert.Throws<PalmLabException>(() => Trainer.Run(config, output, resumeFrom: first.LastCheckpoint));

        Assert.Contains($"The images in {trainDir}", error.Message);
        Assert.Contains("changed since", error.Message);
    }

    [Fact]
    public void ReadHeader_FormatOneCheckpointWithFlatOptions_ReadsTheOptions()
    {
        using var temp = new TempDir();
        var result = Trainer.Run(data.Config.With(o => o with { Epochs = 1, DecaySteps = 7, Seed = 9 }), temp.Sub("out"));
        var old = temp.File("old.ckpt");
        RewriteAsFormatOne(result.LastCheckpoint, old);

        var header = Checkpoint.ReadHeader(old);

        Assert.Equal(result.Config.Options, header.Config.Options);
        Assert.Equal(result.Config.TrainDir, header.Config.TrainDir);
        using var model = new ResNet(18);
        Checkpoint.Load(old, model);
    }

    // Format 1 had the same layout with version 1 and the options flat in "Config".
    private static void RewriteAsFormatOne(string source, string destination)
    {
        using var reader = new BinaryReader(File.OpenRead(source), Encoding.UTF8);
        var magic = reader.ReadString();
        Assert.Equal(2, reader.ReadInt32());
        var header = JsonNode.Parse(reader.ReadString())!;
        var config = header["Config"]!.AsObject();
        var options = config["Options"]!.AsObject();
        config.Remove("Options");
        foreach (var (name, value) in options.ToList())
        {
            options.Remove(name);
            config[name] = value;
        }
        header.AsObject().Remove("DataFingerprint");
        using var writer = new BinaryWriter(File.Create(destination), Encoding.UTF8);
        writer.Write(magic);
        writer.Write(1);
        writer.Write(header.ToJsonString());
        reader.BaseStream.CopyTo(writer.BaseStream);
    }
}
