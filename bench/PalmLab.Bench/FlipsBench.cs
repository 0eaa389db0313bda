using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `flips CVOUT DIR [checkpoint=best]`: what bf16 evaluation changes for users. For each fold of a cross-validation that
/// `palmlab train --folds K --out CVOUT` wrote, on the images of DIR (the training folder it ran on), evaluates that
/// fold's checkpoint on its own held-out images in fp32 and in bf16 (<see cref="Precision"/>): the predictions that
/// flip at the run's threshold, the largest probability and logit differences, accuracy and AUC in each, and the time of
/// each pass; then the same for checked bf16 (<see cref="Predictor.UseBf16"/>), with how many images it predicted again
/// in fp32. The largest logit difference over every fold is what <see cref="Predictor.Bf16LogitMargin"/> must exceed.
/// </summary>
public static class FlipsBench
{
    public static void Run(string[] args)
    {
        var cvOut = args.Length > 1 ? args[0] : throw new ArgumentException("flips needs CVOUT and DIR");
        var images = DatasetReader.ReadTrainingFolder(args[1]).Images;
        var kind = args.Length > 2 ? args[2] : "best";
        var device = TorchRuntime.Initialize("cpu");
        int totalFlips = 0, totalImages = 0, totalChanged = 0, totalAgain = 0;
        var largestLogit = 0.0;
        foreach (var folder in Directory.GetDirectories(cvOut, "fold-*").Order(StringComparer.Ordinal))
        {
            var fold = CrossValidation.FoldOf(Path.GetFileName(folder)) ?? throw new ArgumentException($"not a fold folder: {folder}");
            var path = Path.Combine(folder, $"{kind}.ckpt");
            var (model, header) = Checkpoint.LoadModel(path, device);
            using var _ = model;
            using var predictor = Predictor.Load(path, "cpu");
            if (predictor.UseBf16() is { } problem)
            {
                throw new InvalidOperationException(problem);
            }
            var options = header.Config.Options;
            var (_, validation) = FoldSplit.Split(images, options.Folds!.Value, fold - 1, options.Seed);
            using var set = ImageTensorSet.Load(validation, options.ImageSize, "validation");
            var labels = validation.Select(i => i.Label).ToArray();
            var clock = Stopwatch.StartNew();
            var fp32Logits = Evaluator.Logits(model, set.Images, options.BatchSize, device);
            var fp32Ms = clock.Elapsed.TotalMilliseconds;
            model.Precision = Precision.Bf16;
            clock.Restart();
            var bf16Logits = Evaluator.Logits(model, set.Images, options.BatchSize, device);
            var bf16Ms = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var (checkedProbabilities, again) = predictor.CheckedBf16Probabilities(set.Images, options.BatchSize, TestTimeAugmentation.None, options.Threshold);
            var checkedMs = clock.Elapsed.TotalMilliseconds;
            var fp32 = BinaryMetrics.Compute(fp32Logits.Select(Sigmoid).ToArray(), labels, options.Threshold);
            var bf16 = BinaryMetrics.Compute(bf16Logits.Select(Sigmoid).ToArray(), labels, options.Threshold);
            var checkedMetrics = BinaryMetrics.Compute(checkedProbabilities, labels, options.Threshold);
            int Flips(float[] other) => fp32Logits.Select(Sigmoid).Zip(other).Count(p => p.First >= options.Threshold != p.Second >= options.Threshold);
            double Largest(float[] other) => fp32Logits.Select(Sigmoid).Zip(other).Max(p => Math.Abs(p.First - p.Second));
            var flips = Flips(bf16Logits.Select(Sigmoid).ToArray());
            var changed = Flips(checkedProbabilities);
            var logitDifference = fp32Logits.Zip(bf16Logits).Max(p => Math.Abs(p.First - p.Second));
            largestLogit = Math.Max(largestLogit, logitDifference);
            totalFlips += flips;
            totalChanged += changed;
            totalAgain += again;
            totalImages += validation.Count;
            Console.WriteLine(
                Text($"flips {Path.GetFileName(cvOut)} fold {fold} ({kind}, trained in {options.Precision.ToString().ToLowerInvariant()}, epoch {header.Epoch}): {validation.Count} images; ") +
                Text($"bf16: {flips} flipped at {options.Threshold}, largest probability difference {Largest(bf16Logits.Select(Sigmoid).ToArray()):F4}, largest logit difference {logitDifference:F4}; ") +
                Text($"checked bf16: {again} predicted again in fp32, {changed} flipped, largest probability difference {Largest(checkedProbabilities):F4}; ") +
                Text($"accuracy fp32 {fp32.Accuracy:F4} bf16 {bf16.Accuracy:F4} checked {checkedMetrics.Accuracy:F4}; AUC fp32 {fp32.Auc:F4} bf16 {bf16.Auc:F4} checked {checkedMetrics.Auc:F4}; ") +
                Text($"pass fp32 {fp32Ms:F0} ms, bf16 {bf16Ms:F0} ms, checked {checkedMs:F0} ms"));
        }
        Console.WriteLine(
            Text($"flips {Path.GetFileName(cvOut)}: {totalFlips} of {totalImages} held-out predictions flipped by bf16, {totalChanged} by checked bf16 ") +
            Text($"({totalAgain} predicted again in fp32); largest logit difference {largestLogit:F4} (margin {Predictor.Bf16LogitMargin})"));
    }

    private static float Sigmoid(float logit) => 1 / (1 + MathF.Exp(-logit));
}
