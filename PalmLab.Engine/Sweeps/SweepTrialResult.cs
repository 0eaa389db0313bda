using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// A trial as it ended. <see cref="Metric"/> is the sweep's metric at the trial's last epoch (not its best epoch: the
/// recipe is judged by what it ends with): the mean ± std over the folds for a cross-validated trial, a single value
/// otherwise; for a trial stopped early, at the last epoch that every fold it started reached.
/// <see cref="Epochs"/> holds it per epoch, <see cref="Points"/> per fold and epoch.
/// </summary>
public sealed record SweepTrialResult(
    int Number,
    string Folder,
    IReadOnlyDictionary<string, object?> Swept,
    TrainingOptions Options,
    SweepTrialStatus Status,
    string? Message,
    MeanStd? Metric,
    SweepPoint? StoppedAt,
    IReadOnlyList<SweepEpochMetric> Epochs,
    IReadOnlyList<SweepPointValue> Points,
    double Seconds)
{
    /// <summary>"depth=18 learningRate=0.01".</summary>
    public string Describe() => new SweepTrial(Number, Swept, Options).Describe();
}
