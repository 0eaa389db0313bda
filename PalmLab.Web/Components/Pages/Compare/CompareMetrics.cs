using System.Globalization;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>The metrics table's rows: each validation metric at the last epoch and at its best epoch, then the run's pace.</summary>
public static class CompareMetrics
{
    private const string Dash = "—";

    public static IReadOnlyList<MetricRow> Build(IReadOnlyList<ComparedRun> runs, DateTimeOffset now)
    {
        var rows = new List<MetricRow>();
        // A cross-validated run's epochs are fold means: its cells add the std over the folds at that epoch.
        void FinalAndBest(string key, string label, Better better, Func<EpochResult, double?> metric, string cvName)
        {
            rows.Add(CvRow($"{key}-final", label, "final", better, runs, r => r.Epochs.Count == 0 ? null : r.Epochs[^1], metric, cvName));
            rows.Add(CvRow($"{key}-best", label, "best", better, runs, r => BestEpoch(r.Epochs, metric, better), metric, cvName));
        }

        FinalAndBest("accuracy", "Accuracy", Better.Higher, e => e.Validation?.Accuracy, "accuracy");
        FinalAndBest("auc", "AUC", Better.Higher, e => e.Validation?.Auc, "auc");
        FinalAndBest("loss", "Validation loss", Better.Lower, e => e.ValidationLoss, "val_loss");
        FinalAndBest("sensitivity", "Sensitivity", Better.Higher, e => e.Validation?.Sensitivity, "sensitivity");
        FinalAndBest("specificity", "Specificity", Better.Higher, e => e.Validation?.Specificity, "specificity");
        rows.Add(Row("train-loss-final", "Training loss", "final", Better.Lower, runs, r => r.Epochs.Count == 0 ? null : r.Epochs[^1].TrainLoss));
        rows.Add(new MetricRow("epochs", "Epochs", null, Better.Neither,
            runs.Select(r => new MetricValue($"{r.Epochs.Count} of {r.Run.Options.Epochs}", null)).ToList()));
        rows.Add(new MetricRow("duration", "Duration", null, Better.Lower, runs.Select(r => Duration(r, now)).ToList()));
        rows.Add(Row("speed", "Images per second", "mean", Better.Higher, runs,
            r => r.Epochs.Count == 0 ? null : r.Epochs.Average(e => e.ImagesPerSecond), "0.0"));
        return rows;
    }

    private static MetricRow CvRow(string key, string label, string kind, Better better, IReadOnlyList<ComparedRun> runs,
        Func<ComparedRun, EpochResult?> epoch, Func<EpochResult, double?> metric, string cvName)
    {
        var row = Row(key, label, kind, better, runs, r => epoch(r) is { } e ? metric(e) : null);
        var cells = row.Cells.Select((cell, i) =>
            runs[i].CrossValidation is { } cv && epoch(runs[i]) is { } e && cv.FirstOrDefault(c => c.Epoch == e.Epoch)?.Metrics.GetValueOrDefault(cvName) is { Std: { } std }
            && cell.Rank is not null
                ? cell with { Text = $"{cell.Text} ± {std.ToString("0.000", CultureInfo.InvariantCulture)}" }
                : cell).ToList();
        return row with { Cells = cells };
    }

    private static EpochResult? BestEpoch(IReadOnlyList<EpochResult> epochs, Func<EpochResult, double?> metric, Better better)
    {
        var scored = epochs.Where(e => metric(e) is { } v && double.IsFinite(v)).ToList();
        return scored.Count == 0 ? null : better == Better.Lower ? scored.MinBy(e => metric(e)) : scored.MaxBy(e => metric(e));
    }

    private static MetricRow Row(string key, string label, string kind, Better better, IReadOnlyList<ComparedRun> runs,
        Func<ComparedRun, double?> value, string format = "0.000") =>
        new(key, label, kind, better, runs.Select(r => value(r) is { } v && double.IsFinite(v) ? Shown(v, format) : new MetricValue(Dash, null)).ToList());

    // Ranked as shown: two runs that both read 0.251 are both best, whatever the fourth digit says.
    private static MetricValue Shown(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return new MetricValue(text, double.Parse(text, CultureInfo.InvariantCulture));
    }

    // Only finished runs race on time: a run still training would look fastest.
    private static MetricValue Duration(ComparedRun run, DateTimeOffset now) => (run.Run.StartedAt, run.Run.FinishedAt, run.Run.Status) switch
    {
        ({ } started, { } finished, _) => new MetricValue(TimeText.Duration(finished - started), (finished - started).TotalSeconds),
        ({ } started, null, RunStatus.Running) => new MetricValue(TimeText.Duration(now - started) + " so far", null),
        _ => new MetricValue(Dash, null),
    };
}
