using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>
/// `onnx TRAIN_DIR [depth=18] [runs=5] [size=224] [threads=0] [wholeRuns=1] [CHECKPOINT]`: prediction of one image, a batch
/// of 50 and all the images of TRAIN_DIR (the 400 real ones), through TorchSharp's <see cref="Predictor"/> (fp32), through
/// the same network in bf16 (<see cref="Precision"/>, by <see cref="Evaluator"/>: batch norm folded as Predict folds it),
/// through the Predictor in checked bf16 (<see cref="Predictor.UseBf16"/>: bf16, and fp32 again near the threshold) and
/// through ONNX Runtime on the exported file (runs times; all the images wholeRuns times), each warmed up on one batch,
/// taking turns (which goes first rotates every run), the same threads and batches of 16 (Predict's); decoding is done
/// once beforehand and not timed. Random weights (seed 1), or CHECKPOINT's trained ones (its depth and image size then
/// replace depth and size): checked bf16's time depends on how many images lie near the threshold, so only a trained
/// model times it fairly. Prints the median milliseconds, the ratios to ONNX Runtime, each one's largest difference from
/// TorchSharp fp32, and checked bf16's images predicted again and labels changed (against fp32).
/// </summary>
public static class OnnxBench
{
    private const int BatchSize = 16;

    public static void Run(string[] args)
    {
        var trainDir = args.Length > 0 ? args[0] : throw new ArgumentException("onnx TRAIN_DIR [depth] [runs] [size] [threads] [wholeRuns] [CHECKPOINT]");
        int depth = Arg(args, 1, 18), runs = Arg(args, 2, 5), size = Arg(args, 3, 224), threads = Arg(args, 4, 0), wholeRuns = Arg(args, 5, 1);
        var trained = args.Length > 6 ? args[6] : null;
        if (trained is not null)
        {
            var options = Checkpoint.ReadHeader(trained).Config.Options;
            (depth, size) = (options.Depth, options.ImageSize);
        }
        TorchRuntime.Initialize("cpu", threads);
        threads = get_num_threads();
        var files = Directory.GetFiles(trainDir, "*.jpg").Order(StringComparer.Ordinal).ToList();
        var perImage = 3 * size * size;
        var pixels = new byte[(long)files.Count * perImage];
        Parallel.For(0, files.Count, i => ImageDecoder.DecodePixelsInto(files[i], size, pixels.AsSpan(i * perImage, perImage)));
        var floats = pixels.Select(p => (float)p).ToArray();
        using var images = tensor(pixels.Select(ImageDecoder.ToInput).ToArray(), [files.Count, 3, size, size]);

        var folder = Directory.CreateTempSubdirectory("palmlab-onnx-bench-").FullName;
        try
        {
            var checkpoint = trained ?? Path.Combine(folder, "model.ckpt");
            if (trained is null)
            {
                manual_seed(1);
                using var net = new ResNet(depth);
                var options = new TrainingOptions { Depth = depth, ImageSize = size };
                Checkpoint.Save(checkpoint, new CheckpointHeader(new TrainingConfig { Options = options }, 1, 1, null, null, null, DateTimeOffset.UtcNow), net, null);
            }
            using var predictor = Predictor.Load(checkpoint, "cpu", threads);
            using var checkedPredictor = Predictor.Load(checkpoint, "cpu", threads);
            if (checkedPredictor.UseBf16() is { } problem)
            {
                throw new InvalidOperationException(problem);
            }
            var (bf16Model, _) = Checkpoint.LoadModel(checkpoint, CPU);
            using var _ = bf16Model;
            bf16Model.Precision = Precision.Bf16;
            var export = Stopwatch.StartNew();
            var onnx = OnnxExporter.Export(checkpoint);
            var exportMs = export.Elapsed.TotalMilliseconds;
            using var session = new OnnxSession(onnx, threads);
            Console.WriteLine(Text($"ResNet-{depth} {size}px, {(trained is null ? "random weights" : trained)}, {threads} threads, batches of {BatchSize}; export {exportMs:F0} ms ({onnx.Length / 1e6:F1} MB)"));
            Console.WriteLine("| images | TorchSharp fp32 ms (median) | TorchSharp bf16 ms (median) | ONNX Runtime ms (median) | fp32 / ORT | bf16 / ORT | largest difference ORT, bf16 | checked bf16 ms (median) | checked / ORT | predicted again in fp32 | labels changed, largest difference |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var count in new[] { 1, 50, files.Count })
            {
                using var batch = images.narrow(0, 0, count);
                float[] torchResult = [], bf16Result = [], ortResult = [], checkedResult = [];
                var again = 0;
                void Torch() => torchResult = predictor.Probabilities(batch, BatchSize, TestTimeAugmentation.None);
                void Checked() => (checkedResult, again) = checkedPredictor.CheckedBf16Probabilities(batch, BatchSize, TestTimeAugmentation.None, predictor.Threshold);
                void Bf16() => bf16Result = Evaluator.Probabilities(bf16Model, batch, BatchSize, CPU);
                void Ort() => ortResult = OrtProbabilities(session, floats, count, perImage);
                // Warm-up on one batch: the same kernels as every later batch, without a third pass over 400 images.
                using (var warm = images.narrow(0, 0, Math.Min(count, BatchSize)))
                {
                    predictor.Probabilities(warm, BatchSize, TestTimeAugmentation.None);
                    Evaluator.Probabilities(bf16Model, warm, BatchSize, CPU);
                    checkedPredictor.Probabilities(warm, BatchSize, TestTimeAugmentation.None);
                    OrtProbabilities(session, floats, Math.Min(count, BatchSize), perImage);
                }
                var medians = TakeTurns(count == files.Count ? wholeRuns : runs, Torch, Bf16, Ort, Checked);
                float Largest(float[] other) => torchResult.Zip(other, (a, b) => Math.Abs(a - b)).Max();
                var changed = torchResult.Zip(checkedResult).Count(p => p.First >= predictor.Threshold != p.Second >= predictor.Threshold);
                double torchMs = medians[0], bf16Ms = medians[1], ortMs = medians[2], checkedMs = medians[3];
                Console.WriteLine(Text($"| {count} | {torchMs:F1} | {bf16Ms:F1} | {ortMs:F1} | {torchMs / ortMs:F2} | {bf16Ms / ortMs:F2} | {Largest(ortResult):E1}, {Largest(bf16Result):F4} | {checkedMs:F1} | {checkedMs / ortMs:F2} | {again} | {changed}, {Largest(checkedResult):F4} |"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Probabilities of the first <paramref name="count"/> images of <paramref name="floats"/> (0-255 pixels) through ONNX Runtime, in batches of 16 (Predict's).</summary>
    internal static float[] OrtProbabilities(OnnxSession session, float[] floats, int count, int perImage)
    {
        var result = new float[count];
        for (var start = 0; start < count; start += BatchSize)
        {
            var length = Math.Min(BatchSize, count - start);
            session.Probabilities(floats[(start * perImage)..((start + length) * perImage)], length).CopyTo(result, start);
        }
        return result;
    }
}
