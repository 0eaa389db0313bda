using System.Globalization;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab train --folds K</c>: trains every fold, then prints and writes (OUT/cv-summary.json) the mean ± std.</summary>
internal static class CrossValidationCommand
{
    public static int Run(TrainingConfig config, string output, Func<int, TrainingHooks> hooksFor, CancellationToken cancellationToken)
    {
        var result = CrossValidation.Run(config, output, hooksFor, cancellationToken);
        var folds = result.Folds;
        var summary = new
        {
            result.Folds,
            Final = result.Final.Metrics,
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

        var final = result.Final.Metrics;
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

    private static string Format(MeanStd? value) => value switch
    {
        null => "n/a",
        { Std: { } std } => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3} ± {std:F3}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3}"),
    };

    private static string Cell(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}
