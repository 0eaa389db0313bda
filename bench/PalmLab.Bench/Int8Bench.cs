using System.Diagnostics;
using Google.Protobuf;
using Onnx;
using PalmLab.Engine.Data;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Models;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>
/// `int8 CVOUT DIR [calibration=64] [mse|minmax] [keep=0]`: ONNX Runtime int8 (<see cref="Int8Quantizer"/>) against ONNX Runtime fp32 for each
/// fold of a `palmlab train --folds K --out CVOUT` run on DIR: the fold's best checkpoint, calibrated on CALIBRATION of
/// its own training images (evenly spaced), ranges by least squared error (or min-max) with the KEEP most sensitive activations left fp32, judged on its held-out images (flips at the threshold, the largest
/// probability difference, accuracy and AUC in each) and timed on them (median of 3 passes each, taking turns).
/// `int8 speed DIR DEPTH [size=224]`: a random-weight network calibrated on 64 of DIR's images, 1, 50 and 400 images in
/// batches of 16 through both, as `onnx` times the other paths.
/// </summary>
public static class Int8Bench
{
    public static void Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "speed")
        {
            Speed(args[1], Arg(args, 2, 18), Arg(args, 3, 224));
            return;
        }
        var cvOut = args.Length > 1 ? args[0] : throw new ArgumentException("int8 needs CVOUT and DIR");
        var images = DatasetReader.ReadTrainingFolder(args[1]).Images;
        var calibration = Arg(args, 2, 64);
        var minMax = args.Length > 3 && args[3] == "minmax";
        var keep = Arg(args, 4, 0);
        TorchRuntime.Initialize("cpu");
        var threads = get_num_threads();
        int totalFlips = 0, totalImages = 0;
        foreach (var folder in Directory.GetDirectories(cvOut, "fold-*").Order(StringComparer.Ordinal))
        {
            var fold = CrossValidation.FoldOf(Path.GetFileName(folder)) ?? throw new ArgumentException($"not a fold folder: {folder}");
            var (model, header) = Checkpoint.LoadModel(Path.Combine(folder, "best.ckpt"), CPU);
            using var _ = model;
            var options = header.Config.Options;
            var size = options.ImageSize;
            var (train, validation) = FoldSplit.Split(images, options.Folds!.Value, fold - 1, options.Seed);
            var calibrationImages = EpochBench.Spaced(train, calibration).ToList();
            var calibrationPixels = Pixels(calibrationImages.Select(i => i.Path).ToList(), size);
            var pixels = Pixels(validation.Select(i => i.Path).ToList(), size);
            var fp32Model = OnnxExporter.Export(model, header);
            var clock = Stopwatch.StartNew();
            var histograms = Int8Quantizer.Calibrate(fp32Model, Int8Quantizer.Targets(fp32Model), calibrationPixels, calibrationImages.Count, size, threads);
            var keepFp32 = MostSensitive(fp32Model, histograms, minMax, keep, calibrationPixels, calibrationImages.Count, size, threads);
            var int8Model = Int8Quantizer.Quantize(fp32Model, histograms, minMax, keepFp32);
            var quantizeMs = clock.Elapsed.TotalMilliseconds;
            using var fp32 = new OnnxSession(fp32Model.ToByteArray(), threads);
            using var int8 = new OnnxSession(int8Model.ToByteArray(), threads);
            float[] a = [], b = [];
            var (fp32Ms, int8Ms) = Pair(TakeTurns(3, () => a = Probabilities(fp32, pixels, validation.Count, size), () => b = Probabilities(int8, pixels, validation.Count, size)));
            var labels = validation.Select(i => i.Label).ToList();
            var (ma, mb) = (BinaryMetrics.Compute(a, labels, options.Threshold), BinaryMetrics.Compute(b, labels, options.Threshold));
            var flips = a.Zip(b).Count(p => p.First >= options.Threshold != p.Second >= options.Threshold);
            totalFlips += flips;
            totalImages += validation.Count;
            Console.WriteLine(Text(
                $"int8 {Path.GetFileName(cvOut)} fold {fold} ({size} px, epoch {header.Epoch}): {validation.Count} images, {flips} flipped at {options.Threshold}, largest probability difference {a.Zip(b).Max(p => Math.Abs(p.First - p.Second)):F4}; accuracy fp32 {ma.Accuracy:F4} int8 {mb.Accuracy:F4}; AUC fp32 {ma.Auc:F4} int8 {mb.Auc:F4}; pass ORT fp32 {fp32Ms:F0} ms, int8 {int8Ms:F0} ms; quantized in {quantizeMs:F0} ms ({(minMax ? "min-max" : "least-error")} ranges, fp32 kept: {(keepFp32.Count == 0 ? "none" : string.Join(", ", keepFp32))})"));
        }
        Console.WriteLine(Text($"int8 {Path.GetFileName(cvOut)}: {totalFlips} of {totalImages} held-out predictions flipped by int8"));
    }

    private static void Speed(string dir, int depth, int size)
    {
        TorchRuntime.Initialize("cpu");
        var threads = get_num_threads();
        var files = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).ToList();
        var pixels = Pixels(files, size);
        manual_seed(1);
        using var net = new ResNet(depth);
        net.eval();
        var header = new CheckpointHeader(new TrainingConfig { Options = new TrainingOptions { Depth = depth, ImageSize = size } }, 1, 1, null, null, null, DateTimeOffset.UtcNow);
        var fp32Model = OnnxExporter.Export(net, header);
        var calibration = EpochBench.Spaced(Enumerable.Range(0, files.Count).ToList(), 64).ToList();
        var perImage = 3 * size * size;
        var calibrationPixels = calibration.SelectMany(i => pixels.AsSpan(i * perImage, perImage).ToArray()).ToArray();
        var int8Model = Int8Quantizer.Quantize(fp32Model, calibrationPixels, calibration.Count, size, threads);
        using var fp32 = new OnnxSession(fp32Model.ToByteArray(), threads);
        using var int8 = new OnnxSession(int8Model.ToByteArray(), threads);
        Console.WriteLine(Text($"ResNet-{depth} {size}px, {threads} threads, batches of 16, random weights calibrated on 64 real images"));
        Console.WriteLine("| images | ONNX Runtime fp32 ms (median) | ONNX Runtime int8 ms (median) | fp32 / int8 | largest difference |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var count in new[] { 1, 50, files.Count })
        {
            float[] a = [], b = [];
            Probabilities(fp32, pixels, Math.Min(count, 16), size);
            Probabilities(int8, pixels, Math.Min(count, 16), size);
            var (fp32Ms, int8Ms) = Pair(TakeTurns(count == files.Count ? 1 : 3, () => a = Probabilities(fp32, pixels, count, size), () => b = Probabilities(int8, pixels, count, size)));
            Console.WriteLine(Text($"| {count} | {fp32Ms:F1} | {int8Ms:F1} | {fp32Ms / int8Ms:F2} | {a.Zip(b).Max(p => Math.Abs(p.First - p.Second)):F4} |"));
        }
    }

    // The KEEP activations whose quantization alone (everything else int8) moves the calibration images' probabilities most:
    // for each, the squared probability difference to fp32 with every other activation quantized and it left fp32.
    private static HashSet<string> MostSensitive(ModelProto fp32Model, Dictionary<string, Histogram> histograms, bool minMax, int keep, float[] pixels, int count, int size, int threads)
    {
        if (keep == 0)
        {
            return [];
        }
        using var fp32 = new OnnxSession(fp32Model.ToByteArray(), threads);
        var reference = Probabilities(fp32, pixels, count, size);
        double ErrorWithout(string? target)
        {
            using var session = new OnnxSession(Int8Quantizer.Quantize(fp32Model, histograms, minMax, target is null ? null : new HashSet<string> { target }).ToByteArray(), threads);
            return Probabilities(session, pixels, count, size).Zip(reference).Sum(p => (p.First - p.Second) * (p.First - p.Second));
        }
        var all = ErrorWithout(null);
        var gains = Int8Quantizer.Targets(fp32Model).Select(t => (Target: t, Gain: all - ErrorWithout(t))).OrderByDescending(g => g.Gain).ToList();
        Console.Error.WriteLine($"sensitivity (squared probability error {all:F4} with all quantized): " + string.Join(", ", gains.Take(8).Select(g => $"{g.Target} {g.Gain:F4}")));
        return gains.Take(keep).Select(g => g.Target).ToHashSet();
    }

    private static (double Fp32, double Int8) Pair(double[] medians) => (medians[0], medians[1]);

    // 0-255 floats [N, 3, S, S], decoded and resized as PalmLab does.
    private static float[] Pixels(IReadOnlyList<string> files, int size)
    {
        var perImage = 3 * size * size;
        var bytes = new byte[(long)files.Count * perImage];
        Parallel.For(0, files.Count, i => ImageDecoder.DecodePixelsInto(files[i], size, bytes.AsSpan(i * perImage, perImage)));
        return Array.ConvertAll(bytes, p => (float)p);
    }

    private static float[] Probabilities(OnnxSession session, float[] pixels, int count, int size) =>
        OnnxBench.OrtProbabilities(session, pixels, count, 3 * size * size);
}
