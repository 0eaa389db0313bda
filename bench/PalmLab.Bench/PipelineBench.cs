using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `pipeline DIR [depth=18] [size=64] [batch=16] [epochs=3] [fullsize=24]`: the data pipeline's cost.
/// Trains the folder (80/20 holdout) twice through Trainer.Run: cold (no decoded-image cache, and the page cache dropped
/// when this runs as root) and warm (the cache file written by the cold run). For each epoch: the wall time of its
/// training steps against the sum of their compute (each step's time less its batch gathering and augmentation).
/// Then the preprocessing of full-size photographs (2124x2056 JPEGs made by upscaling the folder's first images) to
/// tensors at 224 px, on every core, as a run's loading does it.
/// </summary>
public static class PipelineBench
{
    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("pipeline needs the training folder");
        int depth = Arg(args, 1, 18), size = Arg(args, 2, 64), batch = Arg(args, 3, 16), epochs = Arg(args, 4, 3), fullSize = Arg(args, 5, 24);
        var work = Directory.CreateTempSubdirectory("palmlab-pipeline-");
        try
        {
            var cache = Path.Combine(work.FullName, "cache");
            Directory.CreateDirectory(cache);
            var options = new TrainingOptions { Holdout = 0.2, Depth = depth, ImageSize = size, BatchSize = batch, Epochs = epochs };
            foreach (var kind in new[] { "cold", "warm" })
            {
                var dropped = kind == "cold" && DropPageCache();
                Train(new TrainingConfig { TrainDir = dir, CacheDir = cache, Options = options }, Path.Combine(work.FullName, kind), kind, dropped);
            }
            FullSize(dir, Path.Combine(work.FullName, "full"), fullSize);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Train(TrainingConfig config, string output, string kind, bool dropped)
    {
        var steps = new List<BatchProgress>();
        var result = Trainer.Run(config, output, new TrainingHooks(Batch: steps.Add));
        Console.WriteLine(Text(
            $"pipeline {kind}: ResNet-{config.Options.Depth} {config.Options.ImageSize} px batch {config.Options.BatchSize}, {result.TrainImages} + {result.ValidationImages} images, loading {result.DataLoadSeconds:F2} s (decoded-image cache {(result.DataCacheHit == true ? "hit" : "miss")}{(kind == "cold" ? dropped ? ", page cache dropped" : ", page cache not dropped: not root" : "")})"));
        foreach (var e in result.Epochs)
        {
            var epochSteps = steps.Where(b => b.Epoch == e.Epoch).ToList();
            var wall = result.TrainImages / e.ImagesPerSecond; // the epoch's training part, first step to last
            var stepSeconds = epochSteps.Sum(b => b.StepSeconds);
            var dataSeconds = epochSteps.Sum(b => b.DataSeconds);
            var compute = stepSeconds - dataSeconds;
            Console.WriteLine(Text(
                $"pipeline {kind} epoch {e.Epoch}: wall {wall:F2} s, compute {compute:F2} s, overhead {100 * (wall - compute) / wall:F2}% (gathering and augmenting {100 * dataSeconds / wall:F2}%, between steps {100 * (wall - stepSeconds) / wall:F2}%)"));
        }
    }

    private static bool DropPageCache()
    {
        try
        {
            Process.Start("sync")?.WaitForExit(30_000);
            File.WriteAllText("/proc/sys/vm/drop_caches", "1");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void FullSize(string dir, string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var sources = Directory.EnumerateFiles(dir).Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).Take(count).ToList();
        var items = new List<LabeledImage>();
        foreach (var source in sources)
        {
            using var image = Image.Load(source);
            image.Mutate(x => x.Resize(2124, 2056));
            var path = Path.Combine(folder, Path.GetFileName(source));
            image.SaveAsJpeg(path);
            items.Add(new LabeledImage(path, 0));
        }
        TorchRuntime.Initialize();
        var bytes = items.Sum(i => new FileInfo(i.Path).Length);
        var seconds = Median(3, () =>
        {
            using var set = ImageTensorSet.Load(items, 224);
        }) / 1000;
        Console.WriteLine(Text(
            $"pipeline full-size: {items.Count} JPEGs of 2124x2056 ({bytes / items.Count / 1024} KB each) to 224 px tensors on {Environment.ProcessorCount} cores: {items.Count / seconds:F1} img/s ({1000 * seconds / items.Count:F0} ms an image)"));
    }
}
