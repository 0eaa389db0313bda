using System.Globalization;
using PalmLab.Engine.Metrics;
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

    /// <summary>
    /// The epochs <see cref="Append"/> wrote to <paramref name="path"/>, as results of a run of <paramref name="epochs"/>
    /// epochs at <paramref name="threshold"/> (ROC points are not in the file: empty).
    /// </summary>
    /// <exception cref="PalmLabException">The file is not an epochs.csv.</exception>
    public static IReadOnlyList<EpochResult> Read(string path, int epochs, double threshold)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Table.Header)
        {
            throw new PalmLabException($"{path} is not an epochs.csv written by palmlab (its header differs).");
        }
        var columns = Table.Columns.Select((c, i) => (c.Name, i)).ToDictionary(c => c.Name, c => c.i);
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var cells = line.Split(',');
            if (cells.Length != columns.Count)
            {
                throw new PalmLabException($"{path}: the row '{line}' has {cells.Length} values, not {columns.Count}.");
            }
            double? Number(string name) => cells[columns[name]] is "" ? null : double.Parse(cells[columns[name]], CultureInfo.InvariantCulture);
            int? Count(string name) => cells[columns[name]] is "" ? null : int.Parse(cells[columns[name]], CultureInfo.InvariantCulture);
            BinaryMetrics? validation = null;
            if (Number("accuracy") is { } accuracy && Count("tn") is { } tn && Count("fp") is { } fp && Count("fn") is { } fn && Count("tp") is { } tp)
            {
                validation = new BinaryMetrics(tn + fp + fn + tp, threshold, accuracy, Number("auc"), Number("sensitivity"), Number("specificity"),
                    Number("precision"), Number("f1"), new ConfusionMatrix(tn, fp, fn, tp), []);
            }
            return new EpochResult(Count("epoch")!.Value, epochs, Number("train_loss")!.Value, Number("validation_loss"), validation,
                Number("learning_rate")!.Value, Number("seconds")!.Value, Number("images_per_second")!.Value, cells[columns["is_best"]] == "true");
        }).ToList();
    }
}
