using System.Globalization;
using CsvHelper;

namespace PalmLab.Engine.Training;

/// <summary>Per-epoch results as CSV, one row per epoch: the one list of columns that every export uses.</summary>
public static class EpochCsv
{
    public static readonly IReadOnlyList<(string Name, Func<EpochResult, string> Value)> Columns =
    [
        ("epoch", e => Text(e.Epoch)),
        ("train_loss", e => Text(e.TrainLoss)),
        ("validation_loss", e => Text(e.ValidationLoss)),
        ("accuracy", e => Text(e.Validation?.Accuracy)),
        ("auc", e => Text(e.Validation?.Auc)),
        ("sensitivity", e => Text(e.Validation?.Sensitivity)),
        ("specificity", e => Text(e.Validation?.Specificity)),
        ("precision", e => Text(e.Validation?.Precision)),
        ("f1", e => Text(e.Validation?.F1)),
        ("tn", e => Text(e.Validation?.Confusion.TrueNegatives)),
        ("fp", e => Text(e.Validation?.Confusion.FalsePositives)),
        ("fn", e => Text(e.Validation?.Confusion.FalseNegatives)),
        ("tp", e => Text(e.Validation?.Confusion.TruePositives)),
        ("learning_rate", e => Text(e.LearningRate)),
        ("seconds", e => Text(e.Seconds)),
        ("images_per_second", e => Text(e.ImagesPerSecond)),
        ("is_best", e => e.IsBest ? "true" : "false"),
    ];

    /// <summary>Writes a header and one row per epoch, numbers in the invariant culture ("NaN" where a value is not finite).</summary>
    public static void Write(Stream stream, IEnumerable<EpochResult> epochs)
    {
        using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        csv.WriteHeader(Columns.Select(c => c.Name).ToArray());
        foreach (var epoch in epochs)
        {
            csv.WriteRecord(Columns.Select(c => c.Value(epoch)).ToArray());
        }
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Text<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
}
