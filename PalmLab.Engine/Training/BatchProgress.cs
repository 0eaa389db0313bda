namespace PalmLab.Engine.Training;

/// <summary>
/// Reported after every optimizer step. <see cref="Epoch"/> and <see cref="Batch"/> are 1-based.
/// <see cref="StepSeconds"/> is the whole step; <see cref="DataSeconds"/> the part of it spent gathering and augmenting
/// the batch, before the forward pass.
/// </summary>
public sealed record BatchProgress(
    int Epoch, int Batch, int BatchesPerEpoch, long GlobalStep, double Loss, double LearningRate, double ImagesPerSecond,
    double StepSeconds = 0, double DataSeconds = 0);
