namespace PalmLab.Engine.Training;

/// <summary>
/// What a finished run produced. <see cref="DataCacheHit"/> is null without a cache folder, true when every image set was
/// read from the cache, false when any had to be decoded.
/// </summary>
public sealed record TrainingResult(
    TrainingConfig Config,
    string Device,
    int TrainImages,
    int ValidationImages,
    double DataLoadSeconds,
    bool? DataCacheHit,
    double TrainSeconds,
    IReadOnlyList<EpochResult> Epochs,
    string LastCheckpoint,
    string? BestCheckpoint);
