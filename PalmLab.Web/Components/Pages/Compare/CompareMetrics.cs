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
        void FinalAndBest(string key, string label, Better better, Func<EpochResult, double?> metric)
        {
            rows.Add(Row($"{key}-final", label, "final", better, runs, r => r.Epochs.Count == 0 ? null : metric(r.Epochs[^1])));
            rows.Add(Row($"{key}-best", label, "best", better, runs, r => Best(r.Epochs.Select(metric).OfType<double>().ToList(), better)));
        }

        FinalAndBest("accuracy", "Accuracy", Better.Higher, e => e.Validation?.Accuracy);
        FinalAndBest("auc", "AUC", Better.Higher, e => e.Validation?.Auc);
        FinalAndBest("loss", "Validation loss", Better.Lower, e => e.ValidationLoss);
        FinalAndBest("sensitivity", "Sensitivity", Better.Higher, e => e.Validation?.Sensitivity);
        FinalAndBest("specificity", "Specificity", Better.Higher, e => e.Validation?.Specificity);
        rows.Add(Row("train-loss-final", "Training loss", "final", Better.Lower, runs, r => r.Epochs.Count == 0 ? null : r.Epochs[^1].TrainLoss));
        rows.Add(new MetricRow("epochs", "Epochs", null, Better.Neither,
            runs.Select(r => new MetricValue($"{r.Epochs.Count} of {r.Run.Options.Epochs}", null)).ToList()));
        rows.Add(new MetricRow("duration", "Duration", null, Better.Lower, runs.Select(r => Duration(r, now)).ToList()));
        rows.Add(Row("speed", "Images per second", "mean", Better.Higher, runs,
            r => r.Epochs.Count == 0 ? null : r.Epochs.Average(e => e.ImagesPerSecond), "0.0"));
        return rows;
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

    private static double? Best(List<double> values, Better better) =>
        values.Count == 0 ? null : better == Better.Lower ? values.Min() : values.Max();

    // Only finished runs race on time: a run still training would look fastest.
    private static MetricValue Duration(ComparedRun run, DateTimeOffset now) => (run.Run.StartedAt, run.Run.FinishedAt, run.Run.Status) switch
    {
        ({ } started, { } finished, _) => new MetricValue(TimeText.Duration(finished - started), (finished - started).TotalSeconds),
        ({ } started, null, RunStatus.Running) => new MetricValue(TimeText.Duration(now - started) + " so far", null),
        _ => new MetricValue(Dash, null),
    };
}
