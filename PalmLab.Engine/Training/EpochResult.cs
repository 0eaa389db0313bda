using System.Text.Json.Serialization;
using PalmLab.Engine.Metrics;

namespace PalmLab.Engine.Training;

/// <summary>
/// Reported after every epoch, once its checkpoint is written. <see cref="Validation"/> is null without validation data.
/// <see cref="CheckpointFailed"/> marks the one epoch whose checkpoint could not be written (a full disk, say): its
/// metrics are reported all the same, and the training stops right after with the reason.
/// </summary>
public sealed record EpochResult(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double? ValidationLoss,
    BinaryMetrics? Validation,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    bool IsBest,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool CheckpointFailed = false);
