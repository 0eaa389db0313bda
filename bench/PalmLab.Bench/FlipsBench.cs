using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `flips CVOUT DIR [checkpoint=best]`: what bf16 evaluation changes for users. For each fold of a cross-validation that
/// `palmlab train --folds K --out CVOUT` wrote, on the images of DIR (the training folder it ran on), evaluates that
/// fold's checkpoint on its own held-out images in fp32 and in bf16 (<see cref="Precision"/>): the predictions that
/// flip at the run's threshold, the largest probability difference, accuracy and AUC in each, and the time of each pass.
/// </summary>
public static class FlipsBench
{
    public static void Run(string[] args)
    {
        var cvOut = args.Length > 1 ? args[0] : throw new ArgumentException("flips needs CVOUT and DIR");
        var images = DatasetReader.ReadTrainingFolder(args[1]).Images;
        var kind = args.Length > 2 ? args[2] : "best";
        var device = TorchRuntime.Initialize("cpu");
        int totalFlips = 0, totalImages = 0;
        foreach (var folder in Directory.GetDirectories(cvOut, "fold-*").Order(StringComparer.Ordinal))
        {
            var fold = CrossValidation.FoldOf(Path.GetFileName(folder)) ?? throw new ArgumentException($"not a fold folder: {folder}");
            var (model, header) = Checkpoint.LoadModel(Path.Combine(folder, $"{kind}.ckpt"), device);
            using var _ = model;
            var options = header.Config.Options;
            var (_, validation) = FoldSplit.Split(images, options.Folds!.Value, fold - 1, options.Seed);
            using var set = ImageTensorSet.Load(validation, options.ImageSize, "validation");
            var clock = Stopwatch.StartNew();
            var fp32 = Evaluator.Evaluate(model, set, options.BatchSize, options.Threshold, device);
            var fp32Ms = clock.Elapsed.TotalMilliseconds;
            model.Precision = Precision.Bf16;
            clock.Restart();
            var bf16 = Evaluator.Evaluate(model, set, options.BatchSize, options.Threshold, device);
            var bf16Ms = clock.Elapsed.TotalMilliseconds;
            var flips = fp32.Probabilities.Zip(bf16.Probabilities).Count(p => p.First >= options.Threshold != p.Second >= options.Threshold);
            var largest = fp32.Probabilities.Zip(bf16.Probabilities).Max(p => Math.Abs(p.First - p.Second));
            totalFlips += flips;
            totalImages += validation.Count;
            Console.WriteLine(Text(
                $"flips {Path.GetFileName(cvOut)} fold {fold} ({kind}, trained in {options.Precision.ToString().ToLowerInvariant()}, epoch {header.Epoch}): {validation.Count} images, {flips} flipped at {options.Threshold}, largest probability difference {largest:F4}; accuracy fp32 {fp32.Metrics.Accuracy:F4} bf16 {bf16.Metrics.Accuracy:F4}; AUC fp32 {fp32.Metrics.Auc:F4} bf16 {bf16.Metrics.Auc:F4}; pass fp32 {fp32Ms:F0} ms, bf16 {bf16Ms:F0} ms"));
        }
        Console.WriteLine(Text($"flips {Path.GetFileName(cvOut)}: {totalFlips} of {totalImages} held-out predictions flipped by bf16 evaluation"));
    }
}
