using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Sweeps;

/// <summary>A sweep with its trials, as the pages and the API show it; <see cref="Trials"/> in the order they were queued.</summary>
public sealed record SweepView(
    int Id,
    string Name,
    int DataSetId,
    string? DataSet,
    SweepStatus Status,
    SweepStrategy Strategy,
    int Seed,
    SweepMetric Metric,
    int? Budget,
    MedianStopping? Stopping,
    TrainingOptions BaseOptions,
    SweepSpace Space,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<SweepTrialView> Trials)
{
    public int TrialCount => Trials.Count;

    /// <summary>Trials that ended (completed, stopped early, failed or cancelled).</summary>
    public int TrialsDone => Trials.Count(t => t.HasEnded);

    /// <summary>The completed trial with the highest metric (the first such trial on a tie).</summary>
    public SweepTrialView? Best => Trials.FirstOrDefault(t => t.IsBest);

    public string MetricLabel => MetricLabelOf(Metric);

    public static string MetricLabelOf(SweepMetric metric) => metric == SweepMetric.Accuracy ? "accuracy" : "AUC";
}
