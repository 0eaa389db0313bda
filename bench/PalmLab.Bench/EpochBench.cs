using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>`epoch DIR [depth=50] [size=224] [batch=10]`: one real epoch through Trainer.Run (80/20 holdout), img/s per batch.</summary>
public static class EpochBench
{
    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("epoch needs the training folder");
        var config = new TrainingConfig { TrainDir = dir, Options = new() { Holdout = 0.2, Depth = Arg(args, 1, 50), ImageSize = Arg(args, 2, 224), BatchSize = Arg(args, 3, 10), Epochs = 1 } };
        var result = Trainer.Run(config, Path.Combine(Path.GetTempPath(), "palmlab-bench"),
            new TrainingHooks(b => Console.WriteLine(Text($"batch {b.Batch}/{b.BatchesPerEpoch}: {b.ImagesPerSecond:F2} img/s"))));
        var epoch = result.Epochs[0];
        Console.WriteLine(Text(
            $"ResNet-{config.Options.Depth} {config.Options.ImageSize}px batch {config.Options.BatchSize}: data {result.DataLoadSeconds:F1}s, epoch {epoch.ImagesPerSecond:F2} img/s, held-out accuracy {epoch.Validation?.Accuracy:F3}"));
    }
}
