using PalmLab.Engine;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class TrainerTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Loss_RepeatedStepsOnOneBatch_Falls()
    {
        using var model = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = 18, Seed = 1 } });
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using var images = randn(8, 3, 32, 32);
        using var labels = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0 });
        var losses = new List<float>();

        for (var step = 0; step < 15; step++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(images).flatten(), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0] * 0.5, $"loss went {losses[0]} -> {losses[^1]}");
    }

    [Fact]
    public void Run_SameSeedTwice_GivesTheSameLossesAndWeights()
    {
        var first = Train(data.Config, data.NewOutputDir(), out var firstLosses);
        var second = Train(data.Config, data.NewOutputDir(), out var secondLosses);

        Assert.Equal(2 * 4, firstLosses.Count);
        Assert.Equal(firstLosses, secondLosses);
        AssertSameWeights(first.LastCheckpoint, second.LastCheckpoint);
    }

    [Fact]
    public void Run_ReportsEveryBatchAndEpochWithMetricsAndCheckpoints()
    {
        var batches = new List<BatchProgress>();
        var epochs = new List<EpochResult>();
        var output = data.NewOutputDir();

        var result = Trainer.Run(data.Config, output, new TrainingHooks(batches.Add, epochs.Add));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), batches.Select(b => b.GlobalStep));
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], batches.Select(b => b.Batch));
        Assert.All(batches, b => Assert.Equal(4, b.BatchesPerEpoch));
        Assert.All(batches, b => Assert.True(b.ImagesPerSecond > 0 && b.LearningRate > 0));
        Assert.Equal(0.005, batches[0].LearningRate, 12);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.Equal(8, e.Validation!.Count));
        Assert.All(epochs, e => Assert.Equal(8, e.Validation!.Confusion.Total));
        Assert.NotNull(epochs[0].Validation!.Auc);
        Assert.True(epochs[0].IsBest);
        Assert.Equal(20, result.TrainImages);
        Assert.True(File.Exists(Path.Combine(output, "last.ckpt")));
        Assert.True(File.Exists(Path.Combine(output, "best.ckpt")));
        Assert.Equal(2, Checkpoint.ReadHeader(result.LastCheckpoint).Epoch);
    }

    [Fact]
    public void Run_CancelledAfterEpochOneThenResumed_EndsWithTheWeightsOfAnUninterruptedRun()
    {
        var uninterrupted = Train(data.Config, data.NewOutputDir(), out var allLosses);

        var output = data.NewOutputDir();
        using var cancel = new CancellationTokenSource();
        var seen = new List<double>();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Run(
            data.Config, output, new TrainingHooks(b => seen.Add(b.Loss), e => cancel.Cancel()), cancellationToken: cancel.Token));
        var lastPath = Path.Combine(output, Trainer.LastCheckpointName);
        Assert.Equal(1, Checkpoint.ReadHeader(lastPath).Epoch);
        Assert.Equal(4, seen.Count); // cancelled before the first batch of epoch 2

        var resumed = new List<BatchProgress>();
        var result = Trainer.Run(data.Config, output, new TrainingHooks(resumed.Add), resumeFrom: lastPath);

        Assert.Equal([5L, 6, 7, 8], resumed.Select(b => b.GlobalStep));
        Assert.Equal(allLosses.Skip(4), resumed.Select(b => b.Loss));
        Assert.Equal(uninterrupted.Epochs[^1].LearningRate, result.Epochs[^1].LearningRate);
        AssertSameWeights(uninterrupted.LastCheckpoint, result.LastCheckpoint);
    }

    [Fact]
    public void Run_ReportsEachEpochOnlyOnceItsCheckpointsAreOnDisk()
    {
        var output = data.NewOutputDir();
        var seen = new List<(int Epoch, int Last, int? Best)>();
        int? BestEpoch(EpochResult e) => e.IsBest ? Checkpoint.ReadHeader(Path.Combine(output, Trainer.BestCheckpointName)).Epoch : null;

        // A Slurm job uploads the checkpoints from its epoch hook, and a run's record must never name a lost epoch.
        Trainer.Run(data.Config.With(o => o with { Epochs = 3 }), output, new TrainingHooks(Epoch: e =>
            seen.Add((e.Epoch, Checkpoint.ReadHeader(Path.Combine(output, Trainer.LastCheckpointName)).Epoch, BestEpoch(e)))));

        Assert.Equal([1, 2, 3], seen.Select(s => s.Epoch));
        Assert.All(seen, s => Assert.Equal(s.Epoch, s.Last));
        Assert.All(seen, s => Assert.True(s.Best is null || s.Best == s.Epoch, $"epoch {s.Epoch} reported as best with best.ckpt at epoch {s.Best}"));
        Assert.Contains(seen, s => s.Best == 1);
    }

    [Fact]
    public void Run_ResumeAfterACrashBeforeBestWasCopied_RestoresBest()
    {
        var output = data.NewOutputDir();
        var first = Trainer.Run(data.Config.With(o => o with { Epochs = 1 }), output);
        File.Delete(first.BestCheckpoint!); // as if the process died between writing last.ckpt and copying it

        var resumed = Trainer.Run(data.Config.With(o => o with { Epochs = 1 }), output, resumeFrom: first.LastCheckpoint);

        Assert.Empty(resumed.Epochs);
        Assert.Equal(1, Checkpoint.ReadHeader(Path.Combine(output, Trainer.BestCheckpointName)).Epoch);
    }

    [Fact]
    public void Run_ResumeWithAnotherDepth_SaysWhatTheCheckpointHolds()
    {
        var output = data.NewOutputDir();
        var first = Trainer.Run(data.Config.With(o => o with { Epochs = 1 }), output);

        var error = Assert.Throws<PalmLabException>(() => Trainer.Run(data.Config.With(o => o with { Depth = 34 }), output, resumeFrom: first.LastCheckpoint));

        Assert.Contains("holds a ResNet-18, not the ResNet-34", error.Message);
    }

    [Fact]
    public void Run_WithAugmentationAndHoldout_Trains()
    {
        var config = data.Config.With(o => o with { Holdout = 0.25, AugmentFlip = true, AugmentRotation = 10, Epochs = 1 }) with { ValidDir = null };

        var result = Trainer.Run(config, data.NewOutputDir());

        Assert.Equal(14, result.TrainImages); // 10 positives and 10 negatives each lose round(2.5) = 3
        Assert.Equal(6, result.ValidationImages);
        Assert.False(double.IsNaN(result.Epochs[0].TrainLoss));
    }

    [Theory]
    [InlineData(0, 6, "image-size: must be from 32 to 1,024 pixels, not 0")]
    [InlineData(32, 0, "batch-size: must be from 2 to 1,024, not 0")]
    [InlineData(32, 21, "batch-size: 21 is larger than the 20 training images")]
    public void Run_BadSizes_AreRefusedWithTheFieldNamed(int imageSize, int batchSize, string expected)
    {
        var error = Assert.Throws<PalmLabException>(() => Trainer.Run(data.Config.With(o => o with { ImageSize = imageSize, BatchSize = batchSize }), data.NewOutputDir()));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_ManyBadOptions_ListsEachField()
    {
        var errors = new TrainingConfig
        {
            TrainDir = "", ValidDir = "/v", Device = "tpu", Options = new() { Depth = 19, Epochs = 0, Holdout = 1.5 },
        }.Validate();

        Assert.Contains(errors, e => e.Option == "TrainDir");
        Assert.Contains(errors, e => e.Option == "Depth" && e.Message.StartsWith("19 is not one of"));
        Assert.Contains(errors, e => e.Option == "Epochs");
        Assert.Contains(errors, e => e.Option == "Holdout" && e.Message.StartsWith("must be"));
        Assert.Contains(errors, e => e.Option == "Holdout" && e.Message.StartsWith("give either"));
        Assert.Contains(errors, e => e.Option == "Device");
    }

    private static TrainingResult Train(TrainingConfig config, string output, out List<double> losses)
    {
        var seen = new List<double>();
        var result = Trainer.Run(config, output, new TrainingHooks(b => seen.Add(b.Loss)));
        losses = seen;
        return result;
    }

    private static void AssertSameWeights(string expectedPath, string actualPath)
    {
        using var expected = new ResNet(18);
        using var actual = new ResNet(18);
        Checkpoint.Load(expectedPath, expected);
        Checkpoint.Load(actualPath, actual);
        var reference = expected.state_dict();
        foreach (var (key, value) in actual.state_dict())
        {
            Assert.True(value.eq(reference[key]).all().item<bool>(), $"{key} differs");
        }
    }
}
