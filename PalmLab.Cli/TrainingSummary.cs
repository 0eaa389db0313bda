using PalmLab.Engine.Metrics;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary>The JSON a finished <c>palmlab train</c> prints and writes to summary.json.</summary>
internal sealed record TrainingSummary(
    string Device,
    int TrainImages,
    int ValidationImages,
    double DataLoadSeconds,
    bool? DataCacheHit,
    double TrainSeconds,
    double ImagesPerSecond,
    double? FinalTrainLoss,
    double? FinalValidationLoss,
    BinaryMetrics? Final,
    int? BestEpoch,
    string LastCheckpoint,
    string? BestCheckpoint,
    IReadOnlyList<EpochResult> History,
    TrainingConfig Config)
{
    public static TrainingSummary From(TrainingResult r)
    {
        var last = r.Epochs.Count > 0 ? r.Epochs[^1] : null;
        var best = r.Epochs.LastOrDefault(e => e.IsBest);
        return new TrainingSummary(
            r.Device, r.TrainImages, r.ValidationImages, Math.Round(r.DataLoadSeconds, 3), r.DataCacheHit, Math.Round(r.TrainSeconds, 3),
            r.Epochs.Count > 0 ? Math.Round(r.Epochs.Average(e => e.ImagesPerSecond), 2) : 0,
            last?.TrainLoss, last?.ValidationLoss, last?.Validation, best?.Epoch,
            r.LastCheckpoint, r.BestCheckpoint, r.Epochs, r.Config);
    }
}
