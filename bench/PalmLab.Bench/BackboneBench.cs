using System.Diagnostics;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Runtime;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `backbone [runs=5]`: the first <c>Backbones.Load("resnet18-imagenet")</c> of a process (reading and walking the 64 MB
/// ONNX file, then building the network), its parts, and the median of later loads (the parsed file cached).
/// </summary>
public static class BackboneBench
{
    public static void Run(string[] args)
    {
        var runs = Arg(args, 0, 5);
        TorchRuntime.Initialize();
        var file = Path.Combine(Backbones.BuiltInDir, Backbones.BuiltInFile);
        var clock = Stopwatch.StartNew();
        using (Backbones.Load(Backbones.ImageNetResNet18, null))
        {
        }
        var first = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var imported = OnnxResNetImporter.Read(file);
        var read = clock.Elapsed.TotalMilliseconds;
        var build = Median(runs, () => imported.Create(input: null).Dispose());
        var cached = Median(runs, () => Backbones.Load(Backbones.ImageNetResNet18, null).Dispose());
        var architecture = Median(runs, () => Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null));
        Console.WriteLine(Text($"Backbones.Load first (read + walk {new FileInfo(file).Length / 1e6:F1} MB, build): {first:F0} ms"));
        Console.WriteLine(Text($"  read + walk the file alone: {read:F0} ms; build a network from it: {build:F0} ms (median of {runs})"));
        Console.WriteLine(Text($"Backbones.Load cached: {cached:F0} ms; ArchitectureOf cached: {architecture:F3} ms (medians of {runs})"));
    }
}
