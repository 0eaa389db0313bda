using PalmLab.Engine.Metrics;

namespace PalmLab.Engine.Training;

/// <summary>Reported after every epoch, once its checkpoint is written. <see cref="Validation"/> is null without validation data.</summary>
public sealed record EpochResult(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double? ValidationLoss,
    BinaryMetrics? Validation,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    bool IsBest);
