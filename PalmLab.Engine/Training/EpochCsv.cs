using static PalmLab.Engine.CsvValue;

namespace PalmLab.Engine.Training;

/// <summary>Per-epoch results as CSV, one row per epoch: the one list of columns that every export uses.</summary>
public static class EpochCsv
{
    public static readonly CsvTable<EpochResult> Table = new(
    [
        ("epoch", e => Of(e.Epoch)),
        ("train_loss", e => Of(e.TrainLoss)),
        ("validation_loss", e => Of(e.ValidationLoss)),
        ("accuracy", e => Of(e.Validation?.Accuracy)),
        ("auc", e => Of(e.Validation?.Auc)),
        ("sensitivity", e => Of(e.Validation?.Sensitivity)),
        ("specificity", e => Of(e.Validation?.Specificity)),
        ("precision", e => Of(e.Validation?.Precision)),
        ("f1", e => Of(e.Validation?.F1)),
        ("tn", e => Of(e.Validation?.Confusion.TrueNegatives)),
        ("fp", e => Of(e.Validation?.Confusion.FalsePositives)),
        ("fn", e => Of(e.Validation?.Confusion.FalseNegatives)),
        ("tp", e => Of(e.Validation?.Confusion.TruePositives)),
        ("learning_rate", e => Of(e.LearningRate)),
        ("seconds", e => Of(e.Seconds)),
        ("images_per_second", e => Of(e.ImagesPerSecond)),
        ("is_best", e => Of(e.IsBest)),
    ]);

    /// <summary>A cross-validated run's epochs: one row per fold and epoch, the fold first, then <see cref="Table"/>'s columns.</summary>
    public static readonly CsvTable<FoldEpoch> FoldTable = new(
    [
        ("fold", e => Of(e.Fold)),
        .. Table.Columns.Select(c => (c.Name, (Func<FoldEpoch, string>)(e => c.Value(e.Epoch)))),
    ]);

    /// <summary>
    /// Appends <paramref name="epoch"/> to the CSV file at <paramref name="path"/>. The first epoch of a training (a new
    /// run, or a resumed one) starts the file afresh, keeping only the rows of the epochs before it.
    /// </summary>
    public static void Append(string path, EpochResult epoch, bool first)
    {
        if (first)
        {
            var earlier = File.Exists(path)
                ? File.ReadLines(path).Skip(1).Where(line => int.TryParse(line.Split(',')[0], out var n) && n < epoch.Epoch).ToList()
                : [];
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
                writer.WriteLine(Table.Header);
                earlier.ForEach(writer.WriteLine);
            });
        }
        File.AppendAllText(path, Table.Row(epoch) + "\n");
    }
}
