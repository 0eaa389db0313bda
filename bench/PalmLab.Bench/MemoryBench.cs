using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `memory DIR [epochs=10] [limit=40] [depth=50] [size=224] [batch=10]`: resident memory through a run of EPOCHS epochs
/// (Trainer.Run on LIMIT of the folder's images evenly spaced by name, 80/20 holdout), read at the end of every epoch; the goal is no
/// growth beyond 5% between epoch 2 and the last. The images are few so that ten ResNet-50 epochs fit in a minute or
/// two: memory per step does not depend on how many steps an epoch has.
/// </summary>
public static class MemoryBench
{
    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("memory needs the training folder");
        int epochs = Arg(args, 1, 10), limit = Arg(args, 2, 40), depth = Arg(args, 3, 50), size = Arg(args, 4, 224), batch = Arg(args, 5, 10);
        var work = Directory.CreateTempSubdirectory("palmlab-memory-");
        try
        {
            var folder = EpochBench.CopySpaced(dir, work.FullName, limit);
            var config = new TrainingConfig { TrainDir = folder, Options = new() { Holdout = 0.2, Depth = depth, ImageSize = size, BatchSize = batch, Epochs = epochs } };
            var resident = new List<long>();
            var managed = new List<long>();
            var peak = 0L;
            Trainer.Run(config, Path.Combine(work.FullName, "out"), new TrainingHooks(
                Batch: _ => peak = Math.Max(peak, ResidentBytes()),
                Epoch: _ =>
                {
                    resident.Add(ResidentBytes());
                    managed.Add(GC.GetGCMemoryInfo().HeapSizeBytes);
                }));
            Console.WriteLine($"memory: ResNet-{depth} {size} px batch {batch}, resident MB at the end of epochs 1-{epochs}: {string.Join(" ", resident.Select(r => r / (1 << 20)))} (of which the .NET heap {string.Join(" ", managed.Select(r => r / (1 << 20)))})");
            var growth = 100.0 * (resident[^1] - resident[1]) / resident[1];
            Console.WriteLine(Text(
                $"memory: epoch 2 {resident[1] / (1 << 20)} MB, epoch {epochs} {resident[^1] / (1 << 20)} MB ({growth:+0.0;-0.0}%), peak during a step {peak / (1 << 20)} MB (goal: growth under 5%: {(growth < 5 ? "met" : "missed")})"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>This process's resident memory (VmRSS).</summary>
    public static long ResidentBytes() => ProcFs.StatusBytes("self", "VmRSS:");
}
