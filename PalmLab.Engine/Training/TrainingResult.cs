namespace PalmLab.Engine.Training;

/// <summary>What a finished run produced.</summary>
public sealed record TrainingResult(
    TrainingConfig Config,
    string Device,
    int TrainImages,
    int ValidationImages,
    double DataLoadSeconds,
    double TrainSeconds,
    IReadOnlyList<EpochResult> Epochs,
    string LastCheckpoint,
    string? BestCheckpoint);
