namespace PalmLab.Engine.Training;

/// <summary>Reported after every optimizer step. <see cref="Epoch"/> and <see cref="Batch"/> are 1-based.</summary>
public sealed record BatchProgress(
    int Epoch, int Batch, int BatchesPerEpoch, long GlobalStep, double Loss, double LearningRate, double ImagesPerSecond);
