using PalmLab.Engine.Metrics;

namespace PalmLab.Engine.Training;

/// <summary>What a checkpoint says about itself: the run's configuration, where it stopped, and how good it was.</summary>
public sealed record CheckpointHeader(
    TrainingConfig Config,
    int Epoch,
    long GlobalStep,
    double? ValidationAuc,
    double? ValidationAccuracy,
    double? BestAuc,
    double? BestAccuracy,
    BinaryMetrics? Validation,
    DateTimeOffset SavedAt);
