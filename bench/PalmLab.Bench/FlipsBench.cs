using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `flips CVOUT DIR [checkpoint=best] [runs=3]`: what bf16 prediction changes for users, on images no model saw. For each
/// fold of a cross-validation that `palmlab train --folds K --out CVOUT` wrote, on the images of DIR (the training folder
/// it ran on), predicts that fold's held-out images with its checkpoint in fp32, in bf16 (<see cref="Precision"/>) and
/// in checked bf16 (<see cref="Predictor.UseBf16"/>), in batches of 16 (Predict's): the labels that flip at the run's
/// threshold, the largest probability and logit differences, how many images checked bf16 predicted again in fp32,
/// accuracy and AUC in each; and each pass's median time (warmed up, taking turns, decoding not timed). The folds' sum is
/// every image of DIR predicted by a model that did not train on it. The largest logit difference over every fold is what
/// <see cref="Predictor.Bf16LogitMargin"/> must exceed.
/// </summary>
public static class FlipsBench
{
    private const int BatchSize = 16;

    public static void Run(string[] args)
    {
        var cvOut = args.Length > 1 ? args[0] : throw new ArgumentException("flips needs CVOUT and DIR");
        var images = DatasetReader.ReadTrainingFolder(args[1]).Images;
        var kind = args.Length > 2 ? args[2] : "best";
        var runs = Arg(args, 3, 3);
        var device = TorchRuntime.Initialize("cpu");
        int totalFlips = 0, totalImages = 0, totalChanged = 0, totalAgain = 0;
        double largestLogit = 0, fp32Total = 0, bf16Total = 0, checkedTotal = 0;
        foreach (var folder in Directory.GetDirectories(cvOut, "fold-*").Order(StringComparer.Ordinal))
        {
            var fold = CrossValidation.FoldOf(Path.GetFileName(folder)) ?? throw new ArgumentException($"not a fold folder: {folder}");
            var path = Path.Combine(folder, $"{kind}.ckpt");
            var (model, header) = Checkpoint.LoadModel(path, device);
            using var _ = model;
            using var fp32Predictor = Predictor.Load(path, "cpu");
            using var predictor = Predictor.Load(path, "cpu");
            if (predictor.UseBf16() is { } problem)
            {
                throw new InvalidOperationException(problem);
            }
            var options = header.Config.Options;
            var (_, validation) = FoldSplit.Split(images, options.Folds!.Value, fold - 1, options.Seed);
            using var set = ImageTensorSet.Load(validation, options.ImageSize, "validation");
            var labels = validation.Select(i => i.Label).ToArray();
            float[] fp32Logits = [], bf16Logits = [], checkedProbabilities = [];
            var again = 0;
            void Fp32() => fp32Logits = Evaluator.Logits(model, set.Images, BatchSize, device);
            void Bf16()
            {
                model.Precision = Precision.Bf16;
                bf16Logits = Evaluator.Logits(model, set.Images, BatchSize, device);
                model.Precision = Precision.Fp32;
            }
            void Checked() => (checkedProbabilities, again) = predictor.CheckedBf16Probabilities(set.Images, BatchSize, TestTimeAugmentation.None, options.Threshold);
            void Predictor32() => fp32Predictor.Probabilities(set.Images, BatchSize, TestTimeAugmentation.None);
            Fp32();
            Bf16();
            Checked();
            Predictor32();
            var medians = TakeTurns(runs, Predictor32, Bf16, Checked);
            var fp32Probabilities = fp32Logits.Select(Sigmoid).ToArray();
            var bf16Probabilities = bf16Logits.Select(Sigmoid).ToArray();
            var fp32 = BinaryMetrics.Compute(fp32Probabilities, labels, options.Threshold);
            var bf16 = BinaryMetrics.Compute(bf16Probabilities, labels, options.Threshold);
            var checkedMetrics = BinaryMetrics.Compute(checkedProbabilities, labels, options.Threshold);
            int Flips(float[] other) => fp32Probabilities.Zip(other).Count(p => p.First >= options.Threshold != p.Second >= options.Threshold);
            double Largest(float[] other) => fp32Probabilities.Zip(other).Max(p => Math.Abs(p.First - p.Second));
            var flips = Flips(bf16Probabilities);
            var changed = Flips(checkedProbabilities);
            var logitDifference = fp32Logits.Zip(bf16Logits).Max(p => Math.Abs(p.First - p.Second));
            largestLogit = Math.Max(largestLogit, logitDifference);
            (totalFlips, totalChanged, totalAgain, totalImages) = (totalFlips + flips, totalChanged + changed, totalAgain + again, totalImages + validation.Count);
            (fp32Total, bf16Total, checkedTotal) = (fp32Total + medians[0], bf16Total + medians[1], checkedTotal + medians[2]);
            Console.WriteLine(
                Text($"flips {Path.GetFileName(cvOut)} fold {fold} ({kind}, trained in {options.Precision.ToString().ToLowerInvariant()}, epoch {header.Epoch}): {validation.Count} images; ") +
                Text($"bf16: {flips} flipped at {options.Threshold}, largest probability difference {Largest(bf16Probabilities):F4}, largest logit difference {logitDifference:F4}; ") +
                Text($"checked bf16: {again} predicted again in fp32, {changed} flipped, largest probability difference {Largest(checkedProbabilities):F4}; ") +
                Text($"accuracy fp32 {fp32.Accuracy:F4} bf16 {bf16.Accuracy:F4} checked {checkedMetrics.Accuracy:F4}; AUC fp32 {fp32.Auc:F4} bf16 {bf16.Auc:F4} checked {checkedMetrics.Auc:F4}; ") +
                Text($"median ms fp32 {medians[0]:F0}, bf16 {medians[1]:F0}, checked {medians[2]:F0}"));
        }
        Console.WriteLine(
            Text($"flips {Path.GetFileName(cvOut)}: {totalFlips} of {totalImages} held-out predictions flipped by bf16, {totalChanged} by checked bf16 ") +
            Text($"({totalAgain} predicted again in fp32); largest logit difference {largestLogit:F4} (margin {Predictor.Bf16LogitMargin}); ") +
            Text($"all {totalImages} images ms: fp32 {fp32Total:F0}, bf16 {bf16Total:F0}, checked bf16 {checkedTotal:F0} ({fp32Total / checkedTotal:F2}x fp32)"));
    }

    private static float Sigmoid(float logit) => 1 / (1 + MathF.Exp(-logit));
}
