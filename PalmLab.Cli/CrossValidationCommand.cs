using System.Globalization;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab train --folds K</c>: trains every fold, then prints and writes (OUT/cv-summary.json) the mean ± std.</summary>
internal static class CrossValidationCommand
{
    private sealed record FoldOutcome(int TrainImages, int ValidationImages, IReadOnlyList<EpochResult> Epochs);

    /// <summary>
    /// Trains every fold into OUT/fold-N/. Run again on the same OUT, it continues: a fold whose last checkpoint holds
    /// its final epoch is kept (its epochs read back from its epochs.csv), an unfinished one resumes from last.ckpt.
    /// </summary>
    public static int Run(TrainingConfig config, string output, Func<int, TrainingHooks> hooksFor, CancellationToken cancellationToken)
    {
        var folds = CrossValidation.EnsureFoldsFit(config, cancellationToken);
        var outcomes = new List<FoldOutcome>();
        // Which fold each image falls in, hashed once and only when a finished fold is kept (its sizes come from it).
        var assignment = new Lazy<int[]>(() => Engine.Data.FoldSplit.Assign(
            Engine.Data.DatasetReader.ReadTrainingFolder(config.TrainDir).Images, folds, config.Options.Seed, cancellationToken));
        for (var fold = 1; fold <= folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (kept, resumeFrom) = Earlier(config, output, fold, folds, assignment);
            if (kept is not null)
            {
                outcomes.Add(kept);
                continue;
            }
            var r = CrossValidation.RunFold(config, output, fold, hooksFor(fold), resumeFrom, cancellationToken);
            outcomes.Add(new FoldOutcome(r.TrainImages, r.ValidationImages, r.Epochs));
        }
        var result = (Folds: folds, FoldResults: outcomes, Epochs: CrossValidation.Summarise(outcomes.Select(o => o.Epochs).ToList()));
        var finalEpoch = result.Epochs[^1];
        var summary = new
        {
            result.Folds,
            Final = finalEpoch.Metrics,
            Epochs = result.Epochs,
            FoldResults = result.FoldResults.Select((r, i) => new
            {
                Fold = i + 1,
                Folder = CrossValidation.FoldFolder(output, i + 1),
                r.TrainImages,
                r.ValidationImages,
                Final = CrossValidation.Metrics.ToDictionary(m => m.Name, m => m.Value(r.Epochs[^1])),
            }),
        };
        File.WriteAllText(Path.Combine(output, "cv-summary.json"), CliJson.Serialize(summary));

        var final = finalEpoch.Metrics;
        Console.WriteLine($"{folds}-fold cross-validation: accuracy {Format(final["accuracy"])}, AUC {Format(final["auc"])}, " +
            $"sensitivity {Format(final["sensitivity"])}, specificity {Format(final["specificity"])}, F1 {Format(final["f1"])}, " +
            $"val_loss {Format(final["val_loss"])} (mean ± std over folds)");
        Console.WriteLine("fold  train  valid  accuracy  auc     sens    spec    f1      val_loss");
        foreach (var (r, i) in result.FoldResults.Select((r, i) => (r, i)))
        {
            var last = r.Epochs[^1];
            var v = last.Validation;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1,-4}  {r.TrainImages,5}  {r.ValidationImages,5}  {Cell(v?.Accuracy),-8}  {Cell(v?.Auc),-6}  {Cell(v?.Sensitivity),-6}  {Cell(v?.Specificity),-6}  {Cell(v?.F1),-6}  {Cell(last.ValidationLoss)}"));
        }
        Console.WriteLine($"summary written to {Path.Combine(output, "cv-summary.json")}");
        return 0;
    }

    // What an earlier run on OUTPUT left of this fold: the fold itself when it finished, else its last checkpoint to resume.
    private static (FoldOutcome? Kept, string? ResumeFrom) Earlier(TrainingConfig config, string output, int fold, int folds, Lazy<int[]> assignment)
    {
        var folder = CrossValidation.FoldFolder(output, fold);
        var last = Path.Combine(folder, Trainer.LastCheckpointName);
        if (!File.Exists(last))
        {
            return (null, null);
        }
        var header = Checkpoint.ReadHeader(last);
        if (header.Config.Options != config.Options || header.Config.Fold != new CrossValidationFold(folds, fold - 1))
        {
            throw new Engine.PalmLabException(
                $"--out: {folder} holds fold {fold} of another training (other options or folds); give another --out folder or remove it.");
        }
        var csv = Path.Combine(folder, "epochs.csv");
        var epochs = header.Epoch >= config.Options.Epochs && File.Exists(csv)
            ? EpochCsv.Read(csv, config.Options.Epochs, config.Options.Threshold)
            : [];
        if (epochs.Count != config.Options.Epochs || epochs[^1].Epoch != config.Options.Epochs)
        {
            Console.Error.WriteLine($"fold {fold}/{folds}  resuming from {last} (epoch {header.Epoch})");
            return (null, last);
        }
        var validation = assignment.Value.Count(f => f == fold - 1);
        Console.Error.WriteLine($"fold {fold}/{folds}  finished earlier: kept ({csv})");
        return (new FoldOutcome(assignment.Value.Length - validation, validation, epochs), null);
    }

    private static string Format(MeanStd? value) => value switch
    {
        null => "n/a",
        { Std: { } std } => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3} ± {std:F3}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3}"),
    };

    private static string Cell(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}
