using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `epoch DIR [depth=50] [size=224] [batch=10] [limit=all] [epochs=1] [fp32|bf16]`: a real run through Trainer.Run on LIMIT of
/// the folder's images, evenly spaced by name (80/20 holdout): EPOCHS epochs, each validated and checkpointed as every run is, timed from
/// its first step to its last checkpoint, the first (slow) step included, as `bench/baseline.py epoch` times PyTorch's.
/// Prints the steps' times (stderr) and one line: the whole run, its epochs' training img/s and its validations.
/// </summary>
public static class EpochBench
{
    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("epoch needs the training folder");
        int depth = Arg(args, 1, 50), size = Arg(args, 2, 224), batch = Arg(args, 3, 10), limit = Arg(args, 4, int.MaxValue), epochs = Arg(args, 5, 1);
        var precision = args.Length > 6 && args[6] == "bf16" ? Precision.Bf16 : Precision.Fp32;
        var work = Directory.CreateTempSubdirectory("palmlab-epoch-");
        try
        {
            var folder = CopySpaced(dir, work.FullName, limit);
            var config = new TrainingConfig
            {
                TrainDir = folder,
                Options = new() { Holdout = 0.2, Depth = depth, ImageSize = size, BatchSize = batch, Epochs = epochs, Precision = precision },
            };
            var steps = new List<double>();
            var result = Trainer.Run(config, Path.Combine(work.FullName, "out"), new TrainingHooks(b => steps.Add(b.StepSeconds)));
            Console.Error.WriteLine("steps ms: " + string.Join(" ", steps.Select(s => $"{s * 1000:F0}")));
            // An epoch's own clock runs from its first step to the end of its checkpoints; its training part is its img/s.
            var trainSeconds = result.Epochs.Sum(e => result.TrainImages / e.ImagesPerSecond);
            var validation = (result.TrainSeconds - trainSeconds) / epochs;
            var rates = string.Join(" ", result.Epochs.Select(e => $"{e.ImagesPerSecond:F1}"));
            Console.WriteLine(
                Text($"ResNet-{depth} {size}x{size} batch {batch} {precision.ToString().ToLowerInvariant()}: run of {epochs} epochs on {result.TrainImages} + {result.ValidationImages} images ") +
                Text($"{result.TrainSeconds:F2} s ({result.TrainImages * epochs / result.TrainSeconds:F1} img/s), epochs {rates} img/s, ") +
                Text($"validation and checkpoints {validation * 1000:F0} ms an epoch, first step {steps[0] * 1000:F0} ms, data loaded in {result.DataLoadSeconds:F1} s"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary><paramref name="count"/> of <paramref name="items"/>, evenly spaced in their order (all of them when there are no more).</summary>
    public static IEnumerable<T> Spaced<T>(IReadOnlyList<T> items, int count) =>
        count >= items.Count ? items : Enumerable.Range(0, count).Select(i => items[(int)((long)i * items.Count / count)]);

    /// <summary>
    /// <paramref name="limit"/> of the folder's images, evenly spaced in name order (so every class is in it: the first 100
    /// names of the real set are all normal or high myopia), copied to a new PALM-Training400 under <paramref name="root"/>:
    /// Trainer.Run reads a whole folder. `bench/baseline.py epoch` picks the same images.
    /// </summary>
    public static string CopySpaced(string dir, string root, int limit)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "PALM-Training400")).FullName;
        var files = Directory.EnumerateFiles(dir).Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
        foreach (var file in Spaced(files, limit))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }
}
