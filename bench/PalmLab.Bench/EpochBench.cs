using PalmLab.Engine.Data;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `epoch DIR [depth=50] [size=224] [batch=10] [limit=all]`: one real epoch through Trainer.Run on the folder's first
/// LIMIT images (80/20 holdout), timed from its first step to its last, the first (slow) step included, as
/// `bench/baseline.py epoch` times PyTorch's.
/// </summary>
public static class EpochBench
{
    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("epoch needs the training folder");
        int depth = Arg(args, 1, 50), size = Arg(args, 2, 224), batch = Arg(args, 3, 10), limit = Arg(args, 4, int.MaxValue);
        var work = Directory.CreateTempSubdirectory("palmlab-epoch-");
        try
        {
            var folder = CopyFirst(dir, work.FullName, limit);
            var config = new TrainingConfig { TrainDir = folder, Options = new() { Holdout = 0.2, Depth = depth, ImageSize = size, BatchSize = batch, Epochs = 1 } };
            var first = 0.0;
            var result = Trainer.Run(config, Path.Combine(work.FullName, "out"), new TrainingHooks(b => first = first == 0 ? b.StepSeconds : first));
            var epoch = result.Epochs[0];
            var seconds = result.TrainImages / epoch.ImagesPerSecond;
            Console.WriteLine(Text(
                $"ResNet-{depth} {size}x{size} batch {batch}: epoch of {result.TrainImages} images {seconds:F2} s ({epoch.ImagesPerSecond:F1} img/s), first step {first * 1000:F0} ms, data loaded in {result.DataLoadSeconds:F1} s"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The folder's first <paramref name="limit"/> images (by name), copied to a new PALM-Training400 under <paramref name="root"/>: Trainer.Run reads a whole folder.</summary>
    public static string CopyFirst(string dir, string root, int limit)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "PALM-Training400")).FullName;
        foreach (var file in Directory.EnumerateFiles(dir).Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).Take(limit))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }
}
